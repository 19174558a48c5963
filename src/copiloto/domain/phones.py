"""Phone numbers in E.164, the one form every provider and export can be matched on."""

import phonenumbers

DEFAULT_REGION = "BR"


def to_e164(raw: str, *, region: str = DEFAULT_REGION) -> str | None:
    """Return `raw` as E.164 (`+5511987654321`), or None when it is not a valid phone number.

    Providers send bare digits (`5511987654321`, Meta and Z-API), prefixed ones (`whatsapp:+55…`,
    Twilio) and exports show formatted ones (`+55 11 98765-4321`); all normalize to the same key.
    """
    text = raw.strip().removeprefix("whatsapp:")
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 8:
        return None
    candidates = [text] if text.startswith("+") else [text, "+" + digits]
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def looks_like_phone(text: str) -> bool:
    """True for export authors that are a number rather than a saved contact name."""
    stripped = text.strip().removeprefix("\u202a").removesuffix("\u202c")
    allowed = set("+0123456789 ()-\u00a0")
    return bool(stripped) and set(stripped) <= allowed and sum(c.isdigit() for c in stripped) >= 8
