"""`copiloto eval webhooks` end to end on a small load: figures add up, nothing lost or doubled."""

import json

import typer
from typer.testing import CliRunner

from copiloto.evals.webhooks import build_deliveries, webhooks_command


def test_deliveries_mix_matches_the_brief() -> None:
    deliveries, expected = build_deliveries(200)
    kinds = [d.kind for d in deliveries]
    assert len(deliveries) == 200
    assert kinds.count("bad") == 10 and kinds.count("duplicate") == 20
    assert expected["unique_deliveries"] == 170
    # statuses come in (delivered, read) pairs; some 'read' precede their 'delivered' or message
    assert set(expected["final_status"].values()) <= {"delivered", "read"}


def test_eval_webhooks_json_on_sqlite(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = typer.Typer()
    app.command()(webhooks_command)
    result = CliRunner().invoke(
        app, ["--events", "80", "--concurrency", "8", "--warmup", "20", "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    for key in (
        "events",
        "acked_p50_ms",
        "acked_p95_ms",
        "acked_p99_ms",
        "events_per_s",
        "stored",
        "expected",
        "duplicates",
        "lost",
        "rejected",
    ):
        assert key in figures
    assert figures["events"] == 80 and figures["warmup_events"] == 20  # not measured, not lost
    assert figures["stored"] == figures["expected"] > 0
    assert figures["lost"] == 0 and figures["duplicates"] == 0
    assert figures["rejected"] == figures["expected_rejected"] == 4
    assert figures["statuses_wrong"] == 0 and figures["pending_statuses_left"] == 0
    assert figures["acked_p50_ms"] <= figures["acked_p95_ms"] <= figures["acked_p99_ms"]
