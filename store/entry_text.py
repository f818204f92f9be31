"""The title and author line of a new entry as the maintainer types them into README.md.

arXiv titles carry LaTeX (`$\\mathcal{X}$-KD`, `R$^3$L`) and some papers have a hundred
authors; the list has plain-text titles and, for a long author list, "First, Second, Third
et al". Pure functions of text: the daily job uses them to pre-fill a review-file candidate,
which the maintainer may still edit.
"""
from __future__ import annotations

import re

_GREEK = {name: chr(code) for name, code in (
    ("alpha", 0x3b1), ("beta", 0x3b2), ("gamma", 0x3b3), ("delta", 0x3b4), ("epsilon", 0x3b5),
    ("varepsilon", 0x3b5), ("zeta", 0x3b6), ("eta", 0x3b7), ("theta", 0x3b8), ("iota", 0x3b9),
    ("kappa", 0x3ba), ("lambda", 0x3bb), ("mu", 0x3bc), ("nu", 0x3bd), ("xi", 0x3be),
    ("pi", 0x3c0), ("rho", 0x3c1), ("sigma", 0x3c3), ("tau", 0x3c4), ("phi", 0x3c6),
    ("varphi", 0x3c6), ("chi", 0x3c7), ("psi", 0x3c8), ("omega", 0x3c9), ("Gamma", 0x393),
    ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39b), ("Pi", 0x3a0), ("Sigma", 0x3a3),
    ("Phi", 0x3a6), ("Psi", 0x3a8), ("Omega", 0x3a9))}
_SYMBOLS = {**_GREEK, "ell": "ℓ", "infty": "∞", "times": "×", "cdot": "·", "pm": "±",
            "star": "⋆", "ast": "*", "to": "→", "rightarrow": "→", "leq": "≤", "geq": "≥",
            "log": "log", "sim": "~", "approx": "≈", "%": "%", "&": "&", "_": "_", "#": "#"}
_FONT = re.compile(r"\\(?:math(?:cal|bf|rm|sf|it|bb|tt|frak)|text(?:bf|it|tt|rm|sf|sc)?|"
                   r"emph|operatorname|boldsymbol)\s*\{([^{}\\]*)\}")
_SUP = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def _plain_math(tex: str) -> str | None:
    """Plain text of a simple math snippet (`\\mathcal{X}`, `^3`, `\\ell_1`), None if not simple."""
    t = tex
    while _FONT.search(t):
        t = _FONT.sub(r"\1", t)
    t = re.sub(r"\\([A-Za-z]+|[%&_#])", lambda m: _SYMBOLS.get(m.group(1), m.group(0)), t)
    t = re.sub(r"(?<![\^_])\{([^{}\\]*)\}", r"\1", t)      # {_2} -> _2, {X} -> X
    def script(m, table):
        body = m.group(1) if m.group(1) is not None else m.group(2)
        out = body.translate(table)
        if body and all(o != b for o, b in zip(out, body)):
            return out                    # every character has a super/subscript form
        return body if body in ("⋆", "*") else m.group(0)     # T$^\star$ -> T⋆
    for mark, table in (("^", _SUP), ("_", _SUB)):
        t = re.sub(re.escape(mark) + r"(?:\{([^{}]*)\}|(.))", lambda m: script(m, table), t)
    if any(c in t for c in "\\^_{}$"):
        return None
    return t


def plain_title(title: str) -> str:
    """A title with simple LaTeX as plain text (`$\\mathcal{X}$-KD` -> `X-KD`, `R$^3$L` ->
    `R³L`); a title with LaTeX this cannot render is returned as it is."""
    if "$" not in title and "\\" not in title:
        return title
    parts = title.split("$")
    if len(parts) % 2 == 0:          # an unmatched $: not simple
        return title
    out = []
    for i, part in enumerate(parts):
        text = _plain_math(part) if i % 2 else _plain_math(part) if "\\" in part else part
        if text is None:
            return title
        out.append(text)
    return " ".join("".join(out).split())


def short_authors(authors: list[str], max_authors: int, first: int) -> str | None:
    """The author line a maintainer writes for a long list: the first `first` authors and
    "et al" when there are more than `max_authors`; None when the list is short enough. No
    full stop after "al": the entry's own one follows (``*A, B, C et al*.``)."""
    names = [a for a in authors if any(c.isalnum() for c in a)]   # arXiv has ':' "authors"
    if max_authors <= 0 or len(names) <= max_authors:
        return None
    return ", ".join(names[:max(1, first)]) + " et al"
