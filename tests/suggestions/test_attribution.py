"""Citations found by code for answers written without markers: figures first, then words."""

from datetime import UTC, datetime

from copiloto.suggestions.attribution import attribute
from copiloto.suggestions.generation import with_attribution
from copiloto.suggestions.schemas import Answer, Evidence
from support.evidence import make_evidence


def window(ids: list[int], lines: list[str]) -> Evidence:
    return Evidence(
        node_id="w",
        text="\n".join(lines),
        kind="window",
        client_id=1,
        message_ids=ids,
        time=datetime(2025, 3, 12, 17, 0, tzinfo=UTC),
        author="Marcos",
    )


EVIDENCE = [
    window(
        [10, 11, 12],
        [
            "Marcos: quanto fica o kit de 5 kWp instalado?",
            "Rafael: R$ 22.600,00 no cartão ou R$ 21.400,00 à vista no pix",
            "Marcos: fechado no pix então",
        ],
    ),
    make_evidence(20, "O caminhão quebrou na rodovia, reagendamos a instalação para sexta 20/03"),
    make_evidence(30, "Achei o frete caro demais, vou pensar"),
]


def test_a_figure_cites_the_very_line_that_holds_it() -> None:
    assert attribute("Ele pagou R$ 21.400,00 à vista no pix.", EVIDENCE) == [11]
    assert attribute("A instalação foi reagendada para 20/03.", EVIDENCE) == [20]


def test_without_figures_the_piece_sharing_most_words_is_cited() -> None:
    assert attribute("A Carla achou o frete caro demais.", EVIDENCE) == [30]
    assert attribute("Não consta no histórico.", EVIDENCE) == []  # nothing to point at


def test_the_models_own_citations_win_and_attribution_is_marked() -> None:
    cited = Answer(text="Pagou R$ 21.400,00 [m11].", message_ids=[11])
    assert with_attribution(cited, EVIDENCE) is cited
    found = with_attribution(Answer(text="Pagou R$ 21.400,00 no pix."), EVIDENCE)
    assert found.message_ids == [11] and found.attributed
    assert with_attribution(Answer(text="Pagou R$ 99,00."), []).message_ids == []
