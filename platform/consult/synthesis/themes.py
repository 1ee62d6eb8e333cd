"""Themes in what people wrote: comments grouped by meaning, each with a label from its own
words and its most representative comments. Pure (scikit-learn), offline, nothing downloaded.

Three ways of turning a comment into a vector were compared on a labelled set of paraphrase
pairs in English, French and German (bench/themes_eval.py, tests/data/paraphrases.json):
character n-grams (3 to 5 letters inside words, TF-IDF), word TF-IDF reduced by SVD (latent
semantic analysis), and TF-IDF of words cut to their first four letters (a crude stemmer that
works alike in the three languages: "neighbourhood"/"neighbourhoods", "finanzierung"/"financement"
do not meet, but "données"/"donnée" and "funding"/"funded" do). All are grouped by average-linkage agglomerative clustering on cosine
distance, cut at a threshold chosen on half of the set and measured on the other half. The
chosen method and its threshold are METHOD below; the figures are in the closing note of
issue 16 and re-printed by the evaluation script."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode
from sklearn.preprocessing import normalize

# Function words of the conference's three working languages: never a theme's label.
STOPWORDS = frozenset("""
a an and are as at be been but by can could do does for from has have how if in into is it its
more most must need needs no not of on or our should so such than that the their them then there
these they this those to too us was we were what when where which while who why will with would
you your also very just only same other any all each every one two three own here many much
le la les un une des du de et est sont pour par pas plus sur dans avec ce cette ces qui que
nous vous ils elles il elle en au aux ou mais doit doivent faut être avoir leur leurs ne se sa
son ses très aussi
der die das ein eine einen einer und ist sind für mit von zu zum zur auf im in den dem des
nicht auch wir sie es bei als oder aber muss müssen sollte sollten werden wird noch mehr nur
""".split())
MIN_LABEL_WORD = 4
PREFIX = 4


@dataclass(frozen=True)
class Method:
    name: str
    vectorise: Callable[[Sequence[str]], np.ndarray]   # rows L2-normalised
    threshold: float                                    # cosine distance at which the tree is cut


def _fit(vectorizer: TfidfVectorizer, docs: Sequence[str]):
    """TF-IDF rows; texts with no word to count (empty, only function words) get none, and so
    stand alone."""
    try:
        return vectorizer.fit_transform(docs)
    except ValueError:  # an empty vocabulary
        return np.zeros((len(docs), 1), dtype=np.float32)


def _dense(vectors) -> np.ndarray:
    vectors = normalize(vectors)
    return (vectors if isinstance(vectors, np.ndarray) else vectors.toarray()).astype(np.float32)


def _char_tfidf(texts: Sequence[str]) -> np.ndarray:
    return _dense(_fit(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                       strip_accents="unicode", lowercase=True), texts))


def _stop_words() -> list[str]:
    return sorted(STOPWORDS | {strip_accents_unicode(w) for w in STOPWORDS})


def _word_prefixes(texts: Sequence[str]) -> np.ndarray:
    docs = [" ".join(w[:PREFIX] for w in re.findall(r"\w+", t.lower()) if len(w) > 2 and w not in STOPWORDS)
            for t in texts]
    return _dense(_fit(TfidfVectorizer(sublinear_tf=True, strip_accents="unicode", token_pattern=r"(?u)\b\w+\b"),
                       docs))


def _word_lsa(texts: Sequence[str]) -> np.ndarray:
    vectors = _fit(TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode",
                                   stop_words=_stop_words(), token_pattern=r"(?u)\b\w\w+\b"), texts)
    components = min(100, vectors.shape[0] - 1, vectors.shape[1] - 1)
    if components < 2:
        return _dense(vectors)
    return _dense(TruncatedSVD(n_components=components, random_state=0).fit_transform(vectors))


# Thresholds as tuned by bench/themes_eval.py on half of the labelled set.
CHAR_NGRAMS = Method("character 3-5-grams, TF-IDF", _char_tfidf, 0.92)
WORD_LSA = Method("word TF-IDF + SVD (LSA)", _word_lsa, 0.96)
WORD_PREFIXES = Method("4-letter word prefixes, TF-IDF", _word_prefixes, 0.90)
METHODS = (CHAR_NGRAMS, WORD_LSA, WORD_PREFIXES)
METHOD = WORD_PREFIXES


def cluster(vectors: np.ndarray, threshold: float) -> np.ndarray:
    """A group number per row: average linkage on cosine distance, cut at `threshold`."""
    n = len(vectors)
    if n < 2:
        return np.zeros(n, dtype=int)
    distances = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False), method="average")
    return fcluster(tree, t=threshold, criterion="distance") - 1


@dataclass(frozen=True)
class Theme:
    members: tuple[int, ...]          # indices into the texts, most representative first
    label: str


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) >= MIN_LABEL_WORD and w not in STOPWORDS
            and not w.isdigit()]


def label(texts: Sequence[str]) -> str:
    """Up to three words the theme's comments share most, in the form they were written."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        for word in dict.fromkeys(_words(text)):
            counts[word] = counts.get(word, 0) + 1
            first.setdefault(word, i * 1000 + len(first))
    shared = [w for w in counts if counts[w] > 1] or list(counts)
    shared.sort(key=lambda w: (-counts[w], -len(w), first[w]))
    return " · ".join(shared[:3])


def themes(texts: Sequence[str], method: Method = METHOD) -> list[Theme]:
    """Every text in exactly one theme (a lone comment is a theme of one); largest first."""
    if not texts:
        return []
    vectors = method.vectorise(texts)
    groups = cluster(vectors, method.threshold)
    out = []
    for g in np.unique(groups):
        rows = np.flatnonzero(groups == g)
        centre = vectors[rows].mean(axis=0)
        order = rows[np.argsort(-(vectors[rows] @ centre), kind="stable")]
        out.append(Theme(tuple(int(i) for i in order), label([texts[i] for i in order])))
    out.sort(key=lambda t: (-len(t.members), t.members[0]))
    return out
