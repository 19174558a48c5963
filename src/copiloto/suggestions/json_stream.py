"""Read one string field out of JSON while the model is still writing it.

A suggestion is generated as constrained JSON (`{"replies": [{"tone": …, "text": "…"}]}`), which
cannot be parsed before it is complete; the seller, though, wants to watch the text being written
instead of waiting for the closing brace. This yields the decoded characters of the first
`"FIELD": "…"` value as they arrive, handling escapes split across chunks.
"""

import json
import re
from collections.abc import Iterable, Iterator

_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r"}
_SIMPLE_ESCAPES["t"] = "\t"


def stream_string_field(chunks: Iterable[str], field: str) -> Iterator[str]:
    """Decoded pieces of the first string value of `field`; stops at its closing quote.

    Stopping early leaves the rest of `chunks` unread: closing the returned generator closes
    the model's stream too (and with it the generation), when the caller owns it.
    """
    opening = re.compile(r'"' + re.escape(field) + r'"\s*:\s*"')
    buffer = ""
    chunks = iter(chunks)
    for chunk in chunks:  # until the value starts
        buffer += chunk
        found = opening.search(buffer)
        if found:
            buffer = buffer[found.end() :]
            break
    else:
        return
    while True:
        out: list[str] = []
        index = 0
        while index < len(buffer):
            char = buffer[index]
            if char == '"':
                if out:
                    yield "".join(out)
                return
            if char != "\\":
                out.append(char)
                index += 1
                continue
            if index + 1 >= len(buffer):
                break  # the escape continues in the next chunk
            kind = buffer[index + 1]
            if kind == "u":
                width = _unicode_escape_width(buffer, index)
                if width is None:
                    break  # the escape (or its surrogate's second half) is still arriving
                escape = buffer[index : index + width]
                try:
                    out.append(json.loads('"' + escape + '"'))
                except ValueError:  # not a valid escape: shown as written
                    out.append(escape)
                index += width
                continue
            out.append(_SIMPLE_ESCAPES.get(kind, kind))
            index += 2
        buffer = buffer[index:]
        if out:
            yield "".join(out)
        chunk = next(chunks, None)
        if chunk is None:
            return  # the stream ended inside the string (max_tokens): what came is what there is
        buffer += chunk


def _unicode_escape_width(buffer: str, index: int) -> int | None:
    """Length of the `\\uXXXX` escape at `index` (12 for a surrogate pair: an emoji), or None
    while it is incomplete."""
    if index + 6 > len(buffer):
        return None
    try:
        high = int(buffer[index + 2 : index + 6], 16)
    except ValueError:
        return 2
    if 0xD800 <= high < 0xDC00:
        if index + 12 > len(buffer):
            return None
        if buffer[index + 6 : index + 8] == "\\u":
            return 12
    return 6
