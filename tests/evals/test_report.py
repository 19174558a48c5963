"""Every eval prints its figures the same way: one JSON line with --json, a table otherwise."""

import json

from copiloto.evals.report import print_figures


def test_json_is_one_parseable_line_and_the_table_shows_every_figure(capsys) -> None:
    figures = {"n": 3, "hit_at_k": 0.6667, "misses": ["c01", "s02"], "modelo": "ção"}
    print_figures(figures, as_json=True, title="t")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and json.loads(out) == figures and "ção" in out
    print_figures(figures, as_json=False, title="Recuperação")
    table = capsys.readouterr().out
    assert "Recuperação" in table and "0.6667" in table and "c01, s02" in table
