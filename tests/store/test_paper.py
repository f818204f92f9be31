"""Identity of papers: every shape of arXiv link maps to one key; titles compare normalised."""
import pytest

from store.errors import BadInput
from store.paper import Paper, arxiv_id, id_month, normalise_title


@pytest.mark.parametrize("text", [
    "2601.18734", "2601.18734v2", "arXiv:2601.18734v3", "oai:arXiv.org:2601.18734v1",
    "https://arxiv.org/abs/2601.18734", "http://arxiv.org/abs/2601.18734v2",
    "https://arxiv.org/pdf/2601.18734", "https://arxiv.org/pdf/2601.18734v2",
    "https://arxiv.org/pdf/2601.18734.pdf", "https://arxiv.org/pdf/2601.18734v2.pdf",
    "https://arxiv.org/html/2601.18734v1", "https://export.arxiv.org/abs/2601.18734",
    "https://www.arxiv.org/abs/2601.18734/",
])
def test_every_shape_of_arxiv_link_maps_to_the_id(text):
    assert arxiv_id(text) == "2601.18734"


def test_old_style_and_non_arxiv_ids():
    assert arxiv_id("hep-th/9901001v2") == "hep-th/9901001"
    assert arxiv_id("https://arxiv.org/abs/math.CO/0112567") == "math.CO/0112567"
    assert arxiv_id("https://thinkingmachines.ai/blog/on-policy-distillation/") is None
    assert arxiv_id("abc") is None
    assert id_month("2306.08543") == "2023.06" and id_month("hep-th/9901001") == "1999.01"


def test_titles_compare_after_normalisation():
    assert normalise_title("On-Policy  Distillation of \\textbf{LLMs}!") == \
        normalise_title("on policy distillation of LLMs")
    assert normalise_title("Réseaux") == normalise_title("Reseaux")


def test_paper_records_name_the_faulty_field():
    with pytest.raises(BadInput) as e:
        Paper.from_dict({"id": "2601.00001", "title": ""}, file="x.jsonl", line=3)
    assert str(e.value) == "x.jsonl:3: title: missing or empty"
    p = Paper.from_dict({"id": "arXiv:2601.00001v2", "title": " A \n title ",
                         "abstract": "line\\\\ break", "authors": "A, B"})
    assert (p.id, p.title, p.abstract, p.authors) == ("2601.00001", "A title", "line break",
                                                      ["A", "B"])


def test_arxiv_comment_and_journal_ref_round_trip_and_stay_out_of_files_without_them():
    rec = {"id": "2602.18043", "title": "A", "authors": ["X"],
           "comment": "Accepted to   TPAMI 2026",
           "journal_ref": "IEEE Transactions on Pattern Analysis and Machine Intelligence, 2026"}
    p = Paper.from_dict(rec)
    assert p.comment == "Accepted to TPAMI 2026"          # the API's line wraps collapsed
    assert p.journal_ref.startswith("IEEE Transactions on Pattern Analysis")
    assert Paper.from_dict(p.to_dict()) == p
    bare = Paper.from_dict({"id": "2601.00001", "title": "A", "authors": ["X"]})
    assert (bare.comment, bare.journal_ref) == ("", "")
    assert "comment" not in bare.to_dict() and "journal_ref" not in bare.to_dict()


@pytest.mark.parametrize("field", ["comment", "journal_ref"])
def test_a_comment_that_is_not_a_string_names_file_line_and_field(field):
    with pytest.raises(BadInput) as e:
        Paper.from_dict({"id": "2601.00001", "title": "A", field: ["Accepted"]},
                        file="pool.jsonl", line=7)
    assert str(e.value) == f"pool.jsonl:7: {field}: must be a string"
