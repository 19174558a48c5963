"""Response times derived from the message sequence, never typed in."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from copiloto.domain.enums import Direction


@dataclass(frozen=True, slots=True)
class Turn:
    """The minimum a response-time computation needs from a message."""

    id: int
    direction: Direction
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class ResponseTime:
    """`answer_id` answered `question_id` after `seconds`; `responder` is who answered."""

    question_id: int
    answer_id: int
    responder: Direction
    seconds: float


def response_times(turns: Iterable[Turn]) -> list[ResponseTime]:
    """Pair the first message of each run with the first reply from the other side.

    A run of consecutive messages from one side counts as one turn, timed from its first message:
    the wait a client feels starts when they first wrote, not at their last follow-up.
    """
    result: list[ResponseTime] = []
    run_start: Turn | None = None
    for turn in sorted(turns, key=lambda t: (t.sent_at, t.id)):
        if turn.direction is Direction.NONE:
            continue
        if run_start is None or run_start.direction is turn.direction:
            run_start = run_start or turn
            continue
        seconds = (turn.sent_at - run_start.sent_at).total_seconds()
        result.append(ResponseTime(run_start.id, turn.id, turn.direction, seconds))
        run_start = turn
    return result
