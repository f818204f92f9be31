"""What the model reads of a paper: four TF-IDF views joined in one `FeatureUnion`.

- ``words``: word 1–2-grams of title + abstract. Hyphenated compounds stay whole
  ("on-policy", "self-distillation", "student-generated"), and "on policy" / "self distillation"
  written with a space are joined to the same token, since the list's signal lives in them.
- ``title``: the same analysis of the title alone (a title names the method; an abstract
  dilutes it).
- ``authors``: one token per author ("author: Li Dong"): the list's authors publish again.
- ``categories``: one token per arXiv category ("category: cs.CL").

The two text views are `Phrases`: scikit-learn's `HashingVectorizer` counts the 1–2-grams
(no vocabulary dictionary to build: on a quarter of listings that dictionary was 80 % of
fitting), columns that too few or too many papers have are dropped (`min_df`, `max_df`, as
`TfidfVectorizer` does) and `TfidfTransformer` weighs the rest. A hashed column
has no name of its own; it is named by the positives' n-grams that land in it (`learn_names`),
which are the terms a why can cite. The author and category views are small and plain
`TfidfVectorizer`s.

Every view takes the raw paper (anything with ``title``, ``abstract``, ``authors``,
``categories``) so the Pipeline's input is simply a list of papers. All callables are module
level so the fitted Pipeline pickles.
"""
from __future__ import annotations

import hashlib
import re
import weakref
from functools import partial

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import (ENGLISH_STOP_WORDS, HashingVectorizer,
                                             TfidfTransformer, TfidfVectorizer)
from sklearn.pipeline import FeatureUnion

TOKEN = r"(?u)\b\w[\w-]*\w\b"
# "on policy", "self distillation" ... joined into one token. Written without a leading \b so
# that the regex engine can skip to the next "o" or "s" (twice as fast over a quarter); the
# word boundary before it is checked in `_joined`.
_JOIN = re.compile(r"(on|off|self)[\s-]+(policy|distill\w*|generated|training|play|supervised)\b")


def _joined(m: re.Match) -> str:
    i = m.start()
    before = m.string[i - 1] if i else " "
    if before.isalnum() or before == "_":     # inside a word ("reflection policy"): as is
        return m.group(0)
    return f"{m.group(1)}-{m.group(2)}"


def normalise(text: str) -> str:
    text = _JOIN.sub(_joined, text.lower())
    return text.replace("$", " ")


def full_text(p) -> str:
    """Title and abstract (title only where there is no abstract), normalised."""
    abstract = getattr(p, "abstract", "") or ""
    return normalise(f"{p.title}. {abstract}" if abstract else p.title)


def title_text(p) -> str:
    return normalise(p.title)


# TOKEN's matches, without its \b at either end: a match starts at a word's first character
# (the engine reaches it first, and any word of two characters matches there) and the greedy
# [\w-]* ends it at a word's end, so the boundaries hold anyway; a fifth faster over a quarter.
# tests/classifier/test_features.py compares the views with TfidfVectorizer(token_pattern=TOKEN).
_TOKEN = re.compile(r"\w[\w-]*\w")


def ngrams(text, p, stop: frozenset = frozenset()) -> list[str]:
    """Word 1- and 2-grams of `text(p)`, stop words left out before pairing (as
    `TfidfVectorizer(ngram_range=(1, 2), stop_words=...)` analyses)."""
    words = [w for w in _TOKEN.findall(text(p)) if w not in stop]
    words.extend(map(" ".join, zip(words, words[1:])))
    return words


def _tokens(tokens):
    return tokens


KEY_BYTES = 16      # length of a `text_key`


def text_key(p) -> bytes:
    """What a paper's text views depend on (title and abstract), as a short digest."""
    text = f"{p.title}\0{getattr(p, 'abstract', '') or ''}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


class Counts:
    """Hashed n-gram counts of papers already seen, by `text_key`. Hashing has no state (a
    paper's row depends only on its text and the analyser), so a row counted yesterday is
    today's row: a day's refit hashes only the papers new since (see `carry_counts`)."""

    def __init__(self, keys: list, H, analyser: tuple):
        self.H = sp.csr_matrix(H)
        self.row = {k: i for i, k in enumerate(keys)}
        self.analyser = analyser      # what counted them (Phrases.analyser): rows of another
                                      # analyser (e.g. without stop words) are not reused

    def rows(self, docs, count) -> tuple[sp.csr_matrix, "Counts"]:
        """(the count rows of `docs`, a `Counts` of just those papers), `count`ing only the
        papers not held here."""
        keys = [text_key(d) for d in docs]
        new = {}
        for k, d in zip(keys, docs):
            if k not in self.row and k not in new:
                new[k] = d
        H, row = self.H, dict(self.row)
        if new:
            H = sp.vstack([H, sp.csr_matrix(count(list(new.values())))], format="csr")
            row.update({k: self.H.shape[0] + i for i, k in enumerate(new)})
        distinct = list(dict.fromkeys(keys))
        return H[[row[k] for k in keys]], Counts(distinct, H[[row[k] for k in distinct]],
                                                 self.analyser)

    # pickled as one bytes string of keys, not thousands of objects (the daily job saves
    # and loads its model every run; pickling objects one by one is slow)
    def __getstate__(self):
        keys = sorted(self.row, key=self.row.get)
        return {"H": self.H, "keys": b"".join(keys), "analyser": self.analyser}

    def __setstate__(self, state):
        blob = state["keys"]
        self.H, self.analyser = state["H"], state["analyser"]
        self.row = {blob[i:i + KEY_BYTES]: n
                    for n, i in enumerate(range(0, len(blob), KEY_BYTES))}


class Phrases(TransformerMixin, BaseEstimator):
    """TF-IDF of a text's word 1–2-grams, counted by hashing: `HashingVectorizer` (2**30
    columns, so distinct n-grams almost never share one), then only the columns in at least
    `min_df` and at most `max_df` training papers (counts, or a share when a float), then
    `TfidfTransformer` (sublinear tf, l2 rows). Equivalent to a `TfidfVectorizer` with the
    same limits, without building its vocabulary. `names_` maps a kept column to the
    n-gram that named it (`learn_names`). With `keep_counts`, `counts_` keeps the hashed
    counts of the training papers for the next fit (`carry_counts`)."""

    def __init__(self, text=full_text, min_df=1, max_df=1.0, stop_words=False,
                 n_features=2 ** 30, keep_counts=False):
        self.text = text
        self.keep_counts = keep_counts
        self.min_df = min_df
        self.max_df = max_df
        self.stop_words = stop_words
        self.n_features = n_features

    def _hasher(self, analyzer):
        return HashingVectorizer(analyzer=analyzer, n_features=self.n_features,
                                 alternate_sign=False, norm=None, dtype=np.float32)

    def _stop(self) -> frozenset:
        return ENGLISH_STOP_WORDS if self.stop_words else frozenset()

    def _counts(self, docs):
        return self._hasher(partial(ngrams, self.text, stop=self._stop())).transform(docs)

    def analyser(self) -> tuple:
        """What a count row depends on besides the paper's text."""
        return (self.text.__module__, self.text.__qualname__, bool(self.stop_words),
                self.n_features)

    def fit_transform(self, docs, y=None):
        carried = getattr(self, "counts_", None)   # a previous fit's (`carry_counts`)
        if carried is not None and carried.analyser == self.analyser():
            H, kept = carried.rows(docs, self._counts)
        else:
            H = self._counts(docs)
            kept = (Counts([text_key(d) for d in docs], H, self.analyser())
                    if self.keep_counts else None)
        self.counts_ = kept if self.keep_counts else None
        n = H.shape[0]
        cols, df = np.unique(H.indices, return_counts=True)   # rows hold distinct columns
        hi = self.max_df if isinstance(self.max_df, (int, np.integer)) else self.max_df * n
        lo = self.min_df if isinstance(self.min_df, (int, np.integer)) else self.min_df * n
        self.columns_ = cols[(df >= lo) & (df <= hi)]
        if not len(self.columns_):
            raise ValueError("no terms remain after the document-frequency limits")
        self.names_ = {}
        self.tfidf_ = TfidfTransformer(sublinear_tf=True)
        return self.tfidf_.fit_transform(self._kept(H))

    def fit(self, docs, y=None):
        self.fit_transform(docs)
        return self

    def transform(self, docs):
        return self.tfidf_.transform(self._kept(self._counts(docs)))

    def _position(self, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position among the kept columns, whether kept) of hashed column numbers."""
        pos = np.searchsorted(self.columns_, columns)
        pos = np.minimum(pos, len(self.columns_) - 1)
        return pos, self.columns_[pos] == columns

    def _kept(self, H) -> sp.csr_matrix:
        """The kept columns of hashed counts `H`, in the order of `columns_`."""
        H = sp.csr_matrix(H)
        pos, hit = self._position(H.indices)
        rows = np.repeat(np.arange(H.shape[0]), np.diff(H.indptr))
        return sp.csr_matrix((H.data[hit], (rows[hit], pos[hit])),
                             shape=(H.shape[0], len(self.columns_)), dtype=H.dtype)

    def locate(self, grams: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(position among the kept columns, whether kept) of each n-gram in `grams`."""
        cols = sp.csr_matrix(self._hasher(_tokens).transform([[g] for g in grams])).indices
        return self._position(cols)

    def learn_names(self, docs) -> None:
        """Name the kept columns the n-grams of `docs` fall in (the first n-gram wins)."""
        stop = self._stop()
        grams = list(dict.fromkeys(g for d in docs for g in ngrams(self.text, d, stop)))
        if not grams:
            return
        pos, hit = self.locate(grams)
        for g, i, h in zip(grams, pos.tolist(), hit.tolist()):
            if h:
                self.names_.setdefault(i, g)

    # names_ is pickled as an array of positions and one string (see Counts)
    def __getstate__(self):
        state = dict(super().__getstate__())    # a copy: it may be the live __dict__
        names = state.get("names_")
        if isinstance(names, dict):
            state["names_"] = (np.fromiter(names, dtype=np.int64, count=len(names)),
                               "\n".join(names.values()))
        return state

    def __setstate__(self, state):
        names = state.get("names_")
        if isinstance(names, tuple):
            at, text = names
            state["names_"] = dict(zip(at.tolist(), text.split("\n") if len(at) else []))
        super().__setstate__(state)

    def get_feature_names_out(self, input_features=None):
        """The n-gram of each kept column, "" for a column no positive named yet."""
        return np.array([self.names_.get(i, "") for i in range(len(self.columns_))],
                        dtype=object)


def author_tokens(p) -> list[str]:
    out = []
    for a in getattr(p, "authors", None) or []:
        name = " ".join(a.split())
        if name and any(c.isalpha() for c in name):
            out.append("author: " + name)
    return out


def category_tokens(p) -> list[str]:
    return ["category: " + c for c in (getattr(p, "categories", None) or [])]


#: relative weights of the views (a view's rows are L2-normalised, then scaled)
WEIGHTS = {"words": 1.0, "title": 0.4, "authors": 0.2, "categories": 0.1}


def make_union(docs: list, n_positive: int = 0, keep_counts: bool = False) -> FeatureUnion:
    """The feature union for training documents `docs`, of which `n_positive` are positives.

    Rare terms (fewer than `min_df` papers) are noise, and so are the words of every other
    abstract ("model", "results", even "large language"): a term counts only when at most 5 %
    of the background uses it, on top of the positives themselves (so a small day's pool,
    where the positives are a large share, keeps their vocabulary). `min_df` grows with the
    corpus: 5 papers for a quarter of listings, 2 for a day, 1 for a handful. The author and
    category views are left out when no paper has any (no empty vocabulary). `keep_counts`:
    the text views keep their training papers' hashed counts (`carry_counts`)."""
    n = len(docs)
    min_df = 5 if n >= 5000 else 2 if n >= 200 else 1
    max_df = int(0.05 * (n - n_positive)) + n_positive if n >= 200 else 1.0
    words = dict(min_df=min_df, max_df=max_df, stop_words=n >= 200, keep_counts=keep_counts)
    views = [("words", Phrases(full_text, **words)), ("title", Phrases(title_text, **words))]
    if any(author_tokens(d) for d in docs):
        views.append(("authors", TfidfVectorizer(analyzer=author_tokens, dtype=np.float32)))
    if any(category_tokens(d) for d in docs):
        views.append(("categories", TfidfVectorizer(analyzer=category_tokens, dtype=np.float32)))
    return FeatureUnion(views, transformer_weights={k: WEIGHTS[k] for k, _ in views})


def carry_counts(old: FeatureUnion, new: FeatureUnion) -> None:
    """Let the text views of the unfitted union `new` start from the hashed counts the
    fitted union `old` kept of its training papers: the next day's fit of the daily job
    shares all but one day of them (fitting a 200-entry list on 10 days of listings spent
    two thirds of its time counting n-grams)."""
    kept = {name: getattr(view, "counts_", None) for name, view in old.transformer_list}
    for name, view in new.transformer_list:
        if isinstance(view, Phrases) and kept.get(name) is not None:
            view.counts_ = kept[name]


def width(view) -> int:
    """Number of columns a fitted view gives (without naming them)."""
    return len(view.columns_) if isinstance(view, Phrases) else len(view.vocabulary_)


def learn_names(union: FeatureUnion, papers) -> None:
    """Let the text views of a fitted `union` name their columns after the n-grams of
    `papers` (the positives: what a why can cite)."""
    for _, view in union.transformer_list:
        if isinstance(view, Phrases):
            view.learn_names(papers)


def readable(name: str) -> str:
    """A feature name of the union as a person reads it: 'words__on-policy distillation' ->
    'on-policy distillation'; authors and categories keep their 'author: ' prefix."""
    view, _, term = name.partition("__")
    return term


_TERMS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def term_matrix(union: FeatureUnion):
    """(distinct readable terms, term index of each column, the columns x terms 0/1 matrix)
    of a fitted `union`: the text and the title view of a term are one term of a why; ""
    stands for the hashed columns no positive named. Cached per union until its views learn
    new names (a replay's days share one union)."""
    key = tuple(len(getattr(v, "names_", ())) for _, v in union.transformer_list)
    hit = _TERMS.get(union)
    if hit is None or hit[0] != key:
        names = [readable(n) for n in union.get_feature_names_out()]
        terms = sorted(set(names))
        index = {t: i for i, t in enumerate(terms)}
        of_col = np.array([index[n] for n in names])
        T = sp.csr_matrix((np.ones(len(of_col)), (np.arange(len(of_col)), of_col)),
                          shape=(len(of_col), len(terms)))
        hit = _TERMS[union] = (key, terms, of_col, T)
    return hit[1:]
