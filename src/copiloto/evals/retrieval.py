"""`copiloto eval retrieval`: how often the retrievers put the answer inside the prompt budget.

The exports are ingested into a fresh temporary store and index (nothing of the user's data is
touched), then each question is retrieved with the scope it names. A question is a hit when a
retrieved piece contains one of its gold substrings (case- and whitespace-insensitive), counting
pieces in rank order only while their total text fits `--budget-chars`: a bigger chunk cannot buy
a hit by holding more text than a prompt would. MRR follows the same rule.
"""

import json
import logging
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from copiloto.evals.report import print_figures

if TYPE_CHECKING:
    from sqlmodel import Session

    from copiloto.retrieval.indexing import Embedder, IndexReport
    from copiloto.retrieval.retrievers import Evidence, RetrievalOptions
    from copiloto.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Question:
    id: str
    client: str
    scope: str  # "client" | "similar"
    question: str
    gold: list[str]
    needs_media: bool = False  # the answer is only in a voice note or a document


@dataclass
class QuestionResult:
    id: str
    scope: str
    rank: int | None  # 1-based rank of the first gold piece inside the budget, None if missed
    ms: float
    chars: list[int] = field(default_factory=list)
    query: str | None = None
    needs_media: bool = False


def load_questions(path: Path) -> list[Question]:
    questions = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        item = json.loads(raw)
        questions.append(
            Question(
                id=str(item.get("id", number)),
                client=item["client"],
                scope=item.get("scope", "client"),
                question=item["question"],
                # variants: the same fact as a transcriber writing digits would put it
                gold=[*item["gold"], *item.get("gold_variants", [])],
                needs_media=bool(item.get("needs_media", False)),
            )
        )
    return questions


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def first_hit_rank(
    texts: Sequence[str], gold: Sequence[str], *, k: int, budget_chars: int
) -> int | None:
    """1-based rank of the first text holding a gold substring, among the first `k` texts that
    fit the budget together; None when there is none."""
    wanted = [_norm(g) for g in gold if g.strip()]
    used = 0
    for rank, text in enumerate(texts[:k], start=1):
        used += len(text)
        if used > budget_chars:
            return None
        normalized = _norm(text)
        if any(g in normalized for g in wanted):
            return rank
    return None


def summarize(results: Sequence[QuestionResult], *, embedder: str) -> dict[str, Any]:
    n = len(results)
    latencies = sorted(r.ms for r in results)
    chars = [c for r in results for c in r.chars]

    def percentile(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, round(p * (len(latencies) - 1)))]

    return {
        "n": n,
        "hit_at_k": round(sum(r.rank is not None for r in results) / n, 4) if n else 0.0,
        "mrr": round(sum(1 / r.rank for r in results if r.rank) / n, 4) if n else 0.0,
        "avg_node_chars": round(statistics.fmean(chars), 1) if chars else 0.0,
        "p50_ms": round(percentile(0.5), 1),
        "p95_ms": round(percentile(0.95), 1),
        "embedder": embedder,
    }


def _register_sellers(session: "Session", exports: Path) -> None:
    """Sellers listed in a `sellers.json` next to the exports (the bundled sample has one)."""
    from copiloto.storage.repository import get_or_create_seller

    for folder in (exports, exports.parent):
        listing = folder / "sellers.json"
        if listing.exists():
            for entry in json.loads(listing.read_text(encoding="utf-8")):
                get_or_create_seller(
                    session,
                    name=entry["name"],
                    login=entry["login"],
                    phone=entry.get("phone"),
                    aliases=entry.get("aliases", []),
                )
            session.commit()
            return


def ingest_for_eval(session: "Session", exports: Path, *, settings: "Settings") -> int:
    """Ingest an exports folder: one sub-folder per seller (named by login), or a flat folder."""
    from copiloto.ingest.exports import ingest_exports

    _register_sellers(session, exports)
    folders = sorted(p for p in exports.iterdir() if p.is_dir())
    new = 0
    if folders:
        for folder in folders:
            report = ingest_exports(session, [folder], settings=settings, seller=folder.name)
            new += report.new_messages
    else:
        new = ingest_exports(session, [exports], settings=settings).new_messages
    session.commit()
    return new


def process_media(settings: "Settings") -> tuple[int, int]:
    """Transcribe voice notes and read documents with the configured adapters (the pipeline's
    media step); returns (done, failed)."""
    from copiloto.container import Container
    from copiloto.pipeline import Pipeline, PipelineReport

    report = PipelineReport()
    Pipeline(Container(settings)).process_media(report)
    for error in report.errors:
        log.warning("media: %s", error)
    return report.media_done, report.media_failed


def run_retrieval_eval(
    *,
    exports: Path,
    questions: Sequence[Question],
    settings: "Settings",
    k: int = 5,
    budget_chars: int = 1500,
    options: "RetrievalOptions | None" = None,
    embedder: "Embedder | None" = None,
    media: bool = False,
) -> tuple[dict[str, Any], list[QuestionResult], "IndexReport"]:
    """Ingest (and, with `media`, transcribe and read attachments), index and answer `questions`
    in `settings.data_dir`, which should be a fresh folder."""
    from copiloto.retrieval.clients import resolve_client
    from copiloto.retrieval.embeddings import build_embedder
    from copiloto.retrieval.indexing import Indexer
    from copiloto.retrieval.retrievers import (
        ClientHistoryRetriever,
        SimilarNegotiationsRetriever,
    )
    from copiloto.retrieval.vector_store import build_vector_store
    from copiloto.storage.db import make_engine, migrate, session_scope

    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    embedder = embedder or build_embedder(settings)
    store = build_vector_store(settings, dim=embedder.dim)
    indexer = Indexer(embedder=embedder, vector_store=store)
    with session_scope(engine) as session:
        ingest_for_eval(session, exports, settings=settings)
    if media:
        done, failed = process_media(settings)
        log.info("media processed: %d done, %d failed", done, failed)
    with session_scope(engine) as session:
        index_report = indexer.index_pending(session)
    history = ClientHistoryRetriever(embedder=embedder, vector_store=store, options=options)
    similar = SimilarNegotiationsRetriever(embedder=embedder, vector_store=store, options=options)

    results: list[QuestionResult] = []
    with session_scope(engine) as session:
        for question in questions:
            client = resolve_client(session, question.client)
            retriever = similar if question.scope == "similar" else history
            started = time.perf_counter()
            found: list[Evidence] = retriever.retrieve(
                question.question,
                client_id=client.id,
                seller_id=client.seller_id,
                k=k,
                names=[client.name],
            )
            ms = (time.perf_counter() - started) * 1000
            texts = [e.text for e in found]
            results.append(
                QuestionResult(
                    id=question.id,
                    scope=question.scope,
                    rank=first_hit_rank(texts, question.gold, k=k, budget_chars=budget_chars),
                    ms=ms,
                    chars=[len(t) for t in texts],
                    query=retriever.last_query,
                    needs_media=question.needs_media,
                )
            )
    engine.dispose()
    if hasattr(store, "close"):
        store.close()
    return summarize(results, embedder=embedder.name), results, index_report


def retrieval_command(
    exports: Annotated[
        Path,
        typer.Option("--exports", help="Folder of WhatsApp exports (one sub-folder a seller)."),
    ],
    questions: Annotated[
        Path, typer.Option("--questions", help="JSONL: id, client, scope, question, gold.")
    ],
    k: Annotated[int, typer.Option("--k", help="Pieces retrieved per question.")] = 5,
    budget_chars: Annotated[
        int, typer.Option("--budget-chars", help="Characters of context a prompt can hold.")
    ] = 1500,
    embedder: Annotated[
        str | None, typer.Option("--embedder", help="use | e5 (default: COPILOTO_EMBEDDER).")
    ] = None,
    mode: Annotated[
        str, typer.Option("--mode", help="weighted | hybrid | dense | sparse (see RESULTS.md)")
    ] = "weighted",
    expand: Annotated[
        bool, typer.Option("--expand/--no-expand", help="Chat vocabulary in the BM25 query.")
    ] = True,
    rrf_k: Annotated[int, typer.Option("--rrf-k", help="RRF's k in weighted mode.")] = 5,
    canned_penalty: Annotated[
        float,
        typer.Option("--canned-penalty", help="Score cut for pieces of canned messages (0–1)."),
    ] = 0.9,
    media: Annotated[
        bool,
        typer.Option("--media/--no-media", help="Transcribe voice notes, read documents first."),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Retrieval quality on a question set: hit@k and MRR within a character budget."""
    from copiloto.retrieval.retrievers import RetrievalOptions
    from copiloto.settings import Settings

    if mode not in {"weighted", "hybrid", "dense", "sparse"}:
        raise typer.BadParameter("--mode must be weighted, hybrid, dense or sparse")
    items = load_questions(questions)
    with tempfile.TemporaryDirectory(prefix="copiloto-eval-") as tmp:
        overrides: dict[str, Any] = {"data_dir": Path(tmp), "database_url": None}
        overrides["qdrant_url"] = None
        if embedder:
            overrides["embedder"] = embedder
        settings = Settings(**overrides)
        summary, results, index_report = run_retrieval_eval(
            exports=exports,
            questions=items,
            settings=settings,
            k=k,
            budget_chars=budget_chars,
            options=RetrievalOptions(
                mode=mode,  # type: ignore[arg-type]
                expand=expand,
                rrf_k=rrf_k,
                canned_penalty=canned_penalty,
            ),
            media=media,
        )
    summary |= {
        "k": k,
        "budget_chars": budget_chars,
        "mode": mode,
        "expand": expand,
        "rrf_k": rrf_k,
        "canned_penalty": canned_penalty,
        "media": media,
        "pieces": index_report.chunks,
    }
    text_only = [r for r in results if not r.needs_media]
    if len(text_only) < len(results):
        part = summarize(text_only, embedder=summary["embedder"])
        summary["text_only_n"] = part["n"]
        summary["text_only_hit_at_k"] = part["hit_at_k"]
        summary["text_only_mrr"] = part["mrr"]
    for scope in ("client", "similar"):
        subset = [r for r in results if r.scope == scope]
        if subset:
            part = summarize(subset, embedder=summary["embedder"])
            summary[f"{scope}_hit_at_k"] = part["hit_at_k"]
            summary[f"{scope}_mrr"] = part["mrr"]
    summary["misses"] = [r.id for r in results if r.rank is None]
    print_figures(
        summary,
        as_json=as_json,
        title=f"Recuperação: {len(items)} perguntas, k={k}, {budget_chars} caracteres",
    )
