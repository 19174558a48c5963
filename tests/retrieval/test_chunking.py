"""Chunking of chats: windows split at silences and size, messages, transcripts, documents."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from copiloto.retrieval.chunking import (
    ChatLine,
    ChunkingOptions,
    ConversationInfo,
    DocumentPiece,
    canned_key,
    chunk_conversation,
    node_id_for,
)

T0 = datetime(2025, 5, 2, 10, 0, tzinfo=UTC)
INFO = ConversationInfo(conversation_id=7, client_id=3, seller_id=1, outcome="open")


def line(
    message_id: int,
    text: str,
    *,
    minutes: float = 0,
    who: str = "in",
    kind: str = "text",
    transcript: str | None = None,
) -> ChatLine:
    return ChatLine(
        message_id=message_id,
        conversation_id=7,
        client_id=3,
        seller_id=1,
        sent_at=T0 + timedelta(minutes=minutes),
        direction=who,
        author="Carla" if who == "in" else "Ana",
        kind=kind,
        text=text,
        sentiment="negativo" if "caro" in text else None,
        transcript=transcript,
    )


def windows(chunks):
    return [c for c in chunks if c.metadata["kind"] == "window"]


def test_silence_splits_windows_and_each_window_points_to_its_messages() -> None:
    lines = [
        line(1, "Oi, quanto custa o kit verão?"),
        line(2, "Custa R$ 189,90", minutes=1, who="out"),
        line(3, "achei caro", minutes=2),
        line(4, "Bom dia! Pensou no kit?", minutes=60 * 72, who="out"),
        line(5, "vou fechar sim", minutes=60 * 72 + 5),
    ]
    chunks = chunk_conversation(INFO, lines)
    found = windows(chunks)
    assert [w.metadata["message_ids"] for w in found] == [[1, 2, 3], [4, 5]]
    first = found[0]
    assert first.text.splitlines() == [
        "Carla: Oi, quanto custa o kit verão?",
        "Ana: Custa R$ 189,90",
        "Carla: achei caro",
    ]
    assert first.metadata["direction"] == "mixed"
    assert first.metadata["author"] == "Carla"
    assert first.metadata["sentiment"] == "negativo"  # the client's last one in the window
    assert first.metadata["time"] == T0.timestamp()
    assert first.metadata["client_id"] == 3 and first.metadata["outcome"] == "open"


def test_windows_are_capped_in_size_and_stable_when_messages_are_appended() -> None:
    options = ChunkingOptions(window_max_chars=120, window_min_chars=0)
    lines = [line(i, f"mensagem número {i} com algumas palavras", minutes=i) for i in range(1, 11)]
    before = windows(chunk_conversation(INFO, lines, options=options))
    assert len(before) > 2
    assert all(len(w.text) <= 120 for w in before)
    assert sorted({i for w in before for i in w.metadata["message_ids"]}) == list(range(1, 11))
    for left, right in pairwise(before):  # overlap: question → answer
        assert left.metadata["message_ids"][-1] == right.metadata["message_ids"][0]

    longer = [*lines, line(11, "mais uma", minutes=11)]
    after = windows(chunk_conversation(INFO, longer, options=options))
    # every window but the last keeps its id and fingerprint: re-indexing touches only the tail
    assert [(w.node_id, w.fingerprint) for w in before[:-1]] == [
        (w.node_id, w.fingerprint) for w in after[: len(before) - 1]
    ]


def test_short_tail_is_merged_into_the_previous_window() -> None:
    options = ChunkingOptions(window_max_chars=100, window_min_chars=40)
    lines = [
        line(1, "a" * 40),
        line(2, "b" * 40, minutes=1),
        line(3, "ok", minutes=2),
    ]
    found = windows(chunk_conversation(INFO, lines, options=options))
    assert [w.metadata["message_ids"] for w in found] == [[1, 2, 3]]


def test_short_messages_live_only_in_windows_and_system_lines_are_skipped() -> None:
    lines = [
        line(1, "ok"),
        line(2, "Prefiro pagar no pix, tem desconto?", minutes=1),
        line(3, "As mensagens são protegidas", minutes=2, who="none", kind="system"),
        line(4, "", minutes=3, kind="image"),
    ]
    chunks = chunk_conversation(INFO, lines, options=ChunkingOptions(message_nodes=True))
    messages = [c for c in chunks if c.metadata["kind"] == "message"]
    assert [c.metadata["message_ids"] for c in messages] == [[2]]
    assert messages[0].text == "Carla: Prefiro pagar no pix, tem desconto?"
    assert windows(chunks)[0].metadata["message_ids"] == [1, 2]


def test_audio_transcript_becomes_its_own_piece_and_fills_the_window() -> None:
    lines = [
        line(1, "", kind="audio", transcript="quero entrega na sexta de manhã"),
        line(2, "Combinado!", minutes=1, who="out"),
    ]
    chunks = chunk_conversation(INFO, lines)
    transcript = [c for c in chunks if c.metadata["kind"] == "transcript"]
    assert len(transcript) == 1
    assert transcript[0].metadata["message_ids"] == [1]
    assert "quero entrega na sexta" in transcript[0].text
    assert "(áudio) quero entrega na sexta de manhã" in windows(chunks)[0].text


def test_document_chunks_carry_their_source_message_file_and_page() -> None:
    lines = [line(1, "", kind="document"), line(2, "Recebi o catálogo", minutes=1)]
    documents = [
        DocumentPiece(
            key="11",
            message_id=1,
            page=2,
            title="Tabela de preços",
            text="Kit verão R$ 189,90",
            filename="catalogo.pdf",
        )
    ]
    chunks = chunk_conversation(INFO, lines, documents)
    docs = [c for c in chunks if c.metadata["kind"] == "document"]
    assert len(docs) == 1
    assert docs[0].metadata["message_ids"] == [1]
    assert docs[0].metadata["filename"] == "catalogo.pdf"
    assert docs[0].metadata["page"] == 2
    assert docs[0].text == "[catalogo.pdf · Tabela de preços] Kit verão R$ 189,90"


def test_ids_are_deterministic_uuids_and_fingerprints_follow_content_and_payload() -> None:
    lines = [line(1, "Oi, quanto custa o kit verão?")]
    a = chunk_conversation(INFO, lines)
    b = chunk_conversation(INFO, lines)
    assert [c.node_id for c in a] == [c.node_id for c in b]
    assert a[0].node_id == node_id_for(a[0].key)
    won = ConversationInfo(conversation_id=7, client_id=3, seller_id=1, outcome="won")
    c = chunk_conversation(won, lines)
    assert [x.node_id for x in c] == [x.node_id for x in a]
    assert all(x.fingerprint != y.fingerprint for x, y in zip(a, c, strict=True))


def test_canned_key_ignores_names_and_numbers() -> None:
    assert canned_key("Carla, tudo bem? Tem alguém que precisa de orçamento?") == canned_key(
        "Marcos, tudo bem? Tem alguém que precisa de orçamento?"
    )
    assert canned_key("Lembrete: sua revisão vence em 12/05") == canned_key(
        "Lembrete: sua revisão vence em 03/09"
    )
    assert canned_key("ok obg") is None  # too short to tell


def test_windows_carry_their_share_of_canned_messages() -> None:
    follow_up = "Carla, tudo bem? Qualquer dúvida sobre a garantia é só chamar."
    lines = [
        line(1, follow_up, who="out"),
        line(2, "obrigada!", minutes=1),
        line(3, "a porta do armário veio riscada", minutes=60 * 72),
        line(4, "Vou pedir a troca para a fábrica hoje", minutes=60 * 72 + 1, who="out"),
    ]
    canned = frozenset({canned_key(follow_up)})
    first, second = windows(chunk_conversation(INFO, lines, canned=canned))
    assert 0.7 < first.metadata["canned"] < 1.0  # "obrigada!" is too short to be a template
    assert second.metadata["canned"] == 0.0
    assert windows(chunk_conversation(INFO, lines))[0].metadata["canned"] == 0.0


def test_every_piece_lists_the_catalogue_products_it_mentions() -> None:
    info = ConversationInfo(
        conversation_id=7,
        client_id=3,
        seller_id=1,
        catalogue=("Kit Solar 5 kWp", "Inversor Híbrido 3 kW", "Bateria 10 kWh"),
    )
    lines = [
        line(1, "Quanto fica o kit solar instalado?"),
        line(2, "O inversor hibrido sai por R$ 4.200", minutes=1, who="out"),
        line(3, "", minutes=2, kind="audio", transcript="e a bateria 10 kwh também?"),
        line(4, "Obrigada, vou pensar", minutes=60 * 24 * 5),  # another window, no product
        line(5, "", minutes=60 * 24 * 5 + 1, kind="document"),
    ]
    documents = [
        DocumentPiece(
            key="9",
            message_id=5,
            page=1,
            title=None,
            text="Proposta: Kit Solar 5 kWp",
            filename="p.pdf",
        )
    ]
    chunks = chunk_conversation(info, lines, documents)
    first, second = windows(chunks)
    assert first.metadata["products"] == [
        "Inversor Híbrido 3 kW",  # accents and case ignored; longest names first
        "Kit Solar 5 kWp",  # "kit solar": the first two words of the name are enough
        "Bateria 10 kWh",  # heard in the voice note
    ]
    assert second.metadata["products"] == []
    [transcript] = [c for c in chunks if c.metadata["kind"] == "transcript"]
    assert transcript.metadata["products"] == ["Bateria 10 kWh"]
    [document] = [c for c in chunks if c.metadata["kind"] == "document"]
    assert document.metadata["products"] == ["Kit Solar 5 kWp"]
    assert windows(chunk_conversation(INFO, lines))[0].metadata["products"] == []  # no catalogue
