"""Evidence pieces for generation tests (shared: conftest modules are not importable by name)."""

from datetime import UTC, datetime

from copiloto.suggestions.schemas import Evidence


def make_evidence(
    message_id: int, text: str, *, minute: int = 0, author: str = "Marina"
) -> Evidence:
    return Evidence(
        node_id=f"n{message_id}",
        text=text,
        kind="message",
        client_id=1,
        message_ids=[message_id],
        time=datetime(2025, 3, 12, 17, minute, tzinfo=UTC),
        author=author,
    )
