"""The `eval vectorstore` and `eval embed-speed` commands, on tiny inputs."""

import json

import typer
from typer.testing import CliRunner

from copiloto.evals.vectorstore import (
    embed_speed_command,
    sample_messages,
    synthetic_nodes,
    vectorstore_command,
)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("vectorstore")(vectorstore_command)
    app.command("embed-speed")(embed_speed_command)
    return app


def test_vectorstore_eval_json_compares_both_stores() -> None:
    result = CliRunner().invoke(
        _app(),
        [
            "vectorstore",
            "--points",
            "300",
            "--local-points",
            "150",
            "--queries",
            "6",
            "--local-queries",
            "3",
            "--dim",
            "16",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["edge"]["points"] == 300 and report["local"]["points"] == 150
    assert report["local"]["capped"] is True
    assert report["edge"]["dense_filtered_ms"]["n"] == 6
    assert report["local"]["hybrid_filtered_ms"]["n"] == 3
    assert report["edge"]["mean_hits"] > 0 and report["local"]["mean_hits"] > 0
    assert report["ratio"]["dense_p95_local_over_edge"] > 0
    assert set(report["targets"]) == {"edge_dense_p95_le_20ms", "edge_at_least_100x_faster_p95"}


def test_vectorstore_eval_table_without_local() -> None:
    result = CliRunner().invoke(
        _app(),
        ["vectorstore", "--points", "50", "--local-points", "0", "--queries", "2", "--dim", "8"],
    )
    assert result.exit_code == 0, result.output
    assert "edge" in result.stdout
    assert "dense_p95_local_over_edge" not in result.stdout


def test_synthetic_nodes_have_the_payload_schema() -> None:
    nodes = synthetic_nodes(250, dim=8)
    assert len({n.node_id for n in nodes}) == 250
    meta = nodes[0].metadata
    assert {"client_id", "seller_id", "kind", "time", "message_ids"} <= set(meta)
    assert max(n.metadata["client_id"] for n in nodes) <= 2


def test_embed_speed_json() -> None:
    result = CliRunner().invoke(_app(), ["embed-speed", "--n", "8", "--batch", "4", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]
    assert {r["embedder"] for r in rows} == {
        "use-multilingual-v3",
        "multilingual-e5-small-q4-original",
    }
    assert all(r["messages_per_s"] > 0 and r["batch"] == 4 for r in rows)
    assert len(sample_messages(5)) == 5
