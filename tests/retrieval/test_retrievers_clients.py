"""Client resolution: phones, full and partial names, accents, ambiguity, close matches in pt-BR."""
# ruff: noqa: F811  (fixtures imported from retrieval_support are parameters here)

import pytest
from retrieval_support import ChatBuilder, chats, session  # noqa: F401  (fixtures)

from copiloto.retrieval.clients import UnknownClient, resolve_client


@pytest.fixture
def people(chats: ChatBuilder):
    return {
        "carla": chats.client("Carla Mendes", phone="+5511987654321"),
        "ines": chats.client("Inês Duarte", phone="+5521998765432"),
        "joao_s": chats.client("João Silva"),
        "joao_p": chats.client("João Pereira"),
        "rui_carla": chats.client("Carla Mendes", seller="Vendedor Rui"),
    }


def test_phone_in_any_form_finds_the_client(session, people) -> None:
    seller = people["carla"].seller_id
    for raw in ("+55 11 98765-4321", "5511987654321", "(11) 98765-4321", "whatsapp:+5511987654321"):
        assert resolve_client(session, raw, seller_id=seller).id == people["carla"].id


def test_names_fold_case_and_accents_and_first_names_match(session, people) -> None:
    seller = people["carla"].seller_id
    assert resolve_client(session, "carla mendes", seller_id=seller).id == people["carla"].id
    assert resolve_client(session, "Carla", seller_id=seller).id == people["carla"].id
    assert resolve_client(session, "ines", seller_id=seller).id == people["ines"].id
    assert resolve_client(session, "joão p", seller_id=seller).id == people["joao_p"].id


def test_seller_scope_hides_other_sellers_clients(session, people) -> None:
    rui = people["rui_carla"].seller_id
    assert resolve_client(session, "Carla", seller_id=rui).id == people["rui_carla"].id
    with pytest.raises(UnknownClient) as error:
        resolve_client(session, "Inês", seller_id=rui)
    assert error.value.close_matches == []
    assert "não encontrado" in str(error.value)


def test_ambiguous_name_lists_the_candidates(session, people) -> None:
    with pytest.raises(UnknownClient) as error:
        resolve_client(session, "João", seller_id=people["carla"].seller_id)
    assert error.value.ambiguous
    assert set(error.value.close_matches) == {"João Silva", "João Pereira"}
    assert str(error.value).startswith('Mais de um cliente corresponde a "João"')


def test_unknown_name_suggests_close_matches(session, people) -> None:
    with pytest.raises(UnknownClient) as error:
        resolve_client(session, "Karla Mendez", seller_id=people["carla"].seller_id)
    assert error.value.close_matches[0] == "Carla Mendes"
    assert (
        str(error.value) == 'Cliente "Karla Mendez" não encontrado. Você quis dizer: Carla Mendes?'
    )


def test_unknown_phone_is_an_error(session, people) -> None:
    with pytest.raises(UnknownClient):
        resolve_client(session, "+55 11 91111-2222", seller_id=people["carla"].seller_id)
