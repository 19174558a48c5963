"""Streaming one JSON string field: whatever way the model's output is cut into chunks."""

import json
import random

import pytest

from copiloto.suggestions.json_stream import stream_string_field

TEXT = 'Olá, Carla! O "frete" grátis \\ vale até sexta 😊 [m12]\nAbraço, é ótimo'


@pytest.mark.parametrize("ascii_only", [True, False], ids=["escaped", "utf8"])
def test_any_chunking_yields_the_decoded_value(ascii_only: bool) -> None:
    document = json.dumps(
        {"replies": [{"tone": "empático", "text": TEXT}]}, ensure_ascii=ascii_only
    )
    rng = random.Random(7)
    for _ in range(300):
        cuts = sorted(rng.sample(range(1, len(document)), 20))
        chunks = [document[a:b] for a, b in zip([0, *cuts], [*cuts, len(document)], strict=True)]
        assert "".join(stream_string_field(chunks, "text")) == TEXT


def test_pieces_arrive_before_the_string_closes_and_reading_stops_there() -> None:
    read: list[str] = []

    def model() -> object:
        for chunk in ['{"tone": "direto", "te', 'xt": "Bom ', "dia", '!"}', " lixo"]:
            read.append(chunk)
            yield chunk

    pieces = stream_string_field(model(), "text")
    assert next(pieces) == "Bom "
    assert read[-1] == 'xt": "Bom '  # yielded while the model was still writing
    assert list(pieces) == ["dia", "!"]
    assert " lixo" not in read  # nothing read past the closing quote


def test_a_cut_off_string_yields_what_came_and_a_missing_field_nothing() -> None:
    assert "".join(stream_string_field(['{"text": "Olá, tud'], "text")) == "Olá, tud"
    assert list(stream_string_field(['{"tone": "formal"}'], "text")) == []
