"""Evals for the retrieval storage half: vector store speed (Edge vs local mode) and embedder speed.

`copiloto eval vectorstore --points N`: the same synthetic points (random unit vectors, payload
shaped like Copiloto's, short Portuguese texts for BM25) go through both LlamaIndex stores, the
embedded Qdrant Edge and qdrant-client's local mode (the pure-Python stand-in for a server), in one
run. It reports upsert points/s, filtered dense and hybrid search p50/p95, and the ratios. Local mode
is slow enough at 100k points that its point and query counts are capped by default; the output
says when they were.

`copiloto eval embed-speed`: messages/s of the packaged embedders (USE, e5) by batch size.
"""

from __future__ import annotations

import csv
import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from copiloto.settings import PROJECT_ROOT

DEFAULT_LOCAL_CAP = 20_000
WORDS = [
    "frete",
    "entrega",
    "pix",
    "cartão",
    "boleto",
    "parcela",
    "desconto",
    "tênis",
    "camisa",
    "vestido",
    "mochila",
    "sapato",
    "bolsa",
    "tamanho",
    "cor",
    "azul",
    "preto",
    "branco",
    "promoção",
    "estoque",
    "troca",
    "garantia",
    "prazo",
    "sábado",
    "amanhã",
    "hoje",
    "obrigado",
    "valeu",
    "preço",
    "orçamento",
    "pedido",
    "código",
    "modelo",
    "retirada",
    "loja",
    "endereço",
    "atraso",
]


def _percentiles(samples_s: Sequence[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples_s)
    if not ms:
        return {"p50": float("nan"), "p95": float("nan"), "n": 0}
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50": round(statistics.median(ms), 3), "p95": round(p95, 3), "n": len(ms)}


def synthetic_nodes(n: int, *, dim: int, seed: int = 7) -> list[Any]:
    """`n` nodes with Copiloto's payload: ~100 points per client, 10 sellers, 90 days of time."""
    import numpy as np
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    clients = max(1, n // 100)
    kinds = ["message", "message", "message", "window", "transcript", "document"]
    nodes = []
    for i in range(n):
        client = int(rng.integers(1, clients + 1))
        words = rng.choice(WORDS, size=int(rng.integers(4, 14)))
        text = " ".join(words) + f" código SKU-{i % 5000:04d} R$ {int(rng.integers(10, 999))},90"
        node = TextNode(
            id_=str(uuid.UUID(int=i + 1)),
            text=text,
            embedding=vectors[i].tolist(),
            metadata={
                "client_id": client,
                "seller_id": client % 10 + 1,
                "conversation_id": client * 10 + int(rng.integers(0, 3)),
                "message_ids": [i],
                "kind": kinds[i % len(kinds)],
                "direction": "in" if i % 2 else "out",
                "time": 1_750_000_000.0 + float(rng.integers(0, 90 * 86400)),
                "sentiment": ["positivo", "neutro", "negativo"][i % 3],
                "intent": ["pergunta", "oferta", "objecao", "fechamento"][i % 4],
                "products": [],
            },
        )
        node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=f"client:{client}")
        nodes.append(node)
    return nodes


def _queries(n: int, *, dim: int, clients: int, seed: int = 11) -> list[Any]:
    import numpy as np
    from llama_index.core.vector_stores.types import (
        FilterOperator,
        MetadataFilter,
        MetadataFilters,
        VectorStoreQuery,
        VectorStoreQueryMode,
    )

    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        vec = rng.normal(size=dim)
        vec /= np.linalg.norm(vec)
        filters = MetadataFilters(
            filters=[
                MetadataFilter(key="client_id", value=int(rng.integers(1, clients + 1))),
                MetadataFilter(
                    key="time", value=1_750_000_000.0 + 30 * 86400, operator=FilterOperator.GTE
                ),
            ]
        )
        text = " ".join(rng.choice(WORDS, size=3)) + f" SKU-{int(rng.integers(0, 5000)):04d}"
        for mode in (VectorStoreQueryMode.DEFAULT, VectorStoreQueryMode.HYBRID):
            out.append(
                VectorStoreQuery(
                    query_embedding=vec.tolist(),
                    query_str=text,
                    similarity_top_k=8,
                    filters=filters,
                    mode=mode,
                )
            )
    return out


def _bench_store(
    make: Callable[[], Any],
    nodes: Sequence[Any],
    queries: Sequence[Any],
    *,
    batch: int,
    optimize: bool,
) -> dict[str, Any]:
    from llama_index.core.vector_stores.types import VectorStoreQueryMode

    store = make()
    started = time.perf_counter()
    for i in range(0, len(nodes), batch):
        store.add(list(nodes[i : i + batch]))
    upsert_s = time.perf_counter() - started
    result: dict[str, Any] = {
        "points": len(nodes),
        "upsert_s": round(upsert_s, 3),
        "upsert_points_per_s": round(len(nodes) / upsert_s, 1),
    }
    if optimize:
        started = time.perf_counter()
        store.optimize()
        result["optimize_s"] = round(time.perf_counter() - started, 3)
    for q in queries[:4]:  # warm-up
        store.query(q)
    timings: dict[str, list[float]] = {"dense": [], "hybrid": []}
    hits = 0
    for q in queries:
        started = time.perf_counter()
        res = store.query(q)
        elapsed = time.perf_counter() - started
        hits += len(res.nodes)
        key = "hybrid" if q.mode == VectorStoreQueryMode.HYBRID else "dense"
        timings[key].append(elapsed)
    result["dense_filtered_ms"] = _percentiles(timings["dense"])
    result["hybrid_filtered_ms"] = _percentiles(timings["hybrid"])
    result["mean_hits"] = round(hits / max(1, len(queries)), 2)
    closer = getattr(store, "close", None) or store.client.close
    closer()
    return result


def run_vectorstore_eval(
    *,
    points: int,
    local_points: int | None,
    queries: int,
    local_queries: int | None,
    dim: int,
    batch: int = 1000,
    optimize: bool = False,
) -> dict[str, Any]:
    from qdrant_client import QdrantClient

    from copiloto.retrieval.edge_store import EdgeVectorStore
    from copiloto.retrieval.vector_store import QdrantServerVectorStore

    n_local = min(points, DEFAULT_LOCAL_CAP) if local_points is None else local_points
    q_local = min(queries, 30) if local_queries is None else local_queries
    nodes = synthetic_nodes(max(points, n_local), dim=dim)
    clients = max(1, points // 100)
    qs = _queries(queries, dim=dim, clients=clients)

    with tempfile.TemporaryDirectory(prefix="copiloto-vs-eval-") as tmp:
        edge = _bench_store(
            lambda: EdgeVectorStore(Path(tmp) / "edge", dim=dim),
            nodes[:points],
            qs,
            batch=batch,
            optimize=optimize,
        )
    local: dict[str, Any] = {"skipped": True}
    if n_local > 0:
        local = _bench_store(
            lambda: QdrantServerVectorStore(
                client=QdrantClient(":memory:"), collection_name="eval", dim=dim
            ),
            nodes[:n_local],
            _queries(q_local, dim=dim, clients=max(1, n_local // 100)),
            batch=batch,
            optimize=False,
        )
        local["capped"] = n_local < points

    report: dict[str, Any] = {
        "dim": dim,
        "points": points,
        "queries_per_mode": {"edge": queries, "local": q_local if n_local else 0},
        "filter": "client_id == c AND time >= t (≈100 points per client), top 8",
        "edge_optimized": optimize,
        "edge": edge,
        "local": local,
    }
    if n_local > 0:
        report["ratio"] = {
            "dense_p95_local_over_edge": round(
                local["dense_filtered_ms"]["p95"] / edge["dense_filtered_ms"]["p95"], 1
            ),
            "hybrid_p95_local_over_edge": round(
                local["hybrid_filtered_ms"]["p95"] / edge["hybrid_filtered_ms"]["p95"], 1
            ),
            "upsert_edge_over_local": round(
                edge["upsert_points_per_s"] / local["upsert_points_per_s"], 1
            ),
            "note": (
                f"local mode measured at {n_local} points, edge at {points}"
                if n_local != points
                else "same points in both"
            ),
        }
        report["targets"] = {
            "edge_dense_p95_le_20ms": edge["dense_filtered_ms"]["p95"] <= 20.0,
            "edge_at_least_100x_faster_p95": report["ratio"]["dense_p95_local_over_edge"] >= 100,
        }
    return report


def vectorstore_command(
    points: Annotated[int, typer.Option(help="Points in the Edge store.")] = 10_000,
    local_points: Annotated[
        int | None,
        typer.Option(
            help=f"Points in local mode (default: min(points, {DEFAULT_LOCAL_CAP}); 0 skips)."
        ),
    ] = None,
    queries: Annotated[int, typer.Option(help="Queries per mode (dense, hybrid) on Edge.")] = 200,
    local_queries: Annotated[
        int | None, typer.Option(help="Queries per mode on local mode (default: min(queries, 30)).")
    ] = None,
    dim: Annotated[int, typer.Option(help="Vector size (384 = e5, 512 = USE).")] = 384,
    optimize: Annotated[
        bool, typer.Option(help="Build Edge's HNSW (shard.optimize) before searching.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Qdrant Edge vs qdrant-client local mode: upsert speed and filtered search latency."""
    report = run_vectorstore_eval(
        points=points,
        local_points=local_points,
        queries=queries,
        local_queries=local_queries,
        dim=dim,
        optimize=optimize,
    )
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Vector stores, dim {dim}")
    for column in ("store", "points", "upsert pts/s", "dense p50/p95 ms", "hybrid p50/p95 ms"):
        table.add_column(column)
    for name in ("edge", "local"):
        r = report[name]
        if r.get("skipped"):
            continue
        d, h = r["dense_filtered_ms"], r["hybrid_filtered_ms"]
        table.add_row(
            name,
            str(r["points"]),
            str(r["upsert_points_per_s"]),
            f"{d['p50']} / {d['p95']}",
            f"{h['p50']} / {h['p95']}",
        )
    Console().print(table)
    if "ratio" in report:
        Console().print(report["ratio"], report["targets"])


# --- embedder speed --------------------------------------------------------------------------------


def sample_messages(n: int, *, data_dir: Path | None = None) -> list[str]:
    """Real short Portuguese messages (the team's sales set, then tweets), repeated to `n`."""
    root = data_dir or PROJECT_ROOT.parent / "shared" / "data"
    texts: list[str] = []
    sales = root / "eval" / "sales" / "labelled_messages_dev.csv"
    tweets = root / "eval" / "sentiment" / "tweets_mg.csv"
    if sales.exists():
        with sales.open(encoding="utf-8") as f:
            texts += [row["text"] for row in csv.DictReader(f) if row.get("text")]
    if tweets.exists() and len(texts) < n:
        with tweets.open(encoding="utf-8") as f:
            texts += [row["Text"] for row in csv.DictReader(f) if row.get("Text")][: n - len(texts)]
    if not texts:
        texts = [" ".join(WORDS[i : i + 8]) for i in range(len(WORDS) - 8)]
    return [texts[i % len(texts)] for i in range(n)]


def run_embed_speed(
    *, models: Sequence[str], batches: Sequence[int], n: int, threads: int
) -> list[dict[str, Any]]:
    from copiloto.retrieval.embeddings import E5Embedder, UseEmbedder

    factories: dict[str, Callable[..., Any]] = {"use": UseEmbedder, "e5": E5Embedder}
    rows = []
    for name in models:
        started = time.perf_counter()
        embedder = factories[name](threads=threads)
        embedder.embed(["aquecimento"])
        load_s = time.perf_counter() - started
        for batch in batches:
            count = min(n, 32) if batch == 1 else n
            texts = sample_messages(count)
            started = time.perf_counter()
            for i in range(0, count, batch):
                embedder.embed(texts[i : i + batch])
            elapsed = time.perf_counter() - started
            rows.append(
                {
                    "embedder": embedder.name,
                    "dim": embedder.dim,
                    "batch": batch,
                    "messages": count,
                    "messages_per_s": round(count / elapsed, 1),
                    "load_s": round(load_s, 2),
                }
            )
    return rows


def embed_speed_command(
    n: Annotated[int, typer.Option(help="Messages per measurement.")] = 512,
    batch: Annotated[list[int] | None, typer.Option(help="Batch sizes (repeatable).")] = None,
    threads: Annotated[int, typer.Option(help="CPU threads for the models.")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Encode speed of the packaged embedders (USE multilingual, multilingual-e5-small)."""
    rows = run_embed_speed(models=["use", "e5"], batches=batch or [1, 64], n=n, threads=threads)
    if as_json:
        typer.echo(json.dumps({"threads": threads, "results": rows}, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Embedder speed ({threads} threads)")
    for column in ("embedder", "dim", "batch", "messages", "messages/s", "load s"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            *(
                str(r[k])
                for k in ("embedder", "dim", "batch", "messages", "messages_per_s", "load_s")
            )
        )
    Console().print(table)
