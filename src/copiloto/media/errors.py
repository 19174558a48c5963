"""The one error type of media processing, with a reason code the store and the UI can show."""

from typing import Literal

Reason = Literal[
    "corrupt",
    "encrypted",
    "unsupported",
    "empty",
    "silence",
    "no_audio",
    "decoder_missing",
    "model_unavailable",
    "backend_error",
    "missing",
]

# What a seller reads next to a failed attachment (pt-BR); the code before it stays machine-readable.
_MESSAGES_PT: dict[str, str] = {
    "corrupt": "arquivo corrompido ou ilegível",
    "encrypted": "arquivo protegido por senha",
    "unsupported": "tipo de arquivo não suportado",
    "empty": "nenhum texto encontrado no arquivo",
    "silence": "áudio sem fala (apenas silêncio)",
    "no_audio": "o arquivo não contém áudio",
    "decoder_missing": "decodificador de áudio indisponível no servidor (ffmpeg)",
    "model_unavailable": "modelo de transcrição indisponível",
    "backend_error": "falha no serviço de transcrição ou extração",
    "missing": "arquivo ausente",
}


class MediaError(Exception):
    """A file that cannot become text, for a reason worth showing (and maybe retrying).

    `reason` is a short stable code (`corrupt`, `encrypted`, `unsupported`, …) so callers branch on it
    without parsing messages; `detail` keeps the technical cause for the logs.
    """

    def __init__(self, reason: Reason, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)

    @property
    def user_message(self) -> str:
        """`reason: mensagem em português` — what goes into `MediaAsset.error`."""
        text = _MESSAGES_PT.get(self.reason, self.reason)
        return f"{self.reason}: {text}" + (f" ({self.detail})" if self.detail else "")
