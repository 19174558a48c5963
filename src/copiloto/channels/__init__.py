"""Live WhatsApp channels: webhooks in (Meta Cloud API, Twilio, Z-API, Evolution), replies out.

Endpoints (mounted by `build_webhook_router` under `/webhooks`):

- `GET  /webhooks/meta`  verify-token handshake (`COPILOTO_META_VERIFY_TOKEN`)
- `POST /webhooks/meta`  `X-Hub-Signature-256` checked with `COPILOTO_META_APP_SECRET` (401 if not)
- `POST /webhooks/twilio`  `X-Twilio-Signature` checked with `COPILOTO_TWILIO_AUTH_TOKEN` against
  `COPILOTO_PUBLIC_URL` + path when set (behind a proxy), else the URL the app saw (403 if not)
- `POST /webhooks/zapi/{secret}`, `POST /webhooks/evolution/{secret}` (or without the segment and
  the secret in an `X-Webhook-Secret`/`apikey` header): `COPILOTO_WEBHOOK_SECRET` (403 if not)

Every accepted delivery is stored raw in `inbox_events` (unique per provider event id: re-deliveries
store nothing) with an `inbox` job before the 200; the worker turns it into clients, conversations,
messages, statuses and `media_download` jobs, which end in a `media` job keyed by the file's sha256.
Bodies over `COPILOTO_WEBHOOK_MAX_BODY_BYTES` get 413; bodies that are not JSON are stored FAILED
(200, so providers do not retry them for days).

Which seller owns a channel: `COPILOTO_CHANNEL_SELLERS` maps a Meta phone_number_id, a Twilio
business number, a Z-API instance id or an Evolution instance name to a seller login (JSON, e.g.
`{"1122334455667": "ana", "+14155238886": "bruno"}`); anything else goes to
`COPILOTO_CHANNEL_SELLER` (default `vendedor`), created on first use.

Sending: `COPILOTO_SEND_PROVIDER` = meta | twilio | zapi picks the `Sender` (`send.build_sender`);
`send.send_reply` enforces the Cloud API's 24-hour window and offers `COPILOTO_META_TEMPLATES`.
"""
