"""Grounded generation: briefs, reply suggestions and answers, checked before the seller sees them.

Every generated text goes through the same two checks: citations are kept only when they point
at messages the model was shown, and figures absent from the context are marked `⚠️[…]`.
The collaborators (LLM, prompts) are passed in; nothing here reads settings or global state.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from copiloto.suggestions.attribution import attribute
from copiloto.suggestions.citations import filter_citations
from copiloto.suggestions.context import (
    BuiltContext,
    build_context,
    count_tokens,
    truncate_to_tokens,
)
from copiloto.suggestions.grounding import GroundingContext, ground_text
from copiloto.suggestions.json_stream import stream_string_field
from copiloto.suggestions.llm import LLM, Message
from copiloto.suggestions.prompts import PromptBook
from copiloto.suggestions.schemas import (
    DEFAULT_TONES,
    Answer,
    AttentionPoint,
    BriefResult,
    CheckedText,
    CitedText,
    ClientFacts,
    EvidenceLike,
    FollowUp,
    GroundingFlag,
    ProfileOutput,
    ReplySetOutput,
    ReplySuggestion,
    Situation,
    SummaryOutput,
    WarningsOutput,
)
from copiloto.suggestions.structured import complete_structured, output_schema

log = logging.getLogger(__name__)

BRIEF_TASKS = ("profile", "summary", "warnings", "reply")
_HOLDBACK_CHARS = 32  # longer than any figure the grounding check reads ("15 de setembro de 2024")
_RESERVE_TOKENS = 64
LAST_MESSAGE_TOKENS = 120


def brief_tasks(situation: Situation) -> tuple[str, ...]:
    """The prompts of one brief; its reply prompt depends on the situation."""
    return (*BRIEF_TASKS[:-1], situation)


def last_message(context: BuiltContext) -> str:
    """The newest line of the conversation, repeated next to the task (cut to a few sentences):
    small models answer the message in front of them, not the one buried in the context."""
    if not context.history_lines:
        return "(nenhuma mensagem)"
    return truncate_to_tokens(context.history_lines[-1], LAST_MESSAGE_TOKENS)


def choose_situation(facts: ClientFacts) -> Situation:
    """Which reply prompt fits the client's state (code decides; the model only writes)."""
    if facts.stage in ("lost", "dormant"):
        return "reopen"
    if facts.stage == "new" and not facts.purchases:
        return "new_lead"
    if facts.stuck and facts.stage in ("negotiating", "proposal_sent"):
        return "unblock"
    if facts.last_message_from == "seller":
        return "follow_up"
    return "reply"


class Generator:
    def __init__(
        self,
        *,
        llm: LLM,
        prompts: PromptBook,
        context_window: int,
        timezone: ZoneInfo | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.llm = llm
        self.prompts = prompts
        self.context_window = context_window
        self.tz = timezone
        self.clock = clock

    # --- context ---------------------------------------------------------------------------------

    def context_budget(self, tasks: Sequence[str]) -> int:
        """Tokens left for the context block by the hungriest of `tasks` (prompt text + answer)."""
        needs = []
        for name in tasks:
            prompt = self.prompts[name]
            placeholders = {key: "" for key in prompt.inputs}
            template_tokens = sum(
                count_tokens(message["content"]) + 8 for message in prompt.render(**placeholders)
            )
            if "last_message" in prompt.inputs:
                template_tokens += LAST_MESSAGE_TOKENS
            needs.append(template_tokens + prompt.max_tokens)
        return max(self.context_window - max(needs) - _RESERVE_TOKENS, 0)

    def build_context(
        self,
        *,
        facts: ClientFacts | None,
        history: Sequence[EvidenceLike],
        similar: Sequence[EvidenceLike],
        tasks: Sequence[str],
        extra_tokens: int = 0,
    ) -> BuiltContext:
        """One context for all `tasks`, so their prompts share a prefix the backend can cache."""
        return build_context(
            facts=facts,
            history=history,
            similar=similar,
            budget_tokens=max(self.context_budget(tasks) - extra_tokens, 0),
            tz=self.tz,
        )

    def _check(
        self,
        text: str,
        context: BuiltContext,
        grounding: GroundingContext,
        *,
        field: str,
        strip_citations: bool = False,
    ) -> CheckedText:
        cited = filter_citations(text, context.message_ids, strip=strip_citations)
        marked, flags = ground_text(cited.text, grounding, field=field)
        if cited.dropped:
            log.info("%s: dropped invented citation(s) %s", field, cited.dropped)
        return CheckedText(marked, cited.kept, flags, cited.dropped)

    @staticmethod
    def grounding_for(context: BuiltContext, *extra_texts: str) -> GroundingContext:
        return GroundingContext.from_texts(
            context.text, *extra_texts, dates=[piece.time for piece in context.evidence]
        )

    # --- replies -----------------------------------------------------------------------------------

    def _replies(
        self,
        context: BuiltContext,
        grounding: GroundingContext,
        *,
        situation: Situation,
        tones: Sequence[str],
    ) -> tuple[list[ReplySuggestion], list[GroundingFlag], list[int]]:
        prompt = self.prompts[situation]
        messages = self._reply_messages(context, situation=situation, tones=tones)
        output = complete_structured(
            self.llm,
            messages,
            ReplySetOutput,
            max_tokens=prompt.max_tokens,
            temperature=prompt.temperature,
        )
        suggestions: list[ReplySuggestion] = []
        flags: list[GroundingFlag] = []
        dropped: list[int] = []
        for index, option in enumerate(output.replies[: len(tones)]):
            suggestion, checked = self._suggestion(
                option.text, context, grounding, tone=tones[index], situation=situation, index=index
            )
            suggestions.append(suggestion)
            flags += checked.flags
            dropped += checked.dropped_citations
        return suggestions, flags, dropped

    def _reply_context(
        self,
        facts: ClientFacts,
        history: Sequence[EvidenceLike],
        similar: Sequence[EvidenceLike],
        situation: Situation | None,
    ) -> tuple[Situation, BuiltContext]:
        """The situation and the context of a reply, budgeted for the brief's tasks.

        Not for the reply's task alone: given the brief's inputs it is then the brief's context
        exactly, and a local model resumes from the brief's cached prompt instead of reading the
        whole context again.
        """
        situation = situation or choose_situation(facts)
        context = self.build_context(
            facts=facts, history=history, similar=similar, tasks=brief_tasks(situation)
        )
        return situation, context

    def _reply_messages(
        self, context: BuiltContext, *, situation: Situation, tones: Sequence[str]
    ) -> list[Message]:
        return self.prompts[situation].render(
            context=context.text,
            last_message=last_message(context),
            tones=", ".join(tones),
            n_replies=str(len(tones)),
        )

    def reply_messages(
        self,
        *,
        facts: ClientFacts,
        history: Sequence[EvidenceLike],
        similar: Sequence[EvidenceLike] = (),
        situation: Situation | None = None,
        tones: Sequence[str] = DEFAULT_TONES,
    ) -> list[Message]:
        """The chat messages `replies` sends, for measuring the backend (`eval reply-latency`)."""
        situation, context = self._reply_context(facts, history, similar, situation)
        return self._reply_messages(context, situation=situation, tones=tones)

    def replies(
        self,
        *,
        facts: ClientFacts,
        history: Sequence[EvidenceLike],
        similar: Sequence[EvidenceLike] = (),
        situation: Situation | None = None,
        tones: Sequence[str] = DEFAULT_TONES,
    ) -> list[ReplySuggestion]:
        """Reply suggestions, one per tone; `situation` defaults to `choose_situation(facts)`."""
        situation, context = self._reply_context(facts, history, similar, situation)
        grounding = self.grounding_for(context)
        suggestions, _, _ = self._replies(context, grounding, situation=situation, tones=tones)
        return suggestions

    def stream_reply(
        self,
        *,
        facts: ClientFacts,
        history: Sequence[EvidenceLike],
        similar: Sequence[EvidenceLike] = (),
        situation: Situation | None = None,
        tone: str,
    ) -> ReplyStream:
        """One suggestion in `tone`, streamed as it is written (what "Outro tom" shows).

        Same prompt and JSON schema as `replies` with one tone; the text field is read out of
        the JSON while it is generated, through the same citation and grounding checks.
        """
        situation, context = self._reply_context(facts, history, similar, situation)
        grounding = self.grounding_for(context)
        prompt = self.prompts[situation]
        chunks = self.llm.stream(
            self._reply_messages(context, situation=situation, tones=[tone]),
            json_schema=output_schema(ReplySetOutput),
            max_tokens=prompt.max_tokens,
            temperature=prompt.temperature,
        )
        return ReplyStream(
            stream_string_field(chunks, "text"),
            allowed=context.message_ids,
            grounding=grounding,
            finish=lambda raw: self._suggestion(
                raw, context, grounding, tone=tone, situation=situation, index=0
            ),
        )

    def _suggestion(
        self,
        raw: str,
        context: BuiltContext,
        grounding: GroundingContext,
        *,
        tone: str,
        situation: Situation,
        index: int,
    ) -> tuple[ReplySuggestion, CheckedText]:
        checked = self._check(
            raw, context, grounding, field=f"replies[{index}]", strip_citations=True
        )
        suggestion = ReplySuggestion(
            tone=tone,
            text=checked.text,
            message_ids=checked.message_ids,
            situation=situation,
            flagged=bool(checked.flags),
        )
        return suggestion, checked

    # --- brief -------------------------------------------------------------------------------------

    def brief(
        self,
        *,
        facts: ClientFacts,
        history: Sequence[EvidenceLike],
        similar: Sequence[EvidenceLike] = (),
        situation: Situation | None = None,
        tones: Sequence[str] = DEFAULT_TONES,
    ) -> BriefResult:
        """Profile, last conversation, points of attention, follow-up and replies for one client.

        Four LLM calls over one shared context (same system message), so a local backend reads the
        context once and reuses its cache for the other three.
        """
        situation = situation or choose_situation(facts)
        context = self.build_context(
            facts=facts, history=history, similar=similar, tasks=brief_tasks(situation)
        )
        grounding = self.grounding_for(context)
        flags: list[GroundingFlag] = []
        dropped: list[int] = []

        def check(text: str, field: str) -> CheckedText:
            checked = self._check(text, context, grounding, field=field)
            flags.extend(checked.flags)
            dropped.extend(checked.dropped_citations)
            return checked

        def run(name: str, model: type) -> object:
            prompt = self.prompts[name]
            return complete_structured(
                self.llm,
                prompt.render(context=context.text),
                model,
                max_tokens=prompt.max_tokens,
                temperature=prompt.temperature,
            )

        profile = run("profile", ProfileOutput)
        assert isinstance(profile, ProfileOutput)
        profile_text = check(profile.summary, "profile")
        summary = run("summary", SummaryOutput)
        assert isinstance(summary, SummaryOutput)
        summary_text = check(summary.summary, "last_conversation")
        when = check(summary.follow_up.when, "follow_up.when")
        why = check(summary.follow_up.why, "follow_up.why")
        warnings = run("warnings", WarningsOutput)
        assert isinstance(warnings, WarningsOutput)
        points = []
        for index, item in enumerate(warnings.points):
            point = check(item.point, f"attention_points[{index}].point")
            reason = check(item.reason, f"attention_points[{index}].reason")
            points.append(
                AttentionPoint(
                    point=point.text,
                    reason=reason.text,
                    message_ids=list(dict.fromkeys(point.message_ids + reason.message_ids)),
                )
            )
        replies, reply_flags, reply_dropped = self._replies(
            context, grounding, situation=situation, tones=tones
        )
        flags += reply_flags
        dropped += reply_dropped
        return BriefResult(
            client=facts.name,
            profile=CitedText(text=profile_text.text, message_ids=profile_text.message_ids),
            last_conversation=CitedText(
                text=summary_text.text, message_ids=summary_text.message_ids
            ),
            attention_points=points,
            follow_up=FollowUp(
                when=when.text,
                why=why.text,
                message_ids=list(dict.fromkeys(when.message_ids + why.message_ids)),
            ),
            replies=replies,
            flags=flags,
            dropped_citations=list(dict.fromkeys(dropped)),
            model=self.llm.name,
            generated_at=self.clock(),
        )

    # --- answers -----------------------------------------------------------------------------------

    def _answer_messages(
        self, question: str, facts: ClientFacts | None, evidence: Sequence[EvidenceLike]
    ) -> tuple[list[dict[str, str]], BuiltContext, GroundingContext]:
        context = self.build_context(
            facts=facts,
            history=(),
            similar=evidence,
            tasks=("answer",),
            extra_tokens=count_tokens(question),
        )
        messages = self.prompts["answer"].render(context=context.text, question=question)
        return messages, context, self.grounding_for(context, question)

    def answer(
        self, *, question: str, facts: ClientFacts | None, evidence: Sequence[EvidenceLike]
    ) -> Answer:
        messages, context, grounding = self._answer_messages(question, facts, evidence)
        prompt = self.prompts["answer"]
        raw = self.llm.chat(messages, max_tokens=prompt.max_tokens, temperature=prompt.temperature)
        checked = self._check(raw, context, grounding, field="answer")
        answer = Answer(
            text=checked.text,
            message_ids=checked.message_ids,
            flags=checked.flags,
            dropped_citations=checked.dropped_citations,
        )
        return with_attribution(answer, context.evidence)

    def stream_answer(
        self, *, question: str, facts: ClientFacts | None, evidence: Sequence[EvidenceLike]
    ) -> CheckedStream:
        """Iterate the returned object for checked text pieces; then read its `.answer`."""
        messages, context, grounding = self._answer_messages(question, facts, evidence)
        prompt = self.prompts["answer"]
        chunks = self.llm.stream(
            messages, max_tokens=prompt.max_tokens, temperature=prompt.temperature
        )
        return CheckedStream(
            chunks, allowed=context.message_ids, grounding=grounding, evidence=context.evidence
        )


def with_attribution(answer: Answer, evidence: Sequence[EvidenceLike]) -> Answer:
    """The answer as written when it cites; else with the messages found by code."""
    if answer.message_ids or not evidence:
        return answer
    found = attribute(answer.text, evidence)
    if not found:
        return answer
    return answer.model_copy(update={"message_ids": found, "attributed": True})


def _safe_cut(buffer: str) -> int:
    """How much of a streamed buffer can be checked now without splitting a figure or a marker."""
    cut = max(buffer.rfind(" "), buffer.rfind("\n"), buffer.rfind("\t")) + 1
    bracket = buffer.rfind("[", 0, cut)
    if bracket >= 0 and "]" not in buffer[bracket:cut]:
        cut = bracket
    window_start = max(0, cut - _HOLDBACK_CHARS)
    figure = re.search(r"\d|R\$", buffer[window_start:cut])
    if figure:
        position = window_start + figure.start()
        cut = max(buffer.rfind(" ", 0, position), buffer.rfind("\n", 0, position)) + 1
    return cut


class CheckedStream:
    """A token stream passed through the citation filter and the grounding check as it arrives.

    Text is released a little late: a piece ending near a digit, `R$` or an open `[` is held back
    until the figure or marker is complete, so a flagged figure is never shown unmarked, not even
    for a moment.
    """

    def __init__(
        self,
        chunks: Iterator[str],
        *,
        allowed: set[int],
        grounding: GroundingContext,
        evidence: Sequence[EvidenceLike] = (),
    ) -> None:
        self._chunks = chunks
        self._allowed = allowed
        self._grounding = grounding
        self._evidence = evidence
        self._pieces: list[str] = []
        self._kept: dict[int, None] = {}
        self._dropped: dict[int, None] = {}
        self._flags: list[GroundingFlag] = []
        self._offset = 0
        self._done = False

    def _process(self, segment: str) -> str:
        cited = filter_citations(segment, self._allowed, trim=False)
        self._kept.update(dict.fromkeys(cited.kept))
        self._dropped.update(dict.fromkeys(cited.dropped))
        marked, flags = ground_text(cited.text, self._grounding, field="answer")
        for flag in flags:
            self._flags.append(
                flag.model_copy(
                    update={"start": flag.start + self._offset, "end": flag.end + self._offset}
                )
            )
        self._offset += len(cited.text)
        self._pieces.append(marked)
        return marked

    def __iter__(self) -> Iterator[str]:
        buffer = ""
        for chunk in self._chunks:
            buffer += chunk
            cut = _safe_cut(buffer)
            if cut > 0:
                out = self._process(buffer[:cut])
                buffer = buffer[cut:]
                if out:
                    yield out
        if buffer:
            out = self._process(buffer)
            if out:
                yield out
        self._done = True

    @property
    def answer(self) -> Answer:
        if not self._done:
            raise RuntimeError("read the whole stream before asking for its answer")
        answer = Answer(
            text="".join(self._pieces).strip(),
            message_ids=list(self._kept),
            flags=self._flags,
            dropped_citations=list(self._dropped),
        )
        return with_attribution(answer, self._evidence)


class ReplyStream:
    """A suggestion being written: iterate for checked text pieces, then read `.suggestion`.

    The pieces keep the model's `[m123]` markers (the seller sees what it rests on while it is
    written); the final suggestion is checked whole, with the markers moved to `message_ids`,
    exactly as `Generator.replies` returns it.
    """

    def __init__(
        self,
        chunks: Iterator[str],
        *,
        allowed: set[int],
        grounding: GroundingContext,
        finish: Callable[[str], tuple[ReplySuggestion, CheckedText]],
    ) -> None:
        self._raw: list[str] = []
        self._finish = finish
        self._checked = CheckedStream(self._recorded(chunks), allowed=allowed, grounding=grounding)

    def _recorded(self, chunks: Iterator[str]) -> Iterator[str]:
        for chunk in chunks:
            self._raw.append(chunk)
            yield chunk

    def __iter__(self) -> Iterator[str]:
        return iter(self._checked)

    @property
    def suggestion(self) -> ReplySuggestion:
        for _ in self._checked:  # read to the end if the caller stopped early
            pass
        suggestion, _ = self._finish("".join(self._raw))
        return suggestion
