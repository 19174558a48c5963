"""Rules of the export parser, one behaviour per test, on small pt-BR/en/de texts written here."""

from __future__ import annotations

import gc
import time
from datetime import datetime

import pytest

from copiloto.domain.enums import MessageKind
from copiloto.ingest.whatsapp.accounting import accounted_lines, line_accounting_errors
from copiloto.ingest.whatsapp.model import ParsedExport, ParsedMessage, format_problem, new_message
from copiloto.ingest.whatsapp.parser import parse_export


def parse(text: str, **options: str) -> ParsedExport:
    """Parse and check the zero-lost-lines invariant on every text of this module."""
    export = parse_export(text, **options)
    assert line_accounting_errors(export, text) == []
    return export


def one(line: str, **options: str):
    export = parse(line, **options)
    assert len(export.messages) == 1, (export.messages, export.system, export.problems)
    return export.messages[0]


# --- dates and times -----------------------------------------------------------------------


def test_day_first_settled_by_a_day_above_12_anywhere_in_the_file() -> None:
    text = "03/04/2024 10:00 - Ana: oi\n25/04/2024 10:00 - Ana: tchau\n"
    export = parse(text, locale_hint="en-US")  # the data wins over the hint
    assert export.date_order == "dmy"
    assert export.messages[0].sent_at == datetime(2024, 4, 3, 10, 0)


def test_month_first_settled_by_a_second_field_above_12() -> None:
    text = "3/4/24, 10:00 AM - Ann: hi\n3/25/24, 9:15 PM - Ann: bye\n"
    export = parse(text, locale_hint="pt-BR")
    assert export.date_order == "mdy"
    assert [m.sent_at for m in export.messages] == [
        datetime(2024, 3, 4, 10, 0),
        datetime(2024, 3, 25, 21, 15),
    ]


@pytest.mark.parametrize(
    ("hint", "order", "when"),
    [
        (None, "dmy", datetime(2024, 4, 3, 10, 0)),
        ("pt-BR", "dmy", datetime(2024, 4, 3, 10, 0)),
        ("de", "dmy", datetime(2024, 4, 3, 10, 0)),
        ("en_US", "mdy", datetime(2024, 3, 4, 10, 0)),
        ("en", "mdy", datetime(2024, 3, 4, 10, 0)),  # plain "en" with AM/PM: US style
    ],
)
def test_locale_hint_breaks_the_tie(hint: str | None, order: str, when: datetime) -> None:
    export = parse("03/04/2024, 10:00 AM - Ana: oi\n", **({"locale_hint": hint} if hint else {}))
    assert export.date_order == order
    assert export.messages[0].sent_at == when


def test_plain_en_without_ampm_stays_day_first() -> None:
    assert parse("03/04/2024, 10:00 - Ann: hi", locale_hint="en").date_order == "dmy"


def test_dates_running_forward_in_time_decide_before_the_hint() -> None:
    # No field is above 12. Day-first reads Jan 10, Feb 2, Feb 5 (always forward); month-first
    # reads Oct 1, Feb 2, May 2 (goes back once). Forward wins, even against an en-US hint.
    text = "10/01/2024 09:00 - Ana: a\n02/02/2024 09:00 - Ana: b\n05/02/2024 09:00 - Ana: c\n"
    assert parse(text, locale_hint="en-US").date_order == "dmy"


@pytest.mark.parametrize(
    ("line", "when"),
    [
        ("12/05/2024 14:30 - Ana: x", datetime(2024, 5, 12, 14, 30)),
        ("12/05/24, 14:30 - Ana: x", datetime(2024, 5, 12, 14, 30)),
        ("2024-05-12 14:30 - Ana: x", datetime(2024, 5, 12, 14, 30)),
        ("12.05.24, 14:30 - Ana: x", datetime(2024, 5, 12, 14, 30)),
        ("12-05-24 14:30:05 - Ana: x", datetime(2024, 5, 12, 14, 30, 5)),
        ("[12/05/24, 14:30:05] Ana: x", datetime(2024, 5, 12, 14, 30, 5)),
        ("[12/05/2024 2:30:05 p.\u202fm.] Ana: x", datetime(2024, 5, 12, 14, 30, 5)),
        ("12/05/2024 2:30 a.\u00a0m. - Ana: x", datetime(2024, 5, 12, 2, 30)),
        ("12/05/2024 12:10 a. m. - Ana: x", datetime(2024, 5, 12, 0, 10)),
        ("12/05/2024 12:10\u202fPM - Ana: x", datetime(2024, 5, 12, 12, 10)),
        ("\u200e[12/05/24, 14:30:05] Ana: x", datetime(2024, 5, 12, 14, 30, 5)),
        ("\ufeff12/05/2024 14:30 - Ana: x", datetime(2024, 5, 12, 14, 30)),
    ],
)
def test_header_shapes(line: str, when: datetime) -> None:
    message = one(line)
    assert (message.sent_at, message.author, message.text) == (when, "Ana", "x")
    assert message.sent_at.tzinfo is None


def test_platform_from_the_header_shape() -> None:
    assert parse("[12/05/24, 14:30:05] Ana: x").platform == "ios"
    assert parse("12/05/2024 14:30 - Ana: x").platform == "android"


# --- lines that are not messages -------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "15/08/2023 18:16 - As mensagens e as chamadas são protegidas com a criptografia de ponta "
        "a ponta e ficam somente entre você e os participantes desta conversa.",
        "15/08/2023 18:16 - Você criou o grupo “Clientes VIP”",
        "15/08/2023 18:16 - Fulano adicionou você",
        "15/08/2023 18:16 - Fulano saiu",
        "15/08/2023 18:16 - Fulano mudou para +55 11 98765-4321",
        "15/08/2023 18:16 - O código de segurança de Fulano mudou. Toque para saber mais.",
        "15/08/2023 18:16 - Fulano mudou o assunto de “a: b” para “c”",
        '1/29/18, 12:24 - You changed the subject from "Old: name" to "New"',
        "1/29/18, 12:24 - Ana changed their phone number to a new number. Tap to message or add "
        "the new number.",
        "[15/08/2023, 18:16:00] Loja Centro: \u200eMessages and calls are end-to-end encrypted. "
        "No one outside of this chat can read them.",
        "[15/08/2023, 18:16:00] Clientes VIP: \u200eFulano adicionou Beltrano",
        "[29.01.18, 12:24:03] Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.",
    ],
)
def test_system_lines(line: str) -> None:
    export = parse(line)
    assert export.messages == []
    assert len(export.system) == 1
    assert export.system[0].sent_at is not None
    assert "\u200e" not in export.system[0].text


def test_marked_text_without_an_event_phrase_stays_a_message() -> None:
    message = one("[15/08/2023, 18:16:00] Ana: \u200eComo fica o frete?")
    assert (message.author, message.text) == ("Ana", "Como fica o frete?")


def test_unreadable_lines_are_reported_with_their_line_number() -> None:
    text = (
        "lixo antes do cabeçalho\n"
        "\n"
        "31/02/2024 10:00 - Ana: data impossível\n"
        "continuação dela\n"
        "01/03/2024 25:61 - Ana: hora impossível\n"
        "01/03/2024 10:00 - Você criou o grupo\n"
        "texto depois de uma linha de sistema\n"
        "01/03/2024 10:01 - Ana: oi\n"
    )
    export = parse(text)
    assert [(p.line_no, p.reason) for p in export.problems] == [
        (1, "line before the first message header"),
        (3, "invalid date or time"),
        (4, "continuation of an unreadable line"),
        (5, "invalid date or time"),
        (7, "line after a one-line system line"),
    ]
    assert export.problems[0].line == "lixo antes do cabeçalho"
    assert [m.line_no for m in export.messages] == [8]
    assert export.blank_lines == 1
    assert accounted_lines(export) == export.line_count == 8
    assert format_problem("chat.txt", export.problems[1]).startswith(
        "chat.txt:3: invalid date or time: '31/02/2024"
    )


def test_problem_keeps_the_line_exactly_as_written() -> None:
    export = parse("\u200elinha solta\n01/03/2024 10:01 - Ana: oi")
    assert export.problems[0].line == "\u200elinha solta"


def test_empty_and_blank_texts() -> None:
    assert parse("").line_count == 0
    export = parse("\n\n  \n\u202a\u202c\n")
    assert (export.line_count, export.blank_lines, export.problems) == (4, 4, [])


# --- multi-line messages and line accounting -------------------------------------------------


def test_continuation_lines_join_with_newlines_and_blank_lines_inside_belong() -> None:
    text = "01/03/2024 10:00 - Ana: primeira\n\nterceira\n\n\n01/03/2024 10:05 - Bia: ok\n\n"
    export = parse(text)
    first = export.messages[0]
    assert first.text == "primeira\n\nterceira"
    assert first.line_count == 3
    assert export.blank_lines == 3  # two before Bia's header, one at the end
    assert export.line_count == 7


def test_crlf_line_endings() -> None:
    export = parse("01/03/2024 10:00 - Ana: um\r\ndois\r\n01/03/2024 10:01 - Bia: três\r\n")
    assert [m.text for m in export.messages] == ["um\ndois", "três"]
    assert export.line_count == 3


def test_a_date_inside_a_message_does_not_start_a_new_one() -> None:
    text = (
        "23/06/2018, 01:55 p.m. - Loris: one\ntwo\n2016-04-29 10:30:00\n29/04/2016 10:30 combinado"
    )
    export = parse(text)
    assert len(export.messages) == 1
    assert export.messages[0].text == "one\ntwo\n2016-04-29 10:30:00\n29/04/2016 10:30 combinado"
    assert export.messages[0].line_count == 4


# --- authors ---------------------------------------------------------------------------------


def test_phone_number_author_wrapped_in_direction_marks() -> None:
    message = one("12/05/2024 14:30 - \u202a+55 11 98765-4321\u202c: Bom dia!")
    assert message.author == "+55 11 98765-4321"
    assert message.text == "Bom dia!"


def test_author_with_emoji_and_tilde() -> None:
    assert one("12/05/2024 14:30 - Ana 🌸: oi").author == "Ana 🌸"
    assert one("12/05/2024 14:30 - ~\u202fAna Souza: oi").author == "Ana Souza"


def test_first_colon_splits_when_no_author_is_known() -> None:
    message = one("12/05/2024 14:30 - Ana: Obs: entrega amanhã")
    assert (message.author, message.text) == ("Ana", "Obs: entrega amanhã")


def test_names_with_colons_prefer_authors_seen_elsewhere() -> None:
    text = (
        "12/05/2024 14:30 - Loja: Centro: Bom dia: temos novidades\n"
        "12/05/2024 14:31 - Loja: Centro: Pedido: 123\n"
        "12/05/2024 14:32 - Ana: Obs: entrega amanhã\n"
        "12/05/2024 14:33 - Ana: oi\n"
    )
    export = parse(text)
    assert [(m.author, m.text) for m in export.messages] == [
        ("Loja: Centro", "Bom dia: temos novidades"),
        ("Loja: Centro", "Pedido: 123"),
        ("Ana", "Obs: entrega amanhã"),
        ("Ana", "oi"),
    ]


def test_a_name_every_body_goes_on_with_wins_a_longer_split() -> None:
    text = (
        "12/05/2024 14:30 - Dr: Silva: Consulta: amanhã\n"
        "12/05/2024 14:31 - Bia: Dr: Silva: confirmou\n"
        "12/05/2024 14:32 - Dr: Silva:\n"  # both bodies opening with "Dr" go on with "Silva"
    )
    export = parse(text)
    assert [(m.author, m.text) for m in export.messages] == [
        ("Dr: Silva", "Consulta: amanhã"),
        ("Bia", "Dr: Silva: confirmou"),
        ("Dr: Silva", ""),
    ]


def test_empty_message_and_colon_without_space() -> None:
    text = "12/05/2024 14:30 - Ana: oi\n12/05/2024 14:31 - Ana:\n12/05/2024 14:32 - Ana:.\n"
    export = parse(text)
    assert [(m.author, m.text) for m in export.messages] == [
        ("Ana", "oi"),
        ("Ana", ""),
        ("Ana", "."),
    ]


# --- content: media, deletions, edits, locations ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "attachment"),
    [
        ("<Mídia oculta>", MessageKind.MEDIA, None),
        ("<Media omitted>", MessageKind.MEDIA, None),
        ("<Medien ausgeschlossen>", MessageKind.MEDIA, None),
        ("image omitted", MessageKind.IMAGE, None),
        ("audio omitted", MessageKind.AUDIO, None),
        ("video omitted", MessageKind.VIDEO, None),
        ("sticker omitted", MessageKind.STICKER, None),
        ("Contact card omitted", MessageKind.CONTACT, None),
        ("Bild weggelassen", MessageKind.IMAGE, None),
        ("imagem ocultada", MessageKind.IMAGE, None),
        ("áudio ocultado", MessageKind.AUDIO, None),
        ("PTT-20200101-WA0001.opus (arquivo anexado)", MessageKind.AUDIO,
         "PTT-20200101-WA0001.opus"),
        ("\u200eIMG-20240101-WA0003.jpg (file attached)", MessageKind.IMAGE,
         "IMG-20240101-WA0003.jpg"),
        ("VID-20240101-WA0004.mp4 (Datei angehängt)", MessageKind.VIDEO,
         "VID-20240101-WA0004.mp4"),
        ("STK-20240101-WA0005.webp (arquivo anexado)", MessageKind.STICKER,
         "STK-20240101-WA0005.webp"),
        ("IMG-20240101-WA0006.webp (arquivo anexado)", MessageKind.IMAGE,
         "IMG-20240101-WA0006.webp"),
        ("<anexado: 00000012-PHOTO-2024-01-01-10-00-00.jpg>", MessageKind.IMAGE,
         "00000012-PHOTO-2024-01-01-10-00-00.jpg"),
        ("<attached: 00000013-AUDIO-2024-01-01-10-00-00.opus>", MessageKind.AUDIO,
         "00000013-AUDIO-2024-01-01-10-00-00.opus"),
        ("\u200e<anexado: 00000014-STICKER-2024-01-01-10-00-00.webp>", MessageKind.STICKER,
         "00000014-STICKER-2024-01-01-10-00-00.webp"),
        ("Proposta Comercial 2024.pdf (arquivo anexado)", MessageKind.DOCUMENT,
         "Proposta Comercial 2024.pdf"),
        ("Tabela.xlsx • 3 páginas <anexado: 00000015-Tabela.xlsx>", MessageKind.DOCUMENT,
         "00000015-Tabela.xlsx"),
        ("Fulano.vcf (arquivo anexado)", MessageKind.CONTACT, "Fulano.vcf"),
        ("audio.m4a (file attached)", MessageKind.AUDIO, "audio.m4a"),
        ("clip.3gp (file attached)", MessageKind.VIDEO, "clip.3gp"),
        ("foto.heic (file attached)", MessageKind.IMAGE, "foto.heic"),
    ],
)  # fmt: skip
def test_media_kinds(text: str, kind: MessageKind, attachment: str | None) -> None:
    message = one(f"12/05/2024 14:30 - Ana: {text}")
    assert (message.kind, message.attachment, message.text) == (kind, attachment, "")


def test_caption_on_the_line_after_an_attachment() -> None:
    text = "12/05/2024 14:30 - Ana: IMG-1.jpg (arquivo anexado)\nOlha o modelo azul\nserve?"
    message = one(text)
    assert (message.kind, message.attachment) == (MessageKind.IMAGE, "IMG-1.jpg")
    assert message.text == "Olha o modelo azul\nserve?"
    assert message.line_count == 3


def test_sentence_ending_in_omitted_is_text() -> None:
    message = one("12/05/2024 14:30 - Ann: some details omitted")
    assert message.kind is MessageKind.TEXT
    assert message.text == "some details omitted"


@pytest.mark.parametrize(
    "marker",
    [
        "Mensagem apagada",
        "Você apagou esta mensagem",
        "Esta mensagem foi apagada",
        "This message was deleted",
        "You deleted this message.",
        "Diese Nachricht wurde gelöscht.",
        "\u200eThis message was deleted",
    ],
)
def test_deleted_markers(marker: str) -> None:
    message = one(f"12/05/2024 14:30 - Ana: {marker}")
    assert (message.kind, message.text) == (MessageKind.DELETED, "")


@pytest.mark.parametrize(
    "marker",
    ["<Mensagem editada>", "<This message was edited>", "<Diese Nachricht wurde bearbeitet>"],
)
def test_edited_markers(marker: str) -> None:
    message = one(f"12/05/2024 14:30 - Ana: Fechado, pode mandar {marker}")
    assert message.edited is True
    assert message.text == "Fechado, pode mandar"
    multi = one(f"12/05/2024 14:30 - Ana: Linha 1\nLinha 2 {marker}")
    assert (multi.text, multi.edited) == ("Linha 1\nLinha 2", True)
    assert one("12/05/2024 14:30 - Ana: texto <qualquer>").edited is False


URL = "https://maps.google.com/?q=-23.5,-46.6"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"localização: {URL}", URL),
        (f"location: {URL}", URL),
        (f"Location: {URL}", URL),  # iOS capitalises; the same chat from Android must match
        (f"Standort: {URL}", URL),
        ("live location shared", ""),
        ("Localização em tempo real compartilhada", ""),
    ],
)
def test_locations_keep_only_the_place(text: str, kept: str) -> None:
    message = one(f"12/05/2024 14:30 - Ana: {text}")
    assert (message.kind, message.text) == (MessageKind.LOCATION, kept)


def test_invisible_marks_are_removed_from_text_and_authors() -> None:
    message = one("\ufeff[29.01.18, 23:52:03] \u200eBob\u200e: \u200eSchick doch mal\ufeff!")
    assert (message.author, message.text) == ("Bob", "Schick doch mal!")


def test_fast_message_constructor_builds_the_same_frozen_record() -> None:
    values = (3, datetime(2024, 5, 12, 14, 30), "Ana", "oi", MessageKind.TEXT, None, True, 2)
    fast = new_message(*values)
    assert fast == ParsedMessage(*values)
    assert repr(fast) == repr(ParsedMessage(*values))
    with pytest.raises(AttributeError):
        fast.text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    [
        "12/05/2024 14:30 - Ana: " + "a.pdf • " * 50_000 + "omitted",
        "12/05/2024 14:30 - Ana: " + "a. " * 100_000 + "x (file attached)",
        "12/05/2024 14:30 - Ana: x" + " " * 200_000 + "y>",
        "12/05/2024 14:30 - " + "Ana:" * 100_000 + "x",
        "12/05/2024 14:30 - " + "Ana: " * 100_000,
        "12/05/2024 14:30 - " + "hat die Gruppe " * 20_000 + ": x",
    ],
    ids=["bullets", "dots", "spaces", "colons", "colon-spaces", "phrases"],
)
def test_hostile_long_lines_parse_in_linear_time(text: str) -> None:
    # Each took seconds to minutes with backtracking patterns; linear code takes milliseconds.
    started = time.process_time()
    export = parse(text)
    assert time.process_time() - started < 1.0
    assert export.line_count == 1


@pytest.mark.parametrize("enabled", [True, False])
def test_big_parse_restores_the_callers_gc_setting(enabled: bool) -> None:
    text = "12/05/2024 14:30 - Ana: oi, tudo bem com você?\n" * 25_000  # over 1 MB: GC paused
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        export = parse_export(text)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert len(export.messages) == 25_000
