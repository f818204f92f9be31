"""What the model reads of a paper: four TF-IDF views joined in one `FeatureUnion`.

- ``words``: word 1–2-grams of title + abstract. Hyphenated compounds stay whole
  ("on-policy", "self-distillation", "student-generated"), and "on policy" / "self distillation"
  written with a space are joined to the same token, since the list's signal lives in them.
- ``title``: the same analysis of the title alone (a title names the method; an abstract
  dilutes it).
- ``authors``: one token per author ("author: Li Dong"): the list's authors publish again.
- ``categories``: one token per arXiv category ("category: cs.CL").

Every vectorizer takes the raw paper (anything with ``title``, ``abstract``, ``authors``,
``categories``) so the Pipeline's input is simply a list of papers. All callables are module
level so the fitted Pipeline pickles.
"""
from __future__ import annotations

import re

import numpy as np

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

TOKEN = r"(?u)\b\w[\w-]*\w\b"
_JOIN = re.compile(r"\b(on|off|self)[\s-]+(policy|distill\w*|generated|training|play|supervised)\b")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = _JOIN.sub(r"\1-\2", text.lower())
    return text.replace("$", " ")


def full_text(p) -> str:
    """Title and abstract (title only where there is no abstract), normalised."""
    abstract = getattr(p, "abstract", "") or ""
    return normalise(f"{p.title}. {abstract}" if abstract else p.title)


def title_text(p) -> str:
    return normalise(p.title)


def author_tokens(p) -> list[str]:
    out = []
    for a in getattr(p, "authors", None) or []:
        name = _SPACES.sub(" ", a).strip()
        if name and any(c.isalpha() for c in name):
            out.append("author: " + name)
    return out


def category_tokens(p) -> list[str]:
    return ["category: " + c for c in (getattr(p, "categories", None) or [])]


#: relative weights of the views (a view's rows are L2-normalised, then scaled)
WEIGHTS = {"words": 1.0, "title": 0.4, "authors": 0.2, "categories": 0.1}


def make_union(docs: list, n_positive: int = 0) -> FeatureUnion:
    """The feature union for training documents `docs`, of which `n_positive` are positives.

    Rare terms (fewer than `min_df` papers) are noise, and so are the words of every other
    abstract ("model", "results", even "large language"): a term counts only when at most 5 %
    of the background uses it, on top of the positives themselves (so a small day's pool,
    where the positives are a large share, keeps their vocabulary). `min_df` grows with the
    corpus: 5 papers for a quarter of listings, 2 for a day, 1 for a handful. The author and
    category views are left out when no paper has any (no empty vocabulary)."""
    n = len(docs)
    min_df = 5 if n >= 5000 else 2 if n >= 200 else 1
    max_df = int(0.05 * (n - n_positive)) + n_positive if n >= 200 else 1.0
    words = dict(ngram_range=(1, 2), min_df=min_df, max_df=max_df,
                 sublinear_tf=True, stop_words="english" if n >= 200 else None,
                 token_pattern=TOKEN, lowercase=False, dtype=np.float32)
    views = [
        ("words", TfidfVectorizer(preprocessor=full_text, **words)),
        ("title", TfidfVectorizer(preprocessor=title_text, **words)),
    ]
    if any(author_tokens(d) for d in docs):
        views.append(("authors", TfidfVectorizer(analyzer=author_tokens, dtype=np.float32)))
    if any(category_tokens(d) for d in docs):
        views.append(("categories", TfidfVectorizer(analyzer=category_tokens, dtype=np.float32)))
    return FeatureUnion(views, transformer_weights={k: WEIGHTS[k] for k, _ in views})


def readable(name: str) -> str:
    """A feature name of the union as a person reads it: 'words__on-policy distillation' ->
    'on-policy distillation'; authors and categories keep their 'author: ' prefix."""
    view, _, term = name.partition("__")
    return term
