"""Channel settings as an operator writes them in the environment."""

import pytest

from copiloto.channels.inbox import SellerResolver
from copiloto.settings import Settings


@pytest.mark.parametrize(
    "raw", ["retomar_contato, boas_vindas", '["retomar_contato", "boas_vindas"]']
)
def test_templates_from_env(monkeypatch, raw: str) -> None:
    monkeypatch.setenv("COPILOTO_META_TEMPLATES", raw)
    assert Settings(_env_file=None).meta_templates == ["retomar_contato", "boas_vindas"]


def test_seller_mapping_by_business_id_number_or_default(monkeypatch) -> None:
    monkeypatch.setenv(
        "COPILOTO_CHANNEL_SELLERS", '{"1122334455667": "ana", "+1 415 523-8886": "bruno"}'
    )
    monkeypatch.setenv("COPILOTO_CHANNEL_SELLER", "plantao")
    resolver = SellerResolver(Settings(_env_file=None))
    assert resolver.login_for("1122334455667") == "ana"
    assert resolver.login_for("+14155238886") == "bruno"  # matched on digits
    assert resolver.login_for("A20DA9C0183A2D35A260F53F5D2B9244") == "plantao"
    assert resolver.login_for(None) == "plantao"
