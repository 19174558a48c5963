"""ASR evaluation: word and character error rates and real-time factor over a CSV of clips.

Normalization (applied to reference and hypothesis alike, see `normalize_text`):
1. Unicode NFC and case folding ("A Amazônia" → "a amazônia"); accents are kept, since they
   change words in Portuguese ("é"/"e") and the model must get them right.
2. Numbers written out in Brazilian Portuguese: "266" → "duzentos e sessenta e seis",
   "R$ 7,50" → "sete vírgula cinquenta reais", "2,5%" → "… por cento", "1º" → "primeiro".
3. Feminine number words folded to the masculine form ("duas" → "dois", "duzentas" →
   "duzentos"), and "catorze" → "quatorze", so that gender and spelling of numbers never count.
4. Punctuation and symbols removed; hyphens and apostrophes become spaces ("quinta-feira" →
   "quinta feira"); runs of whitespace collapsed.
WER = word edits / reference words over the whole set (not a mean of per-clip rates); CER the same
over characters of the normalized text, spaces included. RTF = processing seconds (decode +
transcribe, model already loaded) / audio seconds.
"""

from __future__ import annotations

import csv
import json
import logging
import re
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from copiloto.media.asr import Transcriber

log = logging.getLogger(__name__)

_FEMININE = {
    "duas": "dois",
    "duzentas": "duzentos",
    "trezentas": "trezentos",
    "quatrocentas": "quatrocentos",
    "quinhentas": "quinhentos",
    "seiscentas": "seiscentos",
    "setecentas": "setecentos",
    "oitocentas": "oitocentos",
    "novecentas": "novecentos",
    "catorze": "quatorze",
}
_SEPARATORS = re.compile(r"[-‐‑–—'’/_]")


def normalize_text(text: str) -> str:
    """The documented normalization (module docstring), identical for reference and hypothesis."""
    from copiloto.media.pt_numbers import numbers_to_words

    text = unicodedata.normalize("NFC", text).casefold()
    text = numbers_to_words(text)
    text = _SEPARATORS.sub(" ", text)
    text = "".join(
        ch if not unicodedata.category(ch).startswith(("P", "S")) else " " for ch in text
    )
    words = [_FEMININE.get(word, word) for word in text.split()]
    return " ".join(words)


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance (substitutions, insertions, deletions all cost 1)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_item in enumerate(reference, start=1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp_item in enumerate(hypothesis, start=1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (ref_item != hyp_item),
            )
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class Sample:
    path: Path
    reference: str


@dataclass(frozen=True)
class AsrReport:
    n: int
    wer: float
    cer: float
    rtf: float
    model: str

    def as_dict(self) -> dict[str, object]:
        return {"n": self.n, "wer": self.wer, "cer": self.cer, "rtf": self.rtf, "model": self.model}


def read_samples(csv_path: Path) -> list[Sample]:
    """Rows of `path,text` or `file,reference_text`; paths relative to the CSV's folder."""
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # the shared set also has a `path` column (the clip's path in its source repository), so the
    # `file,reference_text` pair wins whenever it is present
    columns = (
        ("file", "reference_text") if rows and "reference_text" in rows[0] else ("path", "text")
    )
    samples = []
    for row in rows:
        rel, ref = row.get(columns[0]), row.get(columns[1])
        if not rel or ref is None:
            raise ValueError(f"{csv_path}: need columns path,text or file,reference_text")
        samples.append(Sample(csv_path.parent / rel, ref))
    return samples


def _band_limited_copy(source: Path, *, rate: int, folder: Path) -> Path:
    """An ffmpeg-resampled mono WAV at `rate` Hz: what a narrowband phone note gives the model."""
    target = folder / f"{len(list(folder.iterdir()))}_{source.stem}.wav"
    cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source)]
    subprocess.run([*cmd, "-ac", "1", "-ar", str(rate), str(target)], check=True)
    return target


def evaluate(
    transcriber: Transcriber,
    samples: Sequence[Sample],
    *,
    model_label: str,
    resample_hz: int | None = None,
    language: str | None = "pt",
) -> AsrReport:
    word_edits = word_total = char_edits = char_total = 0
    busy_s = audio_s = 0.0
    with tempfile.TemporaryDirectory(prefix="copiloto-asr-eval-") as tmp:
        paths = [
            _band_limited_copy(s.path, rate=resample_hz, folder=Path(tmp))
            if resample_hz
            else s.path
            for s in samples
        ]
        if paths:
            transcriber.transcribe(paths[0], language=language)  # load the model outside timing
        for sample, path in zip(samples, paths, strict=True):
            started = time.perf_counter()
            transcript = transcriber.transcribe(path, language=language)
            busy_s += time.perf_counter() - started
            audio_s += transcript.duration_s
            ref = normalize_text(sample.reference)
            hyp = normalize_text(transcript.text)
            word_edits += edit_distance(ref.split(), hyp.split())
            word_total += len(ref.split())
            char_edits += edit_distance(ref, hyp)
            char_total += len(ref)
            log.info("%s | ref: %s | hyp: %s", sample.path.name, ref, hyp)
    return AsrReport(
        n=len(samples),
        wer=round(word_edits / word_total, 4) if word_total else 0.0,
        cer=round(char_edits / char_total, 4) if char_total else 0.0,
        rtf=round(busy_s / audio_s, 4) if audio_s else 0.0,
        model=model_label,
    )


def asr_command(
    data: Annotated[Path, typer.Option(help="CSV with path,text or file,reference_text columns.")],
    resample: Annotated[
        int | None, typer.Option(help="Resample every clip to this rate first (e.g. 8000).")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N clips.")] = None,
    language: Annotated[str, typer.Option(help="Language code, or 'auto' to detect.")] = "pt",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Word/character error rate and real-time factor of the configured ASR on a speech set."""
    from copiloto.media.asr import build_transcriber
    from copiloto.settings import Settings

    samples = read_samples(data)[:limit] if limit else read_samples(data)
    transcriber = build_transcriber(Settings())
    label = getattr(transcriber, "model_label", type(transcriber).__name__)
    if resample:
        label = f"{label}@{resample}Hz"
    report = evaluate(
        transcriber,
        samples,
        model_label=label,
        resample_hz=resample,
        language=None if language == "auto" else language,
    )
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"ASR — {data.name}")
    for column in ("n", "WER", "CER", "RTF", "model"):
        table.add_column(column)
    table.add_row(
        str(report.n), f"{report.wer:.3f}", f"{report.cer:.3f}", f"{report.rtf:.3f}", report.model
    )
    Console().print(table)
