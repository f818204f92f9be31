"""A new entry's title and author line as the maintainer types them (store/entry_text.py)."""
from store.entry_text import plain_title, short_authors


def test_plain_titles_for_simple_latex_and_as_is_otherwise():
    # real titles of ../shared/arxiv (window B)
    assert plain_title("$\\mathcal{X}$-KD: General Experiential Knowledge Distillation for "
                       "Large Language Models").startswith("X-KD: General")
    assert plain_title("R$^3$L: Reflect-then-Retry Reinforcement Learning") == \
        "R³L: Reflect-then-Retry Reinforcement Learning"
    assert plain_title("Sparse Probabilistic Coalition Structure Generation: Bayesian Greedy "
                       "Pursuit and $\\ell_1$ Relaxations").endswith("and ℓ₁ Relaxations")
    assert plain_title("Learning Multinomial Logits in $O(n \\log n)$ time") == \
        "Learning Multinomial Logits in O(n log n) time"
    assert plain_title("Prediction of Fault Slip Tendency in CO${_2}$ Storage") == \
        "Prediction of Fault Slip Tendency in CO₂ Storage"
    assert plain_title("$\\texttt{AMEND++}$: Benchmarking") == "AMEND++: Benchmarking"
    # not simple: left for the maintainer, unchanged
    for title in ("Rate or Fate? RLV$^\\varepsilon$R: Reinforcement Learning",
                  "A $\\frac{1}{2}$-approximation", "On-Policy Distillation"):
        assert plain_title(title) == title


def test_a_long_author_list_becomes_the_first_authors_et_al_and_a_short_one_stays():
    many = [f"Author {i}" for i in range(12)]
    assert short_authors(many, max_authors=10, first=3) == "Author 0, Author 1, Author 2 et al"
    assert short_authors(many[:10], max_authors=10, first=3) is None
    # arXiv's stray ":" "authors" do not count, and 0 keeps every list as it is
    assert short_authors(many[:10] + [":"], max_authors=10, first=3) is None
    assert short_authors(many, max_authors=0, first=3) is None
