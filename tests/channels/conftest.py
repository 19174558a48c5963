"""Fixtures for the channel tests (helpers live in channel_support.py)."""

from collections.abc import Iterator

import pytest
from channel_support import (
    META_SECRET,
    TWILIO_TOKEN,
    WEBHOOK_SECRET,
    App,
    LiveServer,
    ProviderStandIn,
    _secret,
    build_standin,
    start_app,
)
from sqlalchemy.engine import Engine

from copiloto.settings import Settings


@pytest.fixture
def standin() -> Iterator[ProviderStandIn]:
    state = ProviderStandIn()
    with LiveServer(build_standin(state)) as server:
        state.url = server.url
        yield state


@pytest.fixture
def channel_settings(settings: Settings, standin: ProviderStandIn) -> Settings:
    return settings.model_copy(
        update={
            "meta_app_secret": _secret(META_SECRET),
            "meta_verify_token": _secret("verify-me"),
            "meta_access_token": _secret("meta-token"),
            "meta_phone_number_id": "1122334455667",
            "meta_api_url": f"{standin.url}/meta/v21.0",
            "twilio_account_sid": "AC123",
            "twilio_auth_token": _secret(TWILIO_TOKEN),
            "twilio_from": "+14155238886",
            "twilio_api_url": f"{standin.url}/twilio",
            "zapi_instance": "INST1",
            "zapi_token": _secret("zapi-token"),
            "zapi_client_token": _secret("zapi-client-token"),
            "zapi_api_url": f"{standin.url}/zapi",
            "webhook_secret": _secret(WEBHOOK_SECRET),
            "meta_templates": ["retomar_contato", "boas_vindas"],
            "webhook_max_body_bytes": 64 * 1024,
        }
    )


@pytest.fixture
def app(channel_settings: Settings, engine: Engine) -> Iterator[App]:
    with start_app(channel_settings, engine) as server:
        yield App(url=server.url, settings=channel_settings, engine=engine)
