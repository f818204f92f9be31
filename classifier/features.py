"""What the ranker reads of a paper: four term views joined in one `FeatureUnion`.

- ``words``: word 1–2-grams of title + abstract. Hyphenated compounds stay whole
  ("on-policy", "self-distillation"), and the topic's phrase joins (`Topic.joins`, from the
  configuration: "on policy", "self distill*" ...) written with a space become the same token.
- ``title``: the same analysis of the title alone (a title names the method; an abstract
  dilutes it).
- ``authors``: one token per author ("author: Li Dong"): the list's authors publish again.
- ``categories``: one token per arXiv category ("category: cs.CL").

Every view is a `Terms`: scikit-learn's `HashingVectorizer` counts the tokens (no vocabulary
dictionary to build), and the counts are weighed so that a paper reads the same whatever the
size of the background it is fitted with:

- *idf from the background's rates*: a term's idf is computed from the share of background
  papers (the unlabeled listings, not the list) that have it, smoothed by `PRIOR_DOCS`
  pseudo-papers that have none of them: ``ln((n + PRIOR_DOCS) / (df + 1)) + 1``. A term no
  background paper has gets the same ceiling from one day of listings as from ten, and the
  list's own papers do not make their terms look common in a small background.
- *rows normalised over all of a paper's terms*, before any column is dropped: which columns
  a model keeps never changes how strongly a paper says what it says. The title view is not
  normalised by its length (`LENGTH`): a short title does not concentrate its weight on
  whatever words it has ("X Technical Report").
- *the columns are the labelled papers' terms* (the list's papers and the maintainer's
  decisions) that at least `min_df` papers have and at most `max_rate` of the background.
  A term only background papers use can only memorise the background sample the model
  happened to be fitted on; it carries no evidence about relevance. Every column is a term of
  the labelled papers, so every column has a name a why can cite.

The counts of papers already seen are kept by a content hash (`content_key`), never by the
identity of an object: a day's refit counts only the papers new since yesterday's model
(`Counts`), and a replay of a quarter counts each paper once (`count_papers`).

Every view takes the raw paper (anything with ``title``, ``abstract``, ``authors``,
``categories``), so the Pipeline's input is simply a list of papers. All callables are
module-level classes or functions so the fitted Pipeline pickles.
"""
from __future__ import annotations

import hashlib
import re
from functools import partial
from typing import Optional, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer
from sklearn.pipeline import FeatureUnion

#: what a term is: a word of two or more characters, hyphens inside it kept
TOKEN = r"(?u)\b\w[\w-]*\w\b"
# TOKEN's matches, without its \b at either end: a match starts at a word's first character
# (the engine reaches it first) and the greedy [\w-]* ends it at a word's end, so the
# boundaries hold anyway; a fifth faster over a quarter.
_TOKEN = re.compile(r"\w[\w-]*\w")

#: pseudo-papers with none of the terms, added to the background when weighing a term by
#: its rarity: a term no background paper has weighs ln(n + PRIOR_DOCS) + 1, about 8 for a
#: day of listings and 9 for ten, instead of ln(n) + 1 (7 against 9)
PRIOR_DOCS = 2000
#: relative weights of the views (a view's rows are L2-normalised, then scaled)
WEIGHTS = {"words": 1.0, "title": 0.4, "authors": 0.2, "categories": 0.1}
#: how much a text's length divides its terms' weights (`Terms.length`, 1: unit rows): a
#: title's terms weigh the same in a short title and a long one (a report titled "X Technical
#: Report" does not put all its weight on "technical report"); title and abstract are unit
#: rows (a long abstract keeping more of its evidence, length 0.3, ranked windows A and B
#: better offline and the daily loop worse: classifier/README.md)
LENGTH = {"words": 1.0, "title": 0.0}
KEY_BYTES = 16      # length of a `content_key`


def content_key(p) -> bytes:
    """Everything a paper's views read (title, abstract, authors, categories), as a short
    digest: the key of the count and feature caches."""
    text = "\0".join([p.title, getattr(p, "abstract", "") or "",
                      "\x1f".join(getattr(p, "authors", None) or []),
                      "\x1f".join(getattr(p, "categories", None) or [])])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


# ---- text ---------------------------------------------------------------------------------
def join_pattern(joins: Sequence[str]) -> Optional[re.Pattern]:
    """One regular expression for the phrase joins ("on policy", "self distill*": words
    separated by spaces, a trailing * for any ending), grouped by their first word so the
    engine skips ahead to the next possible first letter. None without joins."""
    groups: dict[str, list[str]] = {}
    for phrase in joins:
        first, *rest = phrase.lower().split()
        tail = r"[\s-]+".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
                              for w in rest)
        groups.setdefault(first, []).append(tail)
    if not groups:
        return None
    alts = "|".join(f"{re.escape(first)}[\\s-]+(?:{'|'.join(tails)})"
                    for first, tails in groups.items())
    return re.compile(f"(?:{alts})\\b")


_SEP = re.compile(r"[\s-]+")


def _joined(m: re.Match) -> str:
    i = m.start()
    before = m.string[i - 1] if i else " "
    if before.isalnum() or before == "_":   # inside a word ("reflection policy"): as it is
        return m.group(0)
    return _SEP.sub("-", m.group(0))


class Text:
    """The text a view reads, lower-cased, with the phrase joins made one token:
    ``part`` "full" (title and abstract; the title alone where there is no abstract) or
    "title". A picklable callable; its regular expression is compiled on first use."""

    def __init__(self, part: str = "full", joins: Sequence[str] = ()):
        self.part = part
        self.joins = tuple(joins)
        self._pattern = None

    def normalise(self, text: str) -> str:
        if self._pattern is None and self.joins:
            self._pattern = join_pattern(self.joins)
        text = text.lower()
        if self._pattern is not None:
            text = self._pattern.sub(_joined, text)
        return text.replace("$", " ")

    def __call__(self, p) -> str:
        if self.part == "title":
            return self.normalise(p.title)
        abstract = getattr(p, "abstract", "") or ""
        return self.normalise(f"{p.title}. {abstract}" if abstract else p.title)

    def __getstate__(self):
        return {"part": self.part, "joins": self.joins}

    def __setstate__(self, state):
        self.part, self.joins, self._pattern = state["part"], tuple(state["joins"]), None

    def __repr__(self) -> str:
        return f"Text({self.part!r}, joins={len(self.joins)})"


def ngrams(text: Text, p, stop=False) -> list[str]:
    """Word 1- and 2-grams of `text(p)`, with `stop` (True: scikit-learn's English stop
    words, or a set of words) left out before pairing (as `TfidfVectorizer(ngram_range=(1, 2),
    stop_words=...)` analyses)."""
    stop = ENGLISH_STOP_WORDS if stop is True else stop or ()
    words = [w for w in _TOKEN.findall(text(p)) if w not in stop]
    words.extend(map(" ".join, zip(words, words[1:])))
    return words


def author_tokens(p) -> list[str]:
    out = []
    for a in getattr(p, "authors", None) or []:
        name = " ".join(a.split())
        if name and any(c.isalpha() for c in name):
            out.append("author: " + name)
    return out


def category_tokens(p) -> list[str]:
    return ["category: " + c for c in (getattr(p, "categories", None) or [])]


def _tokens(tokens):
    return tokens


# ---- counts -------------------------------------------------------------------------------
class Counts:
    """Hashed token counts of papers already seen, by `content_key`. Hashing has no state (a
    paper's row depends only on its content and the analyser), so a row counted yesterday is
    today's row: a day's refit counts only the papers new since, a replay each paper once."""

    def __init__(self, keys: list, H, analyser: tuple):
        # one row per distinct paper, in order (two papers of the same content are one row;
        # row numbers 0..n-1 are what pickling relies on)
        first: dict = {}
        for i, k in enumerate(keys):
            first.setdefault(k, i)
        H = sp.csr_matrix(H)
        self.H = H if len(first) == H.shape[0] else H[list(first.values())]
        self.row = {k: n for n, k in enumerate(first)}
        self.analyser = analyser      # what counted them (Terms.analyser): rows of another
                                      # analyser (e.g. without stop words) are not reused

    def rows(self, docs, count, keys=None) -> tuple[sp.csr_matrix, "Counts"]:
        """(the count rows of `docs`, a `Counts` of just those papers), `count`ing only the
        papers not held here."""
        keys = [content_key(d) for d in docs] if keys is None else keys
        new = {}
        for k, d in zip(keys, docs):
            if k not in self.row and k not in new:
                new[k] = d
        H, row = self.H, self.row
        if new:
            row = dict(row)
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


# ---- the view ------------------------------------------------------------------------------
class Terms(TransformerMixin, BaseEstimator):
    """TF-IDF of one kind of token of a paper, counted by hashing and weighed so that it does
    not depend on how much background it is fitted with (module docstring).

    Fitted on training documents whose first `n_labelled` are the labelled papers (the list,
    approvals, rejections) and the rest the unlabeled background: idf from the background's
    rates (`PRIOR_DOCS`), columns = the labelled papers' tokens in at least `min_df` papers and
    at most `max_rate` of the background, rows L2-normalised over all their tokens
    (`sublinear`: 1 + ln(count); else presence), then reduced to those columns. `names_`
    maps a column to the token that named it (`learn_names`). With `keep_counts`, `counts_`
    keeps the training papers' hashed counts for the next fit (`carry_counts`)."""

    def __init__(self, analyzer=author_tokens, n_labelled=0, min_df=1, max_rate=1.0,
                 sublinear=True, length=1.0, n_features=2 ** 30, keep_counts=False):
        self.analyzer = analyzer
        self.n_labelled = n_labelled
        self.min_df = min_df
        self.max_rate = max_rate
        self.sublinear = sublinear
        self.length = length
        self.n_features = n_features
        self.keep_counts = keep_counts

    def _hasher(self, analyzer):
        return HashingVectorizer(analyzer=analyzer, n_features=self.n_features,
                                 alternate_sign=False, norm=None, dtype=np.float32)

    def _counts(self, docs):
        return self._hasher(self.analyzer).transform(docs)

    def analyser(self) -> tuple:
        """What a count row depends on besides the paper."""
        a = self.analyzer
        if isinstance(a, partial):
            return (a.func.__qualname__, a.args[0].part, a.args[0].joins,
                    bool(a.keywords.get("stop")), self.n_features)
        return (a.__qualname__, self.n_features)

    def count(self, docs, keys=None):
        """Hashed counts of `docs`, from the carried counts where they have them."""
        carried = getattr(self, "counts_", None)
        if carried is not None and carried.analyser == self.analyser():
            return carried.rows(docs, self._counts, keys)
        H = sp.csr_matrix(self._counts(docs))
        return H, Counts([content_key(d) for d in docs] if keys is None else keys, H,
                         self.analyser())

    def fit_transform(self, docs, y=None, keys=None):
        H, kept = self.count(docs, keys)
        self.counts_ = kept if self.keep_counts else None
        H = sp.csr_matrix(H)
        k = self.n_labelled
        n = H.shape[0] - k
        # every stored count's column among the distinct ones (a row holds a column once, so
        # counting entries per column counts papers)
        cols, inv = np.unique(H.indices, return_inverse=True)
        rows = np.repeat(np.arange(H.shape[0]), np.diff(H.indptr))
        in_bg = rows >= k
        bg_df = np.bincount(inv[in_bg], minlength=len(cols))
        lab_df = np.bincount(inv[~in_bg], minlength=len(cols))
        idf = np.log((n + PRIOR_DOCS) / (bg_df + 1.0)) + 1.0
        seen = bg_df > 0
        self.idf_columns_, self.idf_ = cols[seen], idf[seen]
        self.idf_default_ = float(np.log(n + PRIOR_DOCS) + 1.0)
        keep = (bg_df + lab_df >= self.min_df) & (bg_df <= self.max_rate * n) & (lab_df > 0)
        self.columns_ = cols[keep]
        self.column_idf_ = idf[keep]            # each column's idf (classifier/sections.py)
        if not len(self.columns_):
            raise ValueError("no terms of the labelled papers remain after the "
                             "document-frequency limits")
        self.names_ = {}
        position = np.full(len(cols), -1, dtype=np.int64)
        position[keep] = np.arange(len(self.columns_))
        v = self._tf(H) * idf[inv]
        norm = np.sqrt(np.bincount(rows, weights=v * v, minlength=H.shape[0]))
        # the typical norm of a background paper: what a row is divided by where its own
        # length does not count (`length` below 1)
        self.mean_norm_ = float(np.mean(norm[k:] if n else norm)) or 1.0
        return self._rows(H.shape[0], rows, v, norm, position[inv])

    def fit(self, docs, y=None):
        self.fit_transform(docs)
        return self

    def transform(self, docs, keys=None):
        return self._weigh(self.count(docs, keys)[0])

    @staticmethod
    def _lookup(sorted_cols: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in `sorted_cols`, whether there) of each of `cols`."""
        if not len(sorted_cols):
            return np.zeros(len(cols), np.int64), np.zeros(len(cols), bool)
        pos = np.minimum(np.searchsorted(sorted_cols, cols), len(sorted_cols) - 1)
        return pos, sorted_cols[pos] == cols

    def _tf(self, H) -> np.ndarray:
        return (1.0 + np.log(H.data)) if self.sublinear else np.ones(len(H.data))

    def _weigh(self, H) -> sp.csr_matrix:
        """Weighted, length-normalised and reduced rows of hashed counts `H` (`_rows`)."""
        H = sp.csr_matrix(H)
        cols, inv = np.unique(H.indices, return_inverse=True)
        at, hit = self._lookup(self.idf_columns_, cols)
        idf = np.where(hit, self.idf_[at] if len(self.idf_) else 0.0, self.idf_default_)
        at, kept = self._lookup(self.columns_, cols)
        position = np.where(kept, at, -1)
        rows = np.repeat(np.arange(H.shape[0]), np.diff(H.indptr))
        v = self._tf(H) * idf[inv]
        norm = np.sqrt(np.bincount(rows, weights=v * v, minlength=H.shape[0]))
        return self._rows(H.shape[0], rows, v, norm, position[inv])

    def _rows(self, n_rows: int, rows, v, norm, position) -> sp.csr_matrix:
        """The rows from each stored count's row, tf-idf value, its row's norm over all its
        tokens and its column (-1: not a column): divided by norm^length *
        mean_norm^(1 - length) (`length` 1: unit rows; 0: every row by the background's mean
        norm, so a long text keeps all its evidence), reduced to the columns."""
        norm = np.where(norm == 0, self.mean_norm_, norm)
        norm = norm ** self.length * self.mean_norm_ ** (1.0 - self.length)
        kept = position >= 0
        return sp.csr_matrix(((v / norm[rows])[kept], (rows[kept], position[kept])),
                             shape=(n_rows, len(self.columns_)))

    def locate(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(position among the columns, whether a column) of each token in `tokens`."""
        cols = sp.csr_matrix(self._hasher(_tokens).transform([[t] for t in tokens])).indices
        return self._lookup(self.columns_, cols)

    def learn_names(self, docs) -> None:
        """Name the columns the tokens of `docs` fall in (the first token wins)."""
        tokens = list(dict.fromkeys(t for d in docs for t in self.analyzer(d)))
        if not tokens:
            return
        pos, hit = self.locate(tokens)
        for t, i, h in zip(tokens, pos.tolist(), hit.tolist()):
            if h:
                self.names_.setdefault(i, t)

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
        """The token of each column, "" for a column no named paper has."""
        return np.array([self.names_.get(i, "") for i in range(len(self.columns_))],
                        dtype=object)


def make_union(docs: list, n_labelled: int, joins: Sequence[str] = (),
               keep_counts: bool = False) -> FeatureUnion:
    """The feature union for training documents `docs`, the first `n_labelled` of them the
    labelled papers and the rest the background.

    A term counts when at least `min_df` papers have it (2, or 1 for a handful of papers:
    a term of one paper alone can only memorise it) and at most 5 % of the background (the
    words of every other abstract, "model", "results", "large language", say nothing), the
    limits for 200 papers or more. Stop words are left out at any size (they carry no
    topic). The author and category views are left out when no labelled paper has any."""
    big = len(docs) >= 200
    limits = dict(n_labelled=n_labelled, min_df=2 if big else 1,
                  max_rate=0.05 if big else 1.0, keep_counts=keep_counts)
    views = [("words", Terms(partial(ngrams, Text("full", joins), stop=True),
                             length=LENGTH["words"], **limits)),
             ("title", Terms(partial(ngrams, Text("title", joins), stop=True),
                             length=LENGTH["title"], **limits))]
    labelled = docs[:n_labelled]
    if any(author_tokens(d) for d in labelled):
        views.append(("authors", Terms(author_tokens, sublinear=False, **{**limits,
                                                                         "min_df": 1})))
    if any(category_tokens(d) for d in labelled):
        views.append(("categories", Terms(category_tokens, sublinear=False,
                                          **{**limits, "min_df": 1, "max_rate": 1.0})))
    return FeatureUnion(views, transformer_weights={k: WEIGHTS[k] for k, _ in views})


def _stacked(union: FeatureUnion, docs: list, keys: Optional[list], fit: bool) -> sp.csr_matrix:
    """The weighted rows of every view of `union` side by side, as the union would give them,
    the content keys computed once for all views instead of once per view."""
    keys = [content_key(d) for d in docs] if keys is None else keys
    weights = union.transformer_weights or {}
    parts = [weights.get(name, 1.0) * (view.fit_transform(docs, keys=keys) if fit else
                                       view.transform(docs, keys=keys))
             for name, view in union.transformer_list]
    return sp.hstack(parts, format="csr", dtype=np.float64)


def fit_union(union: FeatureUnion, docs: list, keys: Optional[list] = None) -> sp.csr_matrix:
    """Fit `union` on `docs` and return their rows."""
    return _stacked(union, docs, keys, fit=True)


def transform(union: FeatureUnion, docs: list, keys: Optional[list] = None) -> sp.csr_matrix:
    """The rows of `docs` in a fitted `union` (as `union.transform`)."""
    return _stacked(union, docs, keys, fit=False)


def carry_counts(counts: Optional[dict], union: FeatureUnion) -> None:
    """Let the views of the unfitted `union` start from `counts` (view name -> `Counts`): the
    counts a previous day's model kept of its training papers (`view_counts`), or a replay's
    counts of a whole quarter (`count_papers`)."""
    for name, view in union.transformer_list:
        if counts and counts.get(name) is not None:
            view.counts_ = counts[name]


def view_counts(union: FeatureUnion) -> Optional[dict]:
    """The counts the views of a fitted `union` kept (view name -> `Counts`), or None."""
    out = {name: getattr(view, "counts_", None) for name, view in union.transformer_list}
    return out if any(c is not None for c in out.values()) else None


def count_papers(papers: list, joins: Sequence[str] = ()) -> dict:
    """The hashed counts of `papers` for every view of a union fitted on 200 or more papers
    (the same analysers), by content key: a replay counts its quarter once."""
    union = make_union(papers, len(papers), joins, keep_counts=True)
    keys = [content_key(d) for d in papers]
    out = {}
    for name, view in union.transformer_list:
        H = sp.csr_matrix(view._counts(papers))
        out[name] = Counts(keys, H, view.analyser())
    return out


def learn_names(union: FeatureUnion, papers) -> None:
    """Let the views of a fitted `union` name their columns after the tokens of `papers`
    (the positives: what a why can cite)."""
    for _, view in union.transformer_list:
        view.learn_names(papers)


def readable(name: str) -> str:
    """A feature name of the union as a person reads it: 'words__on-policy distillation' ->
    'on-policy distillation'; authors and categories keep their 'author: ' prefix."""
    view, _, term = name.partition("__")
    return term
