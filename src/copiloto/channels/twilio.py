"""Twilio WhatsApp: form-encoded webhooks signed with `X-Twilio-Signature`, media and sending.

The signature covers the URL Twilio called (the public one, which differs from what the app sees
behind a proxy: `COPILOTO_PUBLIC_URL`) followed by every POST parameter, sorted by name.
"""

import base64
import hashlib
import hmac
import logging
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import parse_qs, parse_qsl, urlsplit, urlunsplit

import httpx

from copiloto.channels.events import AnyEvent, IncomingMessage, MediaRef, StatusUpdate, UnknownShape
from copiloto.channels.send import FetchedMedia, SendError, SendResult, provider_error
from copiloto.domain.enums import DeliveryStatus, Direction, MessageKind, Provider
from copiloto.domain.phones import to_e164

log = logging.getLogger(__name__)

PROVIDER = Provider.TWILIO
SIGNATURE_HEADER = "x-twilio-signature"

_STATUSES = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
    "undelivered": DeliveryStatus.FAILED,
}
_MIME_KINDS = {
    "image": MessageKind.IMAGE,
    "audio": MessageKind.AUDIO,
    "video": MessageKind.VIDEO,
    "application": MessageKind.DOCUMENT,
    "text": MessageKind.DOCUMENT,
}


def compute_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]] = ()) -> str:
    """Twilio's algorithm: base64(HMAC-SHA1(token, url + name1 + value1 + …)), names sorted,
    repeated names with their values sorted too (the SDK's rule, checked by its test vectors)."""
    grouped: dict[str, list[str]] = {}
    for name, value in params:
        grouped.setdefault(name, []).append(value)
    payload = url + "".join(
        name + value for name in sorted(grouped) for value in sorted(grouped[name])
    )
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _port_variants(url: str) -> list[str]:
    """The URL with and without its default port: Twilio signs whichever form it used."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    variants = [url]
    if parts.port is None and default is not None:
        variants.append(urlunsplit(parts._replace(netloc=f"{host}:{default}")))
    elif parts.port == default:
        variants.append(urlunsplit(parts._replace(netloc=host)))
    return variants


def signature_problem(
    auth_token: str | None, url: str, body: bytes, header: str | None
) -> str | None:
    """None when `header` signs this request, else why not (logged only)."""
    if not auth_token:
        return "COPILOTO_TWILIO_AUTH_TOKEN is not set"
    if not header:
        return "missing X-Twilio-Signature"
    query = parse_qs(urlsplit(url).query)
    if "bodySHA256" in query:  # JSON bodies: the hash of the body rides in the URL instead
        if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), query["bodySHA256"][0]):
            return "bodySHA256 does not match the body"
        params: list[tuple[str, str]] = []
    else:
        params = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    for candidate in _port_variants(url):
        if hmac.compare_digest(compute_signature(auth_token, candidate, params), header.strip()):
            return None
    return f"X-Twilio-Signature does not match {url}"


def event_id(body: bytes) -> str:
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    sid = form.get("MessageSid") or form.get("SmsSid")
    if not sid:
        return "body:" + hashlib.sha256(body).hexdigest()
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    return f"m:{sid}" if status in ("", "received") else f"s:{sid}:{status}"


def _kind_for(mime: str | None) -> MessageKind:
    return _MIME_KINDS.get((mime or "").split("/", 1)[0], MessageKind.MEDIA)


def parse(body: bytes, *, received_at: datetime) -> list[AnyEvent]:
    """One webhook is one message or one status; Twilio sends no event time, so use arrival."""
    form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    sid = form.get("MessageSid") or form.get("SmsSid")
    if not sid:
        raise UnknownShape("no MessageSid: not a Twilio messaging webhook")
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    if status not in ("", "received"):
        mapped = _STATUSES.get(status)
        if mapped is None:
            log.info("twilio: ignoring status %r", status)
            return []
        error = form.get("ErrorCode")
        return [
            StatusUpdate(
                provider=PROVIDER,
                provider_message_id=sid,
                status=mapped,
                at=received_at,
                error=f"{error}: {form.get('ErrorMessage', '')}".strip() if error else None,
            )
        ]
    if "Body" not in form and int(form.get("NumMedia") or 0) == 0:
        raise UnknownShape("Twilio webhook with neither Body, media nor a known status")
    sender = form.get("From", "")
    media = None
    kind = MessageKind.TEXT
    if int(form.get("NumMedia") or 0) > 0:
        mime = form.get("MediaContentType0")
        media = MediaRef(url=form.get("MediaUrl0"), mime=mime)
        kind = _kind_for(mime)
    referral = {
        key.removeprefix("Referral"): value
        for key, value in form.items()
        if key.startswith("Referral") and value
    }
    return [
        IncomingMessage(
            provider=PROVIDER,
            provider_message_id=sid,
            business_id=to_e164(form.get("To", "")) or form.get("To"),
            client_phone=to_e164(sender) or sender.removeprefix("whatsapp:"),
            client_name=form.get("ProfileName") or None,
            sent_at=received_at,
            kind=kind,
            text=form.get("Body", ""),
            direction=Direction.IN,
            media=media,
            reply_to_provider_id=form.get("OriginalRepliedMessageSid") or None,
            referral=referral,
        )
    ]


class TwilioMediaFetcher:
    """MediaUrlN with HTTP basic auth (account SID, auth token); Twilio redirects to storage."""

    def __init__(self, *, account_sid: str, auth_token: str, http: httpx.Client) -> None:
        self.auth = (account_sid, auth_token)
        self.http = http

    def fetch(self, ref: MediaRef) -> FetchedMedia:
        if not ref.url:
            raise RuntimeError("twilio media without MediaUrl")
        response = self.http.get(ref.url, auth=self.auth)
        response.raise_for_status()
        return FetchedMedia(
            data=response.content,
            mime=ref.mime or response.headers.get("content-type"),
            filename=ref.filename,
        )


_ERRORS_PT = {
    63016: "Fora da janela de 24 horas: o WhatsApp só aceita um modelo (template) aprovado.",
    63003: "O número do cliente não está disponível no WhatsApp.",
    21211: "O número do cliente é inválido.",
    20003: "As credenciais da Twilio são inválidas: avise o administrador.",
}


class TwilioSender:
    provider = PROVIDER

    def __init__(
        self,
        *,
        api_url: str,
        account_sid: str,
        auth_token: str,
        from_number: str,
        http: httpx.Client,
    ) -> None:
        self.url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = (account_sid, auth_token)
        self.from_ = (
            from_number if from_number.startswith("whatsapp:") else f"whatsapp:{from_number}"
        )
        self.http = http

    def _post(self, form: dict[str, str]) -> SendResult:
        try:
            response = self.http.post(self.url, data={"From": self.from_, **form}, auth=self.auth)
        except httpx.HTTPError as exc:
            raise provider_error(PROVIDER, None, str(exc)) from exc
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400:
            code = data.get("code")
            detail = f"{code}: {data.get('message') or response.text[:200]}"
            pt = _ERRORS_PT.get(code) if isinstance(code, int) else None
            raise SendError(
                pt or provider_error(PROVIDER, code, detail).message_pt, code=code, detail=detail
            )
        # queued/accepted count as sent: the status callbacks tell the rest
        status = _STATUSES.get(str(data.get("status")), DeliveryStatus.SENT)
        return SendResult(provider=PROVIDER, provider_message_id=str(data["sid"]), status=status)

    def send_text(self, *, to: str, text: str) -> SendResult:
        return self._post({"To": f"whatsapp:{to}", "Body": text})

    def send_media(self, *, to: str, url: str, caption: str | None = None) -> SendResult:
        return self._post({"To": f"whatsapp:{to}", "Body": caption or "", "MediaUrl": url})
