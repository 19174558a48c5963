"""CLI functions for the lead's `copiloto` app (registered in `copiloto.cli`); imports stay light."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer


def chat_command(
    prompt: Annotated[str, typer.Argument(help="Mensagem para o modelo")],
    system: Annotated[
        str | None, typer.Option("--system", help="Mensagem de sistema opcional")
    ] = None,
    max_tokens: Annotated[int, typer.Option("--max-tokens", min=1)] = 256,
    temperature: Annotated[float, typer.Option("--temperature", min=0.0, max=2.0)] = 0.2,
    stats: Annotated[bool, typer.Option("--stats", help="Mostra tempo até o 1º token")] = False,
) -> None:
    """Stream an answer from the configured LLM (proves the local llama.cpp path works)."""
    from copiloto.settings import Settings
    from copiloto.suggestions.llm import LLMError, build_llm

    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": prompt})
    started = time.perf_counter()
    first: float | None = None
    pieces = 0
    try:
        llm = build_llm(Settings())
        for piece in llm.stream(messages, max_tokens=max_tokens, temperature=temperature):
            if first is None:
                first = time.perf_counter() - started
            pieces += 1
            typer.echo(piece, nl=False)
            sys.stdout.flush()
    except LLMError as error:
        typer.echo(f"\nErro no modelo de linguagem: {error}", err=True)
        raise typer.Exit(code=1) from error
    typer.echo("")
    if stats:
        total = time.perf_counter() - started
        typer.echo(
            f"[{llm.name}] 1º pedaço em {first or 0:.2f} s; {pieces} pedaços em {total:.2f} s",
            err=True,
        )
