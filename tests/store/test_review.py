"""The review file keeps the maintainer's comments and edits across runs."""
from store.paper import Paper
from store.candidate import Candidate
from store.review import read_review
from store.files import atomic_write


def cand(i: int) -> Candidate:
    p = Paper(id=f"2601.{i:05d}", title=f"Paper {i}: [a] *b*", abstract="An abstract.",
              authors=["A One", "B Two"], date="2026-01-13")
    return Candidate.of(p, score=0.91234, section="Teacher–Student–Based OPD",
                     venue="Arxiv2026", why=["on-policy distillation", "student"],
                     announced="2026-01-13")


def test_append_writes_the_fixed_shape_and_keeps_comments_and_edits(tmp_path):
    path = tmp_path / "review" / "candidates.yaml"
    review = read_review(path)
    review.append([cand(1)])
    atomic_write(path, review.dump())
    text = path.read_text(encoding="utf-8")
    assert '  - id: "2601.00001"\n' in text and 'authors: ["A One", "B Two"]' in text
    assert "score: 0.912\n" in text and 'decision: ""' in text
    # the maintainer edits: a comment, a decision, a venue, authors as a string
    text = text.replace('decision: ""', 'decision: approve   # great paper') \
               .replace('venue: "Arxiv2026"', "venue: ICLR2026") \
               .replace('authors: ["A One", "B Two"]', 'authors: "The Team"')
    path.write_text("# my notes\n" + text, encoding="utf-8")
    review = read_review(path)
    review.append([cand(2)])
    atomic_write(path, review.dump())
    again = read_review(path)
    assert [c.paper.id for c in again.candidates] == ["2601.00001", "2601.00002"]
    first = again.candidates[0]
    assert (first.decision, first.venue, first.authors_text) == ("approve", "ICLR2026", "The Team")
    assert first.paper.title == "Paper 1: [a] *b*"
    out = path.read_text(encoding="utf-8")
    assert "# my notes" in out and "# great paper" in out


def test_unquoted_ids_keep_their_digits(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("candidates:\n  - id: 2601.10000\n    title: T\n    decision: reject\n")
    assert read_review(path).candidates[0].paper.id == "2601.10000"


def test_a_name_or_a_term_is_never_split_over_two_lines(tmp_path):
    """Long author lists and abstracts stay one line per field: no line break inside a
    quoted name ("Zhun\\n Zhong"), awkward to edit."""
    p = Paper(id="2601.00009", title="T " * 60, abstract="word " * 300,
              authors=[f"Author Number{i} Zhun Zhong" for i in range(30)], date="2026-01-13")
    path = tmp_path / "c.yaml"
    review = read_review(path)
    review.append([Candidate.of(p, score=0.5, section="S", why=["a long term"] * 20)])
    atomic_write(path, review.dump())
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = [ln.strip().split(":")[0] for ln in lines if not ln.startswith("#")]
    assert fields == ["candidates", "- id", "title", "authors", "link", "announced", "score",
                      "section", "venue", "why", "abstract", "decision"]
    assert read_review(path).candidates[0].authors == p.authors
