"""Prompt files: the shipped ones load, and each kind of broken template is refused at load time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from copiloto.settings import bundled_path
from copiloto.suggestions.prompts import TASKS, PromptBook, PromptError, load_prompts

SYSTEM = '+++\ninputs = ["context"]\n+++\n=== system ===\nRegras.\n\n{context}\n'
GOOD = (
    '+++\ndescription = "x"\ninputs = ["question"]\noutput = "text"\n+++\n'
    '=== user ===\nPergunta: {question}\nExemplo: {"answer": "sim"} e {{literal}}\n'
)


def write(directory: Path, name: str, text: str) -> None:
    (directory / f"{name}.md").write_text(text, encoding="utf-8")


def book(tmp_path: Path, task: str) -> PromptBook:
    write(tmp_path, "_system", SYSTEM)
    write(tmp_path, "ask", task)
    return load_prompts(tmp_path, required=["ask"])


def test_shipped_prompts_cover_every_task(prompt_book: PromptBook) -> None:
    assert set(TASKS) <= set(prompt_book.names)
    for name in TASKS:
        messages = prompt_book[name].render(**{key: f"<{key}>" for key in prompt_book[name].inputs})
        assert [m["role"] for m in messages] == ["system", "user"]
        assert "<context>" in messages[0]["content"]
        # Nothing left unrendered: every {placeholder} was declared and filled.
        assert "{context}" not in messages[0]["content"] + messages[1]["content"]


def test_all_tasks_share_the_system_prefix(prompt_book: PromptBook) -> None:
    systems = {
        prompt_book[name].render(**dict.fromkeys(prompt_book[name].inputs, "v"))[0]["content"]
        for name in TASKS
    }
    assert len(systems) == 1  # same prefix → llama.cpp reuses the KV cache across a brief


def test_good_template_renders_literal_braces(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Como escrever prompts\n{nada}")  # docs, not a prompt
    prompts = book(tmp_path, GOOD)
    assert prompts.names == ["ask"]
    messages = prompts.render("ask", context="CTX", question="Quanto custa?")
    assert messages[0]["content"].endswith("CTX")
    assert (
        messages[1]["content"] == 'Pergunta: Quanto custa?\nExemplo: {"answer": "sim"} e {literal}'
    )
    assert prompts["ask"].output_model is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("=== user ===\nsem front matter", "front matter"),
        ("+++\ninputs = [\n+++\n=== user ===\nx", "invalid front matter"),
        ('+++\ninputs = ["question"]\n+++\n=== user ===\n{question}', "'output'"),
        (
            '+++\ninputs = ["question"]\noutput = "NoSuchModel"\n+++\n=== user ===\n{question}',
            "NoSuchModel",
        ),
        (
            '+++\ninputs = []\noutput = "text"\n+++\n=== user ===\nOi {nome}',
            "undeclared variable(s) nome",
        ),
        (
            '+++\ninputs = ["question", "extra"]\noutput = "text"\n+++\n=== user ===\n{question}',
            "never used: extra",
        ),
        (
            '+++\ninputs = []\noutput = "text"\noutpt = "x"\n+++\n=== user ===\nx',
            "unknown front matter key(s) outpt",
        ),
        ('+++\ninputs = []\noutput = "text"\n+++\n=== user ===\n   \n', "empty user template"),
        (
            '+++\ninputs = []\noutput = "text"\nsystem = "_other"\n+++\n=== user ===\nx',
            "'_other' not found",
        ),
        ('+++\ninputs = []\noutput = "text"\n+++\n=== usr ===\nx', "section 'usr'"),
        ('+++\ninputs = []\noutput = "text"\nmax_tokens = 0\n+++\n=== user ===\nx', "max_tokens"),
    ],
)
def test_broken_templates_fail_at_load_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(PromptError) as error:
        book(tmp_path, text)
    assert "ask.md" in str(error.value)
    assert message in str(error.value)


def test_shared_system_with_undeclared_variable_fails(tmp_path: Path) -> None:
    write(tmp_path, "_system", "+++\ninputs = []\n+++\n=== system ===\n{context}\n")
    write(tmp_path, "ask", GOOD)
    with pytest.raises(
        PromptError, match=r"_system\.md: system uses undeclared variable\(s\) context"
    ):
        load_prompts(tmp_path, required=[])


def test_missing_task_file_fails(tmp_path: Path) -> None:
    shutil.copytree(bundled_path("prompts"), tmp_path / "p")
    (tmp_path / "p" / "unblock.md").unlink()
    with pytest.raises(PromptError, match=r"missing prompt file\(s\) unblock\.md"):
        load_prompts(tmp_path / "p")


def test_render_refuses_missing_and_undeclared_values(tmp_path: Path) -> None:
    prompts = book(tmp_path, GOOD)
    with pytest.raises(PromptError, match="missing value for question"):
        prompts.render("ask", context="c")
    with pytest.raises(PromptError, match="undeclared value"):
        prompts.render("ask", context="c", question="q", other="x")
    with pytest.raises(PromptError, match="no prompt named"):
        prompts.render("nope")
