"""`copiloto eval reply-latency`: how long a seller waits for a new reply suggestion.

What the seller meets: briefs are computed in the background, one client after another; later the
seller opens a client and asks for another suggestion ("Outro tom"). That request is measured here
with the configured LLM (the packaged local model by default), after the briefs of all the chosen
clients were computed, so that for every client but the last one the model's slot has moved on
to other prompts and its brief's prompt must come back from the RAM prompt cache.

The exports are ingested into a fresh temporary store, analysed and indexed (media skipped: it
does not change the prompt's size). Figures:

- `first_token_s`: from the request until the first streamed token of a suggestion in one new
  tone, the brief computed earlier (p50 and max over the clients); `inputs_s` is the part spent
  on the facts and the retrieval before the LLM is called;
- `first_text_s`: what "Outro tom" shows the seller: from the click until the first words of the
  new suggestion (streamed out of the JSON being generated, after the grounding check);
- `suggestion_s`: until that suggestion is complete, checked and recorded (editable);
- `cold_first_token_s`: the same first token for a client whose brief was never computed (the
  whole context is read by the model);
- `brief_s`: each brief, as the background worker computes it.
"""

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from copiloto.evals.report import print_figures

if TYPE_CHECKING:
    from copiloto.container import Container
    from copiloto.storage.tables import Seller

FIRST_TONE = "empático"
SECOND_TONE = "curto e objetivo"


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def first_token_s(container: "Container", client_id: int, *, tone: str) -> tuple[float, float, int]:
    """Seconds to the first streamed token of a one-tone suggestion, the part of them spent
    gathering its inputs (facts, retrieval), and the prompt's tokens."""
    from copiloto.suggestions.context import count_tokens

    started = time.perf_counter()
    inputs = container.workspace.brief_inputs(client_id)
    messages = container.generator.reply_messages(
        facts=inputs.facts, history=inputs.history, similar=inputs.similar, tones=[tone]
    )
    context_s = time.perf_counter() - started
    stream = container.llm.stream(messages, max_tokens=8, temperature=0.0)
    try:
        next(iter(stream))
    except StopIteration:
        pass
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    seconds = time.perf_counter() - started
    return seconds, context_s, sum(count_tokens(message["content"]) for message in messages)


def streamed_suggestion_s(
    container: "Container", seller: "Seller", client_id: int, *, tone: str
) -> tuple[float, float]:
    """What "Outro tom" does: seconds until the first words show, and until the suggestion is
    complete, checked and recorded."""
    started = time.perf_counter()
    stream = container.workspace.stream_suggestion(seller, client_id, tone=tone)
    first_text = None
    for _piece in stream:
        if first_text is None:
            first_text = time.perf_counter() - started
    container.workspace.record_suggestions(seller, client_id, [stream.suggestion])
    whole = time.perf_counter() - started
    return (first_text if first_text is not None else whole), whole


def busiest_clients(container: "Container", n: int) -> list[int]:
    """The `n` clients with the most messages (deterministic: ties by id)."""
    from sqlmodel import func, select

    from copiloto.storage.tables import Message

    with container.session() as session:
        rows = session.exec(
            select(Message.client_id, func.count())
            .group_by(Message.client_id)
            .order_by(func.count().desc(), Message.client_id)
            .limit(n)
        ).all()
    return [client_id for client_id, _ in rows]


def run_reply_latency(*, exports: Path, data_dir: Path, clients: int) -> dict[str, Any]:
    from copiloto.container import Container
    from copiloto.evals.retrieval import ingest_for_eval
    from copiloto.pipeline import Pipeline, PipelineReport
    from copiloto.settings import Settings
    from copiloto.storage.tables import Seller

    settings = Settings(data_dir=data_dir, database_url=None, qdrant_url=None)
    container = Container(settings)
    with container.session() as session:
        ingest_for_eval(session, exports, settings=settings)
    pipeline, report = Pipeline(container), PipelineReport()
    pipeline.analyze(report)
    pipeline.index(report)
    chosen = busiest_clients(container, clients + 1)
    if len(chosen) < 2:
        raise typer.BadParameter("the exports hold fewer than two clients")
    warm, cold = chosen[:-1], chosen[-1]
    load = getattr(container.llm, "load", None)
    if load is not None:
        load()  # loading the model is not part of any request
    cold_s, _, _ = first_token_s(container, cold, tone=FIRST_TONE)
    brief_s = [_timed(lambda c=c: container.workspace.compute_brief(c)) for c in warm]
    operator = Seller(name="avaliação", login="", is_admin=True)
    firsts, contexts, first_text, suggestion_s, prompt_tokens = [], [], [], [], []
    for client_id in warm:  # the first client's prompt is the longest displaced
        seconds, context_s, tokens = first_token_s(container, client_id, tone=FIRST_TONE)
        firsts.append(seconds)
        contexts.append(context_s)
        prompt_tokens.append(tokens)
        text_s, whole_s = streamed_suggestion_s(container, operator, client_id, tone=SECOND_TONE)
        first_text.append(text_s)
        suggestion_s.append(whole_s)
    return {
        "n": len(warm),
        "first_token_p50_s": round(statistics.median(firsts), 2),
        "first_token_max_s": round(max(firsts), 2),
        "inputs_p50_s": round(statistics.median(contexts), 2),  # facts + retrieval, no LLM
        "first_text_p50_s": round(statistics.median(first_text), 2),
        "first_text_max_s": round(max(first_text), 2),
        "suggestion_p50_s": round(statistics.median(suggestion_s), 2),
        "suggestion_max_s": round(max(suggestion_s), 2),
        "cold_first_token_s": round(cold_s, 2),
        "brief_p50_s": round(statistics.median(brief_s), 1),
        "prompt_tokens_p50": int(statistics.median(prompt_tokens)),
        "first_token_s": [round(s, 2) for s in firsts],
        "model": getattr(container.llm, "name", settings.llm_model),
        "prompt_cache_mib": settings.llm_prompt_cache_mib,
    }


def reply_latency_command(
    exports: Annotated[Path, typer.Option("--exports", help="Folder of WhatsApp exports.")],
    clients: Annotated[
        int, typer.Option("--clients", help="Clients whose briefs are computed first.")
    ] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Time to a new reply suggestion on the configured LLM, after the briefs were computed."""
    with tempfile.TemporaryDirectory(prefix="copiloto-latency-") as tmp:
        figures = run_reply_latency(exports=exports, data_dir=Path(tmp), clients=clients)
    print_figures(figures, as_json=as_json, title="Latência de uma nova sugestão de resposta")
