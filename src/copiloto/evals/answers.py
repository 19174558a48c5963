"""`copiloto eval answers`: are the LLM's answers right, cited, in pt-BR and free of invented figures?

The exports are ingested into a fresh temporary store and processed like production data (media,
analysis, index); each question is then answered by the configured LLM through the same workspace
code the UI uses. Metrics:

- fact_recall: share of a question's `answer_facts` found in the answer (case, accents, spacing and
  thousands separators ignored);
- citation_precision: share of cited messages that sit in a retrieved piece containing a gold
  substring (a citation that supports the answer);
- pt_br_rate: share of answers written in Portuguese (function-word test);
- unsupported_numbers: figures the grounding check flagged (numbers, prices, dates absent from the
  context), in total; `unsupported_per_answer` is the mean.
"""

import json
import re
import statistics
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Annotated, Any

import typer

from copiloto.evals.report import print_figures

_PT = {
    "o",
    "a",
    "os",
    "as",
    "de",
    "do",
    "da",
    "que",
    "não",
    "nao",
    "é",
    "um",
    "uma",
    "com",
    "para",
    "pra",
    "ele",
    "ela",
    "no",
    "na",
    "em",
    "por",
    "mas",
    "foi",
    "você",
    "cliente",
}
_EN = {
    "the",
    "and",
    "of",
    "to",
    "is",
    "was",
    "with",
    "for",
    "that",
    "he",
    "she",
    "not",
    "it",
    "client",
    "you",
}


def normalize(text: str) -> str:
    """Case, accents, spacing and thousands separators folded: `R$ 21.400,00` ~ `r$ 21400,00`."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", folded)
    return " ".join(folded.split())


def fact_recall(answer: str, facts: list[str]) -> float | None:
    if not facts:
        return None
    text = normalize(answer)
    return sum(1 for fact in facts if normalize(fact) in text) / len(facts)


def is_portuguese(text: str) -> bool:
    words = re.findall(r"[a-zà-ú]+", text.casefold())
    pt = sum(1 for w in words if w in _PT)
    en = sum(1 for w in words if w in _EN)
    return pt >= 2 and pt > en


def supporting(cited: list[int], evidence: list[Any], gold: list[str]) -> tuple[int, int]:
    """(supporting citations, citations) for one answer."""
    golds = [normalize(g) for g in gold]
    good_ids = {
        message_id
        for piece in evidence
        if any(g in normalize(piece.text) for g in golds)
        for message_id in piece.message_ids
    }
    return sum(1 for i in cited if i in good_ids), len(cited)


def run_answers_eval(
    *, exports: Path, questions: list[dict[str, Any]], data_dir: Path, limit: int | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from copiloto.container import Container
    from copiloto.evals.retrieval import ingest_for_eval
    from copiloto.pipeline import Pipeline
    from copiloto.retrieval.clients import resolve_client
    from copiloto.settings import Settings
    from copiloto.storage.tables import Seller

    settings = Settings(data_dir=data_dir, database_url=None, qdrant_url=None)
    container = Container(settings)
    with container.session() as session:
        ingest_for_eval(session, exports, settings=settings)
    Pipeline(container).run()
    operator = Seller(name="avaliação", login="", is_admin=True)
    rows = []
    for item in questions[:limit]:
        with container.session() as session:
            client = resolve_client(session, item["client"])
        scoped = client.id if item.get("scope", "client") == "client" else None
        started = time.perf_counter()
        facts, evidence = container.workspace.question_context(operator, item["question"], scoped)
        if item.get("scope") == "similar":
            evidence = container.similar_retriever.retrieve(
                item["question"], client_id=client.id, seller_id=client.seller_id, k=5
            )
        answer = container.generator.answer(
            question=item["question"], facts=facts, evidence=evidence
        )
        seconds = time.perf_counter() - started
        good, cited = supporting(answer.message_ids, evidence, item["gold"])
        rows.append(
            {
                "id": item["id"],
                "answer": answer.text,
                "fact_recall": fact_recall(answer.text, item.get("answer_facts", [])),
                "supporting_citations": good,
                "citations": cited,
                "pt_br": is_portuguese(answer.text),
                "unsupported": len(answer.flags),
                "seconds": round(seconds, 2),
            }
        )
    recalls = [r["fact_recall"] for r in rows if r["fact_recall"] is not None]
    cited_total = sum(r["citations"] for r in rows)
    summary = {
        "n": len(rows),
        "fact_recall": round(statistics.fmean(recalls), 4) if recalls else None,
        "citation_precision": round(sum(r["supporting_citations"] for r in rows) / cited_total, 4)
        if cited_total
        else None,
        "pt_br_rate": round(sum(r["pt_br"] for r in rows) / len(rows), 4) if rows else None,
        "unsupported_numbers": sum(r["unsupported"] for r in rows),
        "unsupported_per_answer": round(statistics.fmean(r["unsupported"] for r in rows), 3)
        if rows
        else None,
        "p50_s": round(statistics.median(r["seconds"] for r in rows), 2) if rows else None,
        "model": getattr(container.llm, "name", settings.llm_model),
    }
    return summary, rows


def answers_command(
    exports: Annotated[Path, typer.Option("--exports", help="Folder of WhatsApp exports.")],
    questions: Annotated[Path, typer.Option("--questions", help="JSONL question set.")],
    limit: Annotated[int | None, typer.Option(help="Only the first N questions.")] = None,
    details: Annotated[
        Path | None, typer.Option(help="Write each answer to this JSONL file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Answer quality of the configured LLM on a question set (facts, citations, pt-BR, figures)."""
    items = [
        json.loads(line)
        for line in questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    with tempfile.TemporaryDirectory(prefix="copiloto-answers-") as tmp:
        summary, rows = run_answers_eval(
            exports=exports, questions=items, data_dir=Path(tmp), limit=limit
        )
    if details is not None:
        details.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    print_figures(summary, as_json=as_json, title="Qualidade das respostas")
