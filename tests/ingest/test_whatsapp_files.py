"""The parser over every real export in ../shared/data/whatsapp_exports and every format line."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from copiloto.domain.enums import MessageKind
from copiloto.ingest.whatsapp.accounting import line_accounting_errors
from copiloto.ingest.whatsapp.archive import decode_chat_bytes
from copiloto.ingest.whatsapp.parser import parse_export

EXPORTS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "whatsapp_exports"

D = datetime
WHATSR_AUTHORS = ["Mallory", "Dave", "Alice", "Bob", "Carol"]
MINER_AUTHORS = ["John Doe", "Jahn Doe", "John-John Doe", "John Doe 🤓", "🤓"]

# Expected figures, counted by reading each file by eye (not by running the parser):
# lines = physical lines without the final newline's empty line; blank = empty lines outside
# messages; media = attachments and omitted-media placeholders; first/last = the first and the last
# message in file order (hand-edited WhatsR files end on an earlier time than their second-to-last
# line: that is the file, not the parser). WhatsR: lines 1,2,3,5,6,7,8,9 are group events; line 15
# is a voice note (.opus), line 20 the omitted image/media, lines 32-33 locations.
# chat-miner: lines 6-7 are system lines; messages at 3 and 10 span two lines. testlog: lines 11-13
# are system lines, the message at line 5 spans six lines. pokemon: line 1 is the encryption notice
# under the chat's name, line 2 the group notice.
FILES: list[tuple[str, str, str, int, int, int, int, int, datetime, datetime, list[str]]] = [
    # file, platform, order, lines, blank, messages, system, media, first, last, authors
    ("WhatsR/englishandroid24h.txt", "android", "mdy", 53, 3, 42, 8, 2,
     D(2018, 1, 29, 12, 24), D(2018, 1, 30, 0, 23), WHATSR_AUTHORS),
    ("WhatsR/englishandroidampm.txt", "android", "mdy", 51, 1, 42, 8, 2,
     D(2018, 1, 29, 12, 24), D(2018, 1, 30, 0, 23), WHATSR_AUTHORS),
    ("WhatsR/englishios24h.txt", "ios", "mdy", 50, 0, 42, 8, 2,
     D(2018, 1, 29, 12, 24, 12), D(2018, 1, 30, 0, 23, 3), WHATSR_AUTHORS),
    ("WhatsR/englishiosampm.txt", "ios", "mdy", 51, 1, 42, 8, 2,
     D(2018, 1, 29, 12, 24, 12), D(2018, 1, 30, 0, 23, 3), WHATSR_AUTHORS),
    ("WhatsR/germanandroid24h.txt", "android", "dmy", 50, 0, 42, 8, 2,
     D(2018, 1, 29, 12, 24), D(2018, 1, 30, 0, 13), WHATSR_AUTHORS),
    ("WhatsR/germanandroidampm.txt", "android", "dmy", 50, 0, 42, 8, 2,
     D(2018, 1, 29, 12, 24), D(2018, 1, 30, 0, 23), WHATSR_AUTHORS),
    ("WhatsR/germanios24h.txt", "ios", "dmy", 50, 0, 42, 8, 2,
     D(2018, 1, 29, 12, 24, 3), D(2018, 1, 30, 0, 13, 3), WHATSR_AUTHORS),
    ("WhatsR/germaniosampm.txt", "ios", "dmy", 50, 0, 42, 8, 2,
     D(2018, 1, 29, 12, 24, 3), D(2018, 1, 30, 0, 23, 3), WHATSR_AUTHORS),
    ("chat-miner/test_[mmddyy]_24hrs.txt", "ios", "mdy", 11, 0, 7, 2, 0,
     D(2019, 1, 1, 11, 25), D(2021, 12, 30, 22, 1), MINER_AUTHORS),
    ("chat-miner/test_ddmmyy_24hrs.txt", "android", "dmy", 11, 0, 7, 2, 0,
     D(2019, 1, 1, 11, 25), D(2021, 12, 30, 22, 1), MINER_AUTHORS),
    ("chat-miner/test_mmddyy_24hrs.txt", "android", "mdy", 11, 0, 7, 2, 0,
     D(2019, 1, 1, 11, 25), D(2021, 12, 30, 22, 1), MINER_AUTHORS),
    ("chat-miner/test_mmddyyyy_12hrs.txt", "android", "mdy", 11, 0, 7, 2, 0,
     D(2019, 1, 1, 11, 25), D(2021, 12, 30, 22, 1), MINER_AUTHORS),
    ("chat-miner/test_yyyymmdd_24hrs.txt", "android", "ymd", 11, 0, 7, 2, 0,
     D(2019, 1, 1, 11, 25), D(2021, 12, 30, 22, 1), MINER_AUTHORS),
    ("chat-miner/testlog_b8f4887.txt", "android", "mdy", 29, 0, 20, 3, 0,
     D(2019, 12, 24, 11, 23), D(2022, 12, 24, 13, 1),
     ["John Doe", "Jahn Doe", "+12 345 578", "John-John Doe", "John Doe 🤓", "🤓"]),
    ("chatvault/Conversa do WhatsApp com Fulano.txt", "android", "dmy", 2, 0, 1, 0, 1,
     D(2023, 9, 22, 13, 33), D(2023, 9, 22, 13, 33), ["Fulano"]),
    ("rwhatsapp/sample.txt", "android", "dmy", 11, 1, 7, 2, 1,
     D(2017, 7, 12, 22, 35), D(2018, 9, 28, 13, 30), ["Johannes Gruber", "Test"]),
    ("whatstk/pokemon.txt", "android", "dmy", 21, 1, 18, 2, 0,
     D(2016, 8, 6, 13, 23), D(2016, 10, 31, 12, 23),
     ["Ash Ketchum", "Brock", "Misty", "Prof. Oak", "Jessie & James", "Raichu", "Meowth",
      "Wobbuffet"]),
    ("whatstk/lorem.txt", "ios", "dmy", 500, 0, 500, 0, 0,
     D(2020, 1, 15, 2, 22, 56), D(2020, 5, 11, 22, 32, 48),
     ["Mary", "+1 123 456 789", "Giuseppe", "John"]),
]  # fmt: skip


def _read(relative: str) -> str:
    path = EXPORTS / relative
    if not path.is_file():
        pytest.skip(f"shared data not found at {path}")
    return decode_chat_bytes(path.read_bytes())


def test_the_table_covers_every_export_file() -> None:
    if not EXPORTS.is_dir():
        pytest.skip(f"shared data not found at {EXPORTS}")
    on_disk = sorted(p.relative_to(EXPORTS).as_posix() for p in EXPORTS.rglob("*.txt"))
    assert on_disk == sorted(row[0] for row in FILES)


@pytest.mark.parametrize("row", FILES, ids=[row[0] for row in FILES])
def test_export_file(row: tuple) -> None:
    name, platform, order, lines, blank, messages, system, media, first, last, authors = row
    text = _read(name)
    export = parse_export(text)

    assert line_accounting_errors(export, text) == []
    assert export.problems == []
    assert (export.platform, export.date_order) == (platform, order)
    assert (export.line_count, export.blank_lines) == (lines, blank)
    assert (len(export.messages), len(export.system)) == (messages, system)
    assert sum(1 for m in export.messages if m.kind.is_media) == media
    assert (export.messages[0].sent_at, export.messages[-1].sent_at) == (first, last)
    assert export.authors == authors


@pytest.mark.parametrize("name", [row[0] for row in FILES if row[0].startswith("WhatsR/")])
def test_whatsr_kinds_and_attachments(name: str) -> None:
    export = parse_export(_read(name))
    by_line = {m.line_no: m for m in export.messages}
    kinds = Counter(m.kind for m in export.messages)
    assert kinds[MessageKind.TEXT] == 38
    assert kinds[MessageKind.LOCATION] == 2
    assert kinds[MessageKind.AUDIO] == 1
    assert by_line[15].attachment == "PTT-20180129-WA0025.opus"
    assert by_line[15].text == ""
    # Android without media writes a typeless placeholder; iOS names the type.
    expected_placeholder = MessageKind.MEDIA if "android" in name else MessageKind.IMAGE
    assert by_line[20].kind is expected_placeholder
    assert by_line[36].author == "Carol" and by_line[36].text == ""
    assert [s.line_no for s in export.system] == [1, 2, 3, 5, 6, 7, 8, 9]
    assert "\ufeff" not in "".join(m.text for m in export.messages)
    assert "\u200e" not in "".join(m.text for m in export.messages)


def test_lorem_phone_author_counts() -> None:
    # Counted with grep on the file: "] +1 123 456 789:" 145, "] John:" 124, ...
    export = parse_export(_read("whatstk/lorem.txt"))
    counts = Counter(m.author for m in export.messages)
    assert counts == {"+1 123 456 789": 145, "John": 124, "Giuseppe": 118, "Mary": 113}
    assert all(m.text == m.text.strip() for m in export.messages)


def test_testlog_mixed_header_shapes() -> None:
    export = parse_export(_read("chat-miner/testlog_b8f4887.txt"))
    by_line = {m.line_no: m for m in export.messages}
    assert by_line[5].line_count == 6
    assert by_line[5].text.endswith("Cras scelerisque neque.")
    assert by_line[15].sent_at == D(2019, 9, 24, 23, 30)  # "11:30 p.m."
    assert by_line[16].sent_at == D(2019, 9, 24, 11, 30)  # "11:30 a.m."
    assert by_line[17].sent_at == D(2019, 12, 24, 23, 30)  # "p. m."
    assert by_line[19].sent_at == D(2022, 9, 10, 22, 37)  # "[09/10/22 10:37:00 p.m.]"
    assert by_line[21].sent_at == D(2021, 10, 24, 15, 21, 43)  # "[10.24.21, 15:21:43]"
    assert by_line[23].text == "Testing dash - in message body"
    assert by_line[24].text == "Testing abnormal unicode"  # U+00A0 read as a space
    assert by_line[27].sent_at == D(2022, 12, 24, 13, 1)  # "2022/12/24, 13:01. -"
    assert by_line[2].text == "Lorem ipsum : dolor sit amet."


# One row per line of format_variant_lines.json, in order. Expected values are those of the
# upstream tests cited in each entry's "source" (Pustur: June 3rd 13:55 and June 13th 21:25:15;
# chatvault: the dates and texts of MessageParserTest.kt). One deliberate difference: chatvault
# keeps "Name: \u200eName changed the group name…" as a message; here it is a system line.
S = "system"
NOTICE = (
    "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente "
    "entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las. "
    "Toque para saber mais."
)
JUNE3 = D(2018, 6, 3, 13, 55)
JUNE13 = D(2018, 6, 13, 21, 25, 15)
TEXT, IMAGE = MessageKind.TEXT, MessageKind.IMAGE
FORMAT_LINES: list[tuple] = [
    ("Loris", D(2018, 6, 23, 13, 55), "one", TEXT, None),
    (S, D(2017, 3, 6, 0, 45), 'You created group "Test"'),
    ("Luke", D(2017, 2, 3, 18, 42), "", TEXT, None),
    ("Loris", D(2018, 6, 23, 13, 55), "one\ntwo", TEXT, None),
    ("Luke", D(2018, 6, 23, 1, 55), "Hey!", TEXT, None),
    ("a", JUNE3, "m", TEXT, None),
    ("a", JUNE3, "m", TEXT, None),
    ("a", JUNE13, "m", TEXT, None),
    ("a", JUNE13, "m", TEXT, None),
    ("a", JUNE13, "m", TEXT, None),
    ("a", JUNE13, "m", TEXT, None),
    ("a", JUNE3, "m", TEXT, None),
    ("a", JUNE3, "m", TEXT, None),
    ("a", JUNE13, "m", TEXT, None),
    ("a", JUNE13, "m", TEXT, None),
    ("a", JUNE3, "m", TEXT, None),
    ("a", JUNE3, "m", TEXT, None),
    ("a", JUNE3, "", IMAGE, "00000042-PHOTO-2020-06-07-15-13-20.jpg"),
    ("a", JUNE3, "", IMAGE, "IMG-20210428-WA0001.jpg"),
    ("a", JUNE3, "", IMAGE, "2015-08-04-PHOTO-00004762.jpg"),
    ("a", JUNE3, "Dir auch frohe Ostern.", IMAGE, "4f2680f1db95a8454775cc2eefc95bfc.jpg"),
    (S, D(2023, 8, 15, 18, 16), NOTICE),
    (S, D(2023, 8, 15, 18, 16), NOTICE),
    ("Beltrano", D(2023, 8, 13, 18, 24), "Opa, vlw Fulano !🙃", TEXT, None),
    ("Fulano", D(2023, 9, 19, 22, 58), "Olha aquela coisa!\nVou pendurar na sala kkkk\nHahahahah",
     TEXT, None),
    ("Fulano", D(2023, 9, 19, 22, 58), "Olha aquela coisa!", TEXT, None),
    (S, D(2013, 4, 11, 21, 56, 3), "Name changed the group name to “my family”"),
    ("Fulano", D(2023, 9, 19, 22, 58), "Olha aquela coisa!", TEXT, None),
    ("Fulano", D(2023, 9, 22, 13, 33), "Esse é  um teste", IMAGE, "IMG-20230922-WA0006.jpg"),
    (S, D(2023, 8, 13, 18, 16), NOTICE),
]  # fmt: skip


def _format_lines() -> list[dict]:
    path = EXPORTS / "format_variant_lines.json"
    if not path.is_file():
        pytest.skip(f"shared data not found at {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def test_format_lines_table_matches_file() -> None:
    assert len(_format_lines()) == len(FORMAT_LINES)


@pytest.mark.parametrize("index", range(len(FORMAT_LINES)))
def test_format_variant_line(index: int) -> None:
    line = _format_lines()[index]["line"]
    expected = FORMAT_LINES[index]
    export = parse_export(line)
    assert line_accounting_errors(export, line) == []
    assert export.problems == []
    if expected[0] == S:
        assert export.messages == []
        assert [(s.sent_at, s.text) for s in export.system] == [expected[1:]]
        return
    assert export.system == []
    [message] = export.messages
    author, sent_at, text, kind, attachment = expected
    assert (message.author, message.sent_at, message.text) == (author, sent_at, text)
    assert (message.kind, message.attachment) == (kind, attachment)
    assert message.line_count == line.count("\n") + 1
