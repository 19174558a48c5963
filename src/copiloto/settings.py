"""One settings object for the whole application, read from `COPILOTO_*` variables and `.env`.

Every adapter is chosen here by a `mode`-like field with an offline default; the composition root
(`copiloto.container`) is the only place that reads these fields to build adapters.
"""

from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def bundled_path(name: str) -> Path:
    """Locate a folder shipped with the project (`prompts`, `ingest/sample`, `evals`).

    In a checkout (editable install) it sits at the repository root; in a wheel it is packaged
    under `copiloto/_bundled/`.
    """
    for candidate in (PROJECT_ROOT / name, Path(__file__).parent / "_bundled" / name):
        if candidate.exists():
            return candidate
    return PROJECT_ROOT / name


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COPILOTO_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- storage -------------------------------------------------------------------------------
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file `copiloto.db` in data_dir."
    )
    timezone: str = Field(
        default="America/Sao_Paulo",
        description="Zone of the local times in WhatsApp exports, and of the seller's calendar.",
    )

    # --- ingestion -----------------------------------------------------------------------------
    seller_names: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Export authors (names or numbers) that are the seller, besides `--seller`.",
    )
    sample_dir: Path = Field(default_factory=lambda: bundled_path("ingest/sample"))

    # --- embeddings and vector store -----------------------------------------------------------
    embedder: Literal["use", "e5", "sentence-transformers", "openai"] = "use"
    embedding_model: str | None = Field(
        default=None, description="Model name or path for sentence-transformers / openai embedders."
    )
    embedding_base_url: str | None = None
    embedding_api_key: SecretStr | None = None
    qdrant_url: str | None = Field(
        default=None, description="Qdrant server URL; unset: embedded Qdrant Edge under data_dir."
    )
    qdrant_api_key: SecretStr | None = None
    qdrant_collection: str = "copiloto"

    # --- LLM -----------------------------------------------------------------------------------
    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible API; unset: the packaged local llama.cpp model.",
    )
    llm_model: str = "qwen2.5-1.5b-instruct"
    llm_api_key: SecretStr | None = None
    llm_model_path: Path | None = Field(
        default=None, description="GGUF file for the local backend; default: the packaged model."
    )
    llm_context_window: int = Field(
        default=4096,
        description="Tokens the prompt may use; 4096 keeps the local model responsive on 2 cores.",
    )
    llm_threads: int = 2
    llm_prompt_cache_mib: int = Field(
        2048,
        description="Local model: RAM for earlier prompts' KV states (~90 MB per brief), so a "
        "new suggestion for a client resumes from its brief's prompt; 0 turns it off.",
    )
    llm_timeout_s: float = 120.0

    # --- media ---------------------------------------------------------------------------------
    asr: Literal["faster-whisper", "openai-whisper", "openai"] = "faster-whisper"
    asr_model: str | None = Field(
        default=None, description="Whisper model name or path; default: the packaged base model."
    )
    asr_language: str | None = "pt"
    asr_base_url: str | None = None
    asr_api_key: SecretStr | None = None

    # --- message analysis ----------------------------------------------------------------------
    classifier_weights: Path | None = Field(
        default=None,
        description="Sentiment/intent weights (.npz); default: the file shipped in copiloto.analysis.",
    )
    classifier_escalate_below: float = Field(
        default=0.7,
        description="Messages the fast (n-gram) classifier is less sure of than this are re-scored "
        "with sentence embeddings; 0: never embed (fastest), >1: always embed.",
    )
    classifier_refine_below: float = Field(
        default=0.5, description="Predictions below this confidence go to the LLM refiner, if any."
    )

    # --- server and channels -------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    auth_secret: SecretStr = SecretStr("copiloto-dev-secret-change-me-in-production-0123456789")
    public_url: str | None = Field(
        default=None, description="URL the providers call (Twilio signs it); behind a proxy."
    )
    run_worker: bool = True
    meta_app_secret: SecretStr | None = None
    meta_verify_token: SecretStr | None = None
    meta_access_token: SecretStr | None = None
    meta_phone_number_id: str | None = None
    meta_api_url: str = "https://graph.facebook.com/v21.0"
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from: str | None = None
    twilio_api_url: str = "https://api.twilio.com"
    zapi_instance: str | None = None
    zapi_token: SecretStr | None = None
    zapi_client_token: SecretStr | None = None
    zapi_api_url: str = "https://api.z-api.io"
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="Secret path segment for the unsigned providers (Z-API, Evolution).",
    )
    send_provider: Literal["none", "meta", "twilio", "zapi"] = "none"
    channel_seller: str = Field(
        default="vendedor",
        description="Login of the seller who owns webhook messages not matched by channel_sellers.",
    )
    channel_sellers: dict[str, str] = Field(
        default_factory=dict,
        description="Business number (E.164 or digits), Meta phone_number_id, Z-API/Evolution "
        'instance or Twilio number → seller login, as JSON: {"1122334455667": "ana"}.',
    )
    meta_templates: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Approved Cloud API template names offered outside the 24-hour window.",
    )
    webhook_max_body_bytes: int = Field(
        default=1_048_576, description="Bigger webhook bodies are refused with 413."
    )
    media_max_bytes: int = Field(
        default=100 * 1024 * 1024, description="Bigger media downloads are refused."
    )
    worker_poll_s: float = 0.5
    worker_lease_s: float = Field(
        default=300.0,
        description="A RUNNING job whose worker is silent this long is claimed again.",
    )

    @field_validator("seller_names", "meta_templates", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        """`a,b` or a JSON list, from the environment (NoDecode: the JSON is parsed here)."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'copiloto.db').resolve()}"

    @property
    def blob_dir(self) -> Path:
        """Content-addressed store for raw imports and media files."""
        return self.data_dir / "blobs"

    @property
    def models_dir(self) -> Path:
        """Where packaged models split in parts are assembled once."""
        return self.data_dir / "models"

    @property
    def prompts_dir(self) -> Path:
        return bundled_path("prompts")
