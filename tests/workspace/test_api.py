"""The JSON API: HTTP Basic auth, the same isolation as the UI, health."""

import pytest
from fastapi.testclient import TestClient

from copiloto.server.app import create_app


@pytest.fixture
def api(book):
    container, ids = book
    with TestClient(create_app(container, background=False, ui=False)) as client:
        yield client, ids


RAFAEL = ("rafael", "senha-rafael")
JULIANA = ("juliana", "senha-juliana")


def test_healthz_reports_database_and_vector_store(api) -> None:
    client, _ = api
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "vector_store": "ok"}


def test_requires_credentials(api) -> None:
    client, _ = api
    assert client.get("/api/clients").status_code == 401
    assert client.get("/api/clients", auth=("rafael", "errada")).status_code == 401


def test_lists_only_own_clients(api) -> None:
    client, _ = api
    names = [c["name"] for c in client.get("/api/clients", auth=RAFAEL).json()]
    assert sorted(names) == ["Carla Mendes", "Marcos Souza"]
    assert [c["name"] for c in client.get("/api/clients", auth=JULIANA).json()] == [
        "Bruno Teixeira"
    ]


def test_brief_and_messages_of_another_sellers_client_are_not_found(api) -> None:
    client, ids = api
    assert client.get(f"/api/clients/{ids['carla']}/brief", auth=JULIANA).status_code == 404
    assert client.get(f"/api/clients/{ids['carla']}/messages", auth=JULIANA).status_code == 404
    body = client.get(f"/api/clients/{ids['carla']}/brief", auth=RAFAEL).json()
    assert body["stage"] == "proposal_sent"
    assert body["brief"] is None and body["brief_stale"] is True
    assert body["facts"]["open_proposals"] == ["18990.00"]
    messages = client.get(f"/api/clients/{ids['carla']}/messages", auth=RAFAEL).json()
    assert [m["direction"] for m in messages] == ["in", "out", "in", "out"]


def test_send_a_message_records_it(api) -> None:
    client, ids = api
    response = client.post(
        "/api/messages", json={"client_id": ids["carla"], "text": "Oi Carla!"}, auth=RAFAEL
    )
    assert response.status_code == 201
    assert response.json()["status"] == "sent_by_hand"
    messages = client.get(f"/api/clients/{ids['carla']}/messages", auth=RAFAEL).json()
    assert messages[-1]["text"] == "Oi Carla!"
    forbidden = client.post(
        "/api/messages", json={"client_id": ids["carla"], "text": "invasão"}, auth=JULIANA
    )
    assert forbidden.status_code == 404
