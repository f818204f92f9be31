"""The venue a paper's own words claim, as the list's badge: arXiv's author comment and journal
reference read for an acceptance of *this* paper.

    suggest_venue("Accepted to ICLR 2026", listed="2026-02-02")
    -> Venue(badge="ICLR2026", accepted=True, words="Accepted to ICLR 2026")
    suggest_venue("Under review at ICLR 2026", listed="2025-10-03")
    -> Venue(badge="Arxiv2025", accepted=False, words="")

The badge convention is ../shared/arxiv/COMMENTS.md's: `<Venue><Year>` (`ICML2026`,
`TPAMI2026`), `<Venue>Findings<Year>`, `<Host><Year>Workshop`; tracks, orals and spotlights
keep the plain badge; `Arxiv<year>` (the listing year, else the arXiv id's) whenever the words
do not say that this paper was accepted. A wrong badge is worse than none, so when unsure the
rules claim nothing.

How the words are read, clause by clause (sentences, `;`, `|`):
1. Venue mentions: the table `VENUES` (name patterns -> short name, when an edition's
   decisions are out), and any other acronym written with its year ("SMASH 2025", "IJCB'25").
   A mention's year is the one written beside it, or after it in its clause ("(ICLR), 2026",
   "TMLR, 07/2025"), or before it ("the 2025 Conference on Empirical Methods ..."), or its
   ordinal ("The Fourteenth International Conference on Learning Representations").
2. Each mention takes its status from the nearest cue before it in its clause, else the first
   one after it: `ACCEPTED` words (accepted, to appear, published, presented, camera-ready,
   ...) claim, and so do `SHOWN` words (proceedings, oral, spotlight, main track, ...) unless
   a `NOT_YET` word came first ("submitted to the proceedings of"); `NOT_YET` words
   (submitted, under review, committed, rejected, ...) and `TEMPLATE` words (NeurIPS style)
   do not. `ANOTHER_PAPER` words before it ("an earlier version appeared at", "journal version
   of") and `NOT_A_PAPER` words in its clause (a challenge report, a tutorial, a thesis) never
   claim. `EXTENSION` words before it ("extended/full version of the AAAI 2026 paper") claim
   only while the venue's decisions are recent (`RECENT`: the arXiv version of a paper
   accepted now; an extension of an earlier paper is another paper).
3. A mention with no cue at all (a bare "NeurIPS 2025", "IJCV 2026") claims when the paper
   was listed after that edition's decisions (`VENUES`' approximate dates; a journal's year
   has begun) and nothing in the comment speaks against it. Acronyms outside the table claim
   only with an explicit cue, and "accepted" months before a venue decides (`EARLY`) is taken
   for a slip. A withdrawn or retracted paper claims nothing.
4. The first claiming mention wins; a journal reference (a publication) is read before the
   comment. Findings (`Findings of EMNLP 2025`, `EACL 2026 Findings`) and workshops
   (`workshop` near the mention, `X@EMNLP 2025`, `CVPRW`, "co-located with ECML 2024") shape
   the badge. A venue without a year takes the edition decided last before the listing day
   (a journal: the listing year).

Pure: no I/O. `suggest_venue` is the only entry point.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional, Union


@dataclass(frozen=True)
class Venue:
    """A suggested badge: `accepted` when the words claim an acceptance of this paper, and
    `words`, the clause they said it in ("" when they claim nothing)."""
    badge: str
    accepted: bool
    words: str = ""


# ---- the table of venues -----------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    short: str                       # the badge's venue name
    names: str                       # regular expression of its acronyms and long names
    decided: Optional[str] = None    # "MM-DD": an edition's decisions are out (approximate)
    prior_year: bool = False         # ... in the year before the edition (AAAI 2026: Nov 2025)
    workshops: Optional[str] = None  # "MM-DD" of its workshops' decisions (default: a month on)
    base: Optional[int] = None       # the n-th edition is in year base + n ("Fortieth AAAI")
    journal: bool = False            # no decision date: accepted any time, listing year

    def decision(self, year: int, workshop: bool = False) -> Optional[date]:
        """When the decisions of edition `year` (of its workshops) were out, roughly."""
        if not self.decided:
            return None
        if workshop and self.workshops:
            month, day = map(int, self.workshops.split("-"))
        else:
            month, day = map(int, self.decided.split("-"))
        out = date(year - self.prior_year, month, day)
        return out + timedelta(days=30) if workshop and not self.workshops else out


def _j(short: str, names: str) -> Row:
    return Row(short, names, journal=True)


# Decision dates: when the editions of 2024-2026 decided (official dates where known, else the
# first acceptances in arXiv comments of windows A and B), the later one where the years differ
# (NeurIPS Sep 18-25, EMNLP Aug 20-Sep 20, CVPR Feb 20-26): a bare venue listed a little after
# its decisions is only missed, never claimed before them.
VENUES: tuple[Row, ...] = (
    # --- machine learning
    Row("NeurIPS", r"(?i:NeurIPS|NIPS|NeuIPS|NuerIPS)|(?:Advances in )?Neural Information "
        r"Processing Systems", "09-25", workshops="09-29", base=1986),
    Row("ICML", r"ICML|International Conference on Machine Learning"
        r"(?! and| for| in| &| Technolog| Applications| Optimi)", "05-01", workshops="06-09",
        base=1983),
    Row("ICLR", r"ICLR|International Conference on Learning Representations", "01-25",
        workshops="03-01", base=2012),
    Row("AISTATS", r"AISTATS|Artificial Intelligence and Statistics", "01-22", base=1997),
    Row("UAI", r"UAI|Uncertainty in Artificial Intelligence", "05-06", base=1984),
    Row("COLT", r"COLT|Conference on Learning Theory", "05-01", base=1987),
    Row("COLM", r"COLM|Conference on Language Modeling", "07-08"),
    Row("MLSys", r"MLSys|Conference on Machine Learning and Systems", "01-27"),
    Row("EurIPS", r"EurIPS", "09-25", workshops="10-24"),
    Row("ECMLPKDD", r"ECML[ -]?PKDD|ECML|European Conference on Machine Learning", "06-01"),
    Row("IJCNN", r"IJCNN|International Joint Conference on Neural Networks", "03-20"),
    # --- artificial intelligence
    Row("AAAI", r"AAAI Conference on Artificial Intelligence|"
        r"AAAI(?!/ACM| Symposi| Fall| Spring| Summer| Press)", "11-05", prior_year=True,
        workshops="11-25", base=1986),
    Row("IJCAI", r"IJCAI|International Joint Conference on Artificial Intelligence", "04-28",
        base=1991),
    Row("ECAI", r"ECAI|European Conference on Artificial Intelligence", "07-10", base=1997),
    Row("AAMAS", r"AAMAS|Autonomous Agents and Multi-?[Aa]gent Systems", "12-20",
        prior_year=True, base=2001),
    # --- language
    Row("ACL", r"ACL(?![-/]?IJCNLP| ?ARR| Rolling)|Annual Meeting of the Association for "
        r"Computational Linguistics|(?<!Chapter of the )(?<!Findings of the )(?<!Findings of )"
        r"(?<!Transactions of the )Association for Computational Linguistics(?!:)",
        "05-15", workshops="06-01", base=1962),
    Row("EMNLP", r"EMNLP|Empirical Methods in Natural Language Processing", "09-20",
        workshops="10-05", base=1995),
    Row("NAACL", r"NAACL|North American Chapter of the Association for Computational "
        r"Linguistics|Nations of the Americas Chapter of the Association for Computational "
        r"Linguistics", "01-22"),
    Row("EACL", r"EACL|European Chapter of the Association for Computational Linguistics",
        "01-05", workshops="02-01", base=2007),
    Row("AACL", r"IJCNLP[- ]AACL|AACL(?:[- ]IJCNLP)?|Asia-Pacific Chapter of the Association "
        r"for Computational Linguistics", "10-25"),
    Row("COLING", r"COLING|International Conference on Computational Linguistics", "12-01",
        prior_year=True, base=1994),
    Row("LREC", r"LREC|Language Resources and Evaluation Conference|International Conference "
        r"on Language Resources and Evaluation", "02-14"),
    # --- vision, multimedia, medical imaging
    Row("CVPR", r"CVPRW?|Computer Vision and Pattern Recognition", "02-26", workshops="04-01"),
    Row("ICCV", r"ICCVW?|International Conference on Computer Vision(?! Theory| Systems| and)",
        "06-25", workshops="07-20"),
    Row("ECCV", r"ECCVW?|European Conference on Computer Vision", "07-01", workshops="08-01"),
    Row("WACV", r"WACVW?|Winter Conference on Applications of Computer Vision", "10-01",
        prior_year=True, workshops="12-01"),
    Row("BMVC", r"BMVC|British Machine Vision Conference", "07-25"),
    Row("3DV", r"3DV|International Conference on 3D Vision", "11-08", prior_year=True),
    Row("ACMMM", r"ACM ?MM(?! ?Asia)|MM(?= ?['’]?\d\d)|ACM Multimedia(?! ?Asia)|"
        r"ACM International Conference on Multimedia(?! ?Asia| Retrieval| in Asia)", "07-05",
        base=1992),
    Row("MMAsia", r"MMAsia|ACM (?:MM|Multimedia) ?Asia"),
    Row("SIGGRAPHAsia", r"(?i:SIGGRAPH ?Asia)", "08-10"),
    Row("SIGGRAPH", r"SIGGRAPH(?! ?(?i:Asia)| European| Conference on)", "03-25"),
    Row("ICME", r"ICME|International Conference on Multimedia and Expo", "03-16"),
    Row("MICCAI", r"MICCAI|Medical Image Computing and Computer[- ]Assisted Intervention",
        "06-17", base=1997),
    Row("ISBI", r"ISBI|International Symposium on Biomedical Imaging", "01-12", base=2003),
    # --- data mining, the web, retrieval, recommendation
    Row("KDD", r"(?:SIG)?KDD(?! ?Cup)|(?<!Pacific-Asia Conference on )Knowledge Discovery "
        r"and Data Mining", "11-20",
        prior_year=True, base=1994),
    Row("WWW", r"WWW|(?i:the ?web ?conf(?:erence)?)|(?:ACM )?Web Conference|"
        r"World Wide Web Conference", "01-14"),
    Row("SIGIR", r"SIGIR(?![- ]?AP| Forum| Conference on Human)|Research and Development in "
        r"Information Retrieval", "04-03", base=1977),
    Row("CIKM", r"CIKM|Information and Knowledge Management", "08-05", base=1991),
    Row("WSDM", r"WSDM|Web Search and Data Mining", "10-28", prior_year=True),
    Row("RecSys", r"RecSys|ACM Conference on Recommender Systems", "07-08"),
    Row("ICDM", r"ICDM|IEEE International Conference on Data Mining", "08-25"),
    Row("ECIR", r"ECIR|European Conference on Information Retrieval", "12-15",
        prior_year=True),
    # --- speech
    Row("ICASSP", r"ICASSP|Acoustics,? Speech,? and Signal Processing", "01-17"),
    Row("Interspeech", r"(?i:Interspeech)", "05-19"),
    # --- robotics, human-computer interaction
    Row("ICRA", r"ICRA|International Conference on Robotics (?:and|&) Automation", "01-31"),
    Row("IROS", r"IROS|Intelligent Robots and Systems", "06-15"),
    Row("CoRL", r"CoRL|Conference on Robot Learning", "08-01"),
    Row("RSS", r"RSS(?= ?'?\d)|Robotics: Science and Systems", "05-01"),
    Row("CHI", r"CHI(?: EA)?|Human Factors in Computing Systems", "01-17", workshops="02-20"),
    # --- journals
    _j("TPAMI", r"T-?PAMI|IEEE PAMI|Transactions on Pattern Analysis and Machine Intelligence"),
    _j("TMLR", r"TMLR|Transactions on Machine Learning Research"),
    _j("JMLR", r"JMLR|Journal of Machine Learning Research"),
    _j("TACL", r"TACL|Transactions of the Association for Computational Linguistics"),
    _j("IJCV", r"IJCV|International Journal of Computer Vision"),
    _j("TNNLS", r"TNNLS|Transactions on Neural Networks and Learning Systems"),
    _j("TKDE", r"TKDE|Transactions on Knowledge and Data Engineering"),
    _j("TIP", r"TIP|Transactions on Image Processing"),
    _j("TMM", r"T-?MM|Transactions on Multimedia"),
    _j("TCSVT", r"T-?CSVT|Transactions on Circuits and Systems for Video Technology"),
    _j("TASLP", r"TASLP|Transactions on Audio,? Speech,? and Language Processing"),
    _j("TMI", r"TMI|Transactions on Medical Imaging"),
    _j("MedIA", r"MedIA|Medical Image Analysis"),
    _j("RAL", r"RA-?L|Robotics and Automation Letters"),
    _j("TRO", r"T-?RO|Transactions on Robotics"),
    _j("IJRR", r"IJRR|International Journal of Robotics Research"),
    _j("IMWUT", r"IMWUT|Interactive, Mobile, Wearable and Ubiquitous Technologies"),
    _j("ToN", r"ToN|Transactions on Networking"),
    _j("TOIS", r"TOIS|Transactions on Information Systems"),
    _j("TIST", r"TIST|Transactions on Intelligent Systems and Technology"),
    _j("TKDD", r"TKDD|Transactions on Knowledge Discovery from Data"),
    _j("CSUR", r"CSUR|ACM Computing Surveys"),
    _j("JAIR", r"JAIR|Journal of Artificial Intelligence Research"),
    _j("TAI", r"IEEE TAI|Transactions on Artificial Intelligence"),
    _j("TIFS", r"TIFS|Transactions on Information Forensics and Security"),
    _j("TCYB", r"TCYB|Transactions on Cybernetics"),
    _j("EAAI", r"EAAI|Engineering Applications of Artificial Intelligence"),
    _j("ESWA", r"ESWA|Expert Systems with Applications"),
    _j("KBS", r"Knowledge-Based Systems"),
    _j("Neurocomputing", r"Neurocomputing"),
    _j("InformationFusion", r"Information Fusion"),
    _j("NatureMachineIntelligence", r"Nature Machine Intelligence"),
    _j("NatureCommunications", r"Nature Communications"),
    _j("Nature", r"(?<!Springer )Nature(?!\s+[A-Za-z])"),
    _j("PNAS", r"PNAS|Proceedings of the National Academy of Sciences"),
)

# acronyms that are no word, read in any case too ("published at iclr 2026", "aaai2026")
ANY_CASE = {"NeurIPS", "ICML", "ICLR", "AISTATS", "EMNLP", "NAACL", "EACL", "AACL", "COLING",
            "LREC", "CVPR", "ICCV", "ECCV", "WACV", "AAAI", "IJCAI", "AAMAS", "ICASSP", "MICCAI",
            "KDD", "SIGIR", "CIKM", "WSDM", "ICRA", "IROS", "TPAMI", "TMLR", "JMLR", "TACL",
            "IJCV", "TNNLS", "TKDE"}
_EDGE = r"(?<![A-Za-z0-9])(?:{})(?![A-Za-z])"
_TABLE = [(row, re.compile(_EDGE.format(
    row.names + (f"|(?i:{row.short})(?<!{row.short})" if row.short in ANY_CASE else ""))))
    for row in VENUES]
# an acronym outside the table, written with its year ("SMASH 2025", "IJCB'25", "(ICSC 2026)")
_ACRONYM = re.compile(
    r"(?<![A-Za-z0-9\-])(?P<name>(?:[A-Z0-9][A-Za-z0-9]*[A-Z]|[A-Z][a-z]+[A-Z])"
    r"(?:[A-Za-z0-9]*[A-Za-z])?(?:-[A-Z](?:[A-Za-z0-9]*[A-Za-z])?)*)"
    r"(?:\)?,?\s?(?:(?:Conference|Congress|Symposium|Workshops?)\s)?[-'’‘]?\s?"
    r"(?P<y4>(?:19|20)\d\d)|"
    r"[-'’‘]?(?P<y2>[12]\d))(?!\d|\.\d)")
_NOT_A_VENUE = {"IEEE", "ACM", "ASME", "SPIE", "IAPR", "ISCA", "IFAC", "EAI", "LNCS", "LNAI",
                "CEUR", "PMLR", "CCIS", "SIAM", "IET", "COVID", "CVE", "GPT", "LLM", "LLMs",
                "NLP", "AI", "ML", "RL", "CV", "PhD", "MSc", "USA", "UK", "EU", "ISO",
                "ARR", "CC", "BY", "Copyright", "DOI", "MDPI", "IOS", "FAIA", "LNNS", "KES",
                "AIP", "ASCE", "IOP", "APS"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"}
_YEAR_NEXT = re.compile(r"\s?[-–'’‘`]?\s?((?:19|20)\d\d)(?!\d)|\s?['’‘`]\s?(\d\d)(?!\d)|"
                        r"-?(\d\d)(?!\d|\.\d)")

# ---- the cue words -----------------------------------------------------------------------
_ci = re.IGNORECASE
ACCEPTED = re.compile(
    r"\baccept(?:ed|s|ance)?\b(?! rate)|\bacc?e?pe?t+e?d\b|\bto appear\b|\bwill appear\b|"
    r"\bappear(?:s|ed|ing)? (?:in|at|on)\b|\bpublished\b|\bin press\b|\bpresented\b|"
    r"\bcamera[- ]?ready\b|\bbest (?:\w+ )?paper\b|\baward\b|\bversion of record\b|"
    r"\bselected (?:for|as)\b|\bforthcoming\b", _ci)
# words of a venue's programme: a claim unless a NOT_YET word came before ("submitted to the
# proceedings of")
SHOWN = re.compile(
    r"\bproceedings\b|\bproc\.|\bpublication\b|\bpresentation\b|\boral\b|\bspotlight\b|"
    r"\bposter\b|\bhighlight\b|\bmain (?:conference|track|paper)\b|\bcontributed talk\b|"
    r"\bvol\.\s?\d|\bpp\.\s?\d|\bin:\s", _ci)
NOT_YET = re.compile(
    r"\bsubmi(?:t|ts|tted|tting|ssion)\b|\bunder (?:\w+ )?review\b|\bin review\b|"
    r"\bunder (?:consideration|revision|submission)\b|\bfor possible publication\b|"
    r"\bfor review\b|\bcommit(?:ted|ment)?\b|\breject(?:ed|ion)?\b|\bwithdrawn?\b|"
    r"\bresubmi\w*|\brevision\b|\brevise\b|\bprepared for\b|\bintended for\b|"
    r"\btarget(?:ing|ed)?\b|\bconditional(?:ly)?(?: accept(?:ed|ance)?)?\b|\bsuggested\b|"
    r"\brecommended\b|"
    r"\bnot (?:yet )?(?:been )?(?:accepted|published|peer[- ]reviewed|part of)\b|\bpending\b|"
    r"\bplanned\b|\bARR\b|\brolling review\b|\bdeadline\b|\bcandidate\b|\bfor consideration\b",
    _ci)
TEMPLATE = re.compile(r"\bstyle\b|\btemplate\b|\bformat(?:ted)?\b|\blatex\b|\bclass file\b",
                      _ci)
ANOTHER_PAPER = re.compile(
    r"\b(?:earlier|previous|prior|preliminary|short(?:er|ened)?|abridged|condensed|initial|"
    r"original|conference|workshop|journal|a) versions?\b|\ba version of\b|"
    r"\b(?:version|parts?|portions?) of this (?:work|paper|article|manuscript|study) "
    r"(?:was|were|has|have|had|is|appear)|"
    r"\bjournal (?:extension|paper|article)\b|\bextended journal\b|\bbuilds? (?:up)?on\b|"
    r"\bbased on our\b|\bfollow[- ]up\b|\bcompanion (?:paper|work|article)\b|"
    r"\bour (?:previous|prior|earlier)\b|"
    r"\bsuperseded\b|\babstract of this\b|\b(?:revised and extended|extended and revised)\b|"
    r"\bpart(?:ial)?ly (?:presented|published|accepted|appeared)\b|"
    r"\bincludes? (?:work|results|papers?)\b", _ci)
EXTENSION = re.compile(
    r"\b(?:extended|expanded|full|fuller|long|longer|complete|arxiv) (?:and revised )?"
    r"version of\b|\bextension of\b|\bextends?\b|\bextending\b|\b(?:expanded|extended) from\b",
    _ci)
NOT_A_PAPER = re.compile(
    r"\bchall[ae]nge\b|\bcompetition\b|\bshared[- ]task\b|\btask \d|\bleaderboard\b|"
    r"\bhackathon\b|\bkaggle\b|\bwinn(?:er|ing)\b|\b(?:1st|2nd|3rd|first|second|third) place\b|"
    r"\bsolution (?:to|for|of)\b|\bcup\b|\btutorial\b|\bkeynote\b|\binvited talk\b|\bpanel\b|"
    r"\bthesis\b|\bdissertation\b",
    _ci)
WRITTEN = timedelta(days=2)    # a comment is written a day or two before its listing day
EARLY = timedelta(days=45)     # a track may decide before the main conference (IAAI: 3 weeks)
WITHDRAWN = re.compile(r"\bwithdrawn?\b|\bretract(?:ed|ion)\b", _ci)   # says nothing else
RECENT = timedelta(days=120)   # "extended version of the X paper": X, this long after X decided

_COLOCATED = re.compile(r"\bco-?located\b|\bin conjunction with\b", _ci)
_HOSTED = re.compile(r"(?:@\s*|\b(?:at|with|of|during)\s+)(?:the\s+)?$", _ci)
# "TSAR@EMNLP 2025", "BlackboxNLP @ EMNLP 2025": a workshop named before its host; not
# "Accepted @ CVPR 2026"
_AT_HOST = re.compile(r"(?<!accepted)(?<!published)(?<!presented)(?<!paper)(?<!appear)"
                      r"(?<!appears)(?<!oral)(?<!poster)(?<!spotlight)(?<!\s)\s*@\s*$", _ci)
_WORKSHOP = re.compile(r"\bworkshops?\b|\bSRW\b", _ci)
_FINDINGS_BEFORE = re.compile(r"\bfindings\s+(?:of\s+)?(?:the\s+)?(?:Association for "
                              r"Computational Linguistics\W*)?$", _ci)
_FINDINGS_AFTER = re.compile(r"^\W{0,3}(?:(?:19|20)\d\d\W{0,3})?findings\b", _ci)
_URL = re.compile(r"https?://\S+|www\.\S+|\S+\.(?:com|org|io|net)/\S*", _ci)
_ABBREVIATIONS = {"int", "intl", "conf", "proc", "trans", "symp", "eur", "phys", "j", "vol",
                  "no", "pp", "al", "mach", "intell", "comput", "ling", "assoc", "natl", "acad",
                  "sci", "lett", "rev", "res", "inf", "syst", "eng", "med", "appl", "adv",
                  "st", "dr", "prof", "vs", "fig", "eq", "sec", "etc", "inc", "ltd", "univ",
                  "dept", "eds", "ed", "cf", "approx", "e.g", "i.e", "ieee", "acm", "jan",
                  "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}

_UNITS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
          "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty")
_ORDINAL_BEFORE = re.compile(
    r"\b(?:(?P<num>\d{1,2})(?:st|nd|rd|th)|(?:(?P<tens>" + "|".join(_TENS) + r")[- ]?)?"
    r"(?P<unit>" + "|".join(_UNITS) + r")|(?P<round>twentieth|thirtieth|fortieth|fiftieth|"
    r"sixtieth))\s+(?:(?:Annual|International|Joint|Conference|on|of|the|ACM|IEEE|IEEE/CVF|"
    r"AAAI)\s+){0,4}$", _ci)
_YEAR_BEFORE = re.compile(r"\b((?:19|20)\d\d)\s+(?:[A-Za-z/&.]+\s+){0,3}$")
_YEAR_AFTER = re.compile(r"(?<!\d)(?<!\d\.)((?:19|20)\d\d)(?!\d|\.\d)")


# ---- reading -----------------------------------------------------------------------------
@dataclass
class _Mention:
    start: int
    end: int
    row: Optional[Row]          # None: an acronym outside the table
    name: str
    year: Optional[int]
    workshop_suffix: bool = False   # CVPRW, ICCVW, "INFOCOM Workshops 2026"


def suggest_venue(comment: str, journal_ref: str = "",
                  listed: Union[date, str, None] = None, arxiv_id: str = "") -> Venue:
    """The badge arXiv's words claim for this paper, else `Arxiv<year>` (the year of `listed`,
    the listing day, else of the arXiv id). `listed` also decides whether a bare venue
    ("NeurIPS 2025") was already decided; without it the id's month stands in."""
    day = _as_date(listed) or _id_date(arxiv_id)
    default = Venue(f"Arxiv{day.year if day else ''}", False, "")
    for text, published in ((journal_ref, True), (comment, False)):
        found = _read(text or "", day, published)
        if found:
            return found
    return default


def _read(text: str, day: Optional[date], published: bool) -> Optional[Venue]:
    text = " ".join(_URL.sub(" ", text).split())
    if not text or WITHDRAWN.search(text):
        return None
    doubtful = any(p.search(text) for p in (NOT_YET, TEMPLATE, ANOTHER_PAPER, EXTENSION,
                                            NOT_A_PAPER))
    for clause in _clauses(text):
        mentions = _mentions(clause, day)
        for i, m in enumerate(mentions):
            before = clause[mentions[i - 1].end if i else 0:m.start]
            after = clause[m.end:mentions[i + 1].start if i + 1 < len(mentions) else None]
            table = [n.start for n in mentions[i + 1:] if n.row is not None]
            named = clause[m.end:table[0] if table else None]   # "NeurIPS 2025 X 2025 Workshop"
            badge = _claim(m, before, after, named, clause, day, published, doubtful)
            if badge and m.row is None and badge.endswith("Workshop"):
                # an acronym outside the table hosts the workshop ("AI4RWC@WI-IAT 2025",
                # "IEEE VR 2026: GenAI-XR workshop") unless it comes after the word workshop
                # and names it: then the host is named later ("... with ECML 2024") or not at
                # all ("Workshop on Engineering Applications 2025 (WEA 2025)": no badge)
                named_after = _WORKSHOP.search(before) and not _HOSTED.search(before)
                badge = _host(mentions[i + 1:], clause) or (None if named_after else badge)
            elif badge and m.row is None and _COLOCATED.search(clause):
                badge = _host(mentions[i + 1:], clause) or badge
            if badge:
                return Venue(badge, True, clause.strip(" .,;:"))
    return None


def _host(later: list[_Mention], clause: str) -> Optional[str]:
    """The badge of a workshop named by an acronym of its own ("NFMCP 2024 workshop"): its
    host's, when the clause names one after it ("held in conjunction with ECML 2024")."""
    for m in later:       # "... with ECML 2024", "AGENT 2026 (ICSE 2026 workshop)"
        if m.year and (_HOSTED.search(clause[:m.start])
                       or re.match(r"\W*workshops?\b", clause[m.end:], re.I)):
            return f"{m.name}{m.year}Workshop"
    return None


def _clauses(text: str) -> list[str]:
    """Sentences and `;`/`|` parts; a period after an abbreviation ("Int. Conf.") goes on."""
    out, start = [], 0
    for m in re.finditer(r"[;|]|\.\s+(?=[A-Z0-9(\"'])", text):
        if m.group(0).startswith("."):
            word = re.search(r"([A-Za-z.]+)$", text[start:m.start()])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        out.append(text[start:m.start()])
        start = m.end()
    out.append(text[start:])
    return [c for c in out if c.strip()]


def _mentions(clause: str, day: Optional[date]) -> list[_Mention]:
    found: list[_Mention] = []
    for row, pattern in _TABLE:
        for m in pattern.finditer(clause):
            found.append(_Mention(m.start(), m.end(), row, row.short, None,
                                  m.group(0) == row.short + "W"))
            y = _YEAR_NEXT.match(clause, m.end())    # its year, written right after the name
            if y:
                found[-1].year = int(y.group(1) or 2000 + int(y.group(2) or y.group(3)))
                found[-1].end = y.end()
    for m in _ACRONYM.finditer(clause):
        name = m.group("name")
        if name in _NOT_A_VENUE or name.lower() in _MONTHS:
            continue
        year = int(m.group("y4")) if m.group("y4") else 2000 + int(m.group("y2"))
        found.append(_Mention(m.start(), m.end(), None, name.replace("-", ""), year,
                              "Workshop" in m.group(0)))
    # of overlapping mentions the earliest wins, then the table's, then the longest
    found.sort(key=lambda x: (x.start, x.row is None, -(x.end - x.start)))
    kept: list[_Mention] = []
    for m in found:
        if kept and m.start < kept[-1].end:
            continue
        if (kept and m.row is not None and kept[-1].row is m.row
                and re.fullmatch(r"[\s(),:\-–]*", clause[kept[-1].end:m.start])):
            prev = kept[-1]              # "... Representations (ICLR 2026)": one mention
            prev.end, prev.year = m.end, prev.year or m.year
            prev.workshop_suffix = prev.workshop_suffix or m.workshop_suffix
            continue
        kept.append(m)
    for i, m in enumerate(kept):         # a year written elsewhere in the clause
        if m.year is None:
            stop = kept[i + 1].start if i + 1 < len(kept) else len(clause)
            y = _YEAR_AFTER.search(clause[m.end:stop][:60])
            before = clause[kept[i - 1].end if i else 0:m.start]
            if y:
                m.year = int(y.group(1))
            elif _YEAR_BEFORE.search(before):
                m.year = int(_YEAR_BEFORE.search(before).group(1))
            elif m.row is not None and m.row.base and _ordinal(before):
                m.year = m.row.base + _ordinal(before)
            elif i + 1 < len(kept) and kept[i + 1].row is m.row and m.row is not None:
                m.year = kept[i + 1].year    # "AAAI Conference on ..., AAAI 2025"
    if day is not None:                  # a year after next year is not an edition's year
        for m in kept:
            if m.year is not None and m.year > day.year + 1:
                m.year = None
    return kept


def _ordinal(before: str) -> Optional[int]:
    m = _ORDINAL_BEFORE.search(before)
    if not m:
        return None
    if m.group("num"):
        return int(m.group("num"))
    if m.group("round"):
        return {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
                "sixtieth": 60}[m.group("round").lower()]
    tens = (_TENS.index(m.group("tens").lower()) + 2) * 10 if m.group("tens") else 0
    return tens + _UNITS.index(m.group("unit").lower()) + 1


def _status(before: str, after: str, clause: str) -> str:
    """accepted | no | extension | bare, from the cue words around one mention."""
    if NOT_A_PAPER.search(clause) or ANOTHER_PAPER.search(before):
        return "no"
    said = [(m.end(), 0, "accepted") for m in ACCEPTED.finditer(before)]
    said += [(m.end(), 0, "shown") for m in SHOWN.finditer(before)]
    said += [(m.end(), 1, "no") for p in (NOT_YET, TEMPLATE) for m in p.finditer(before)]
    if said:
        status = max(said)[2]            # the nearest; a tie goes to "no"
        if status == "shown":
            status = "no" if NOT_YET.search(before) else "accepted"
    else:
        said = [(m.start(), 0, "accepted") for p in (ACCEPTED, SHOWN) for m in p.finditer(after)]
        said += [(m.start(), -1, "no") for p in (NOT_YET, TEMPLATE) for m in p.finditer(after)]
        status = min(said)[2] if said else "bare"
    if status != "no" and EXTENSION.search(before):
        return "extension"
    return status


def _claim(m: _Mention, before: str, after: str, named: str, clause: str,
           day: Optional[date], published: bool, doubtful: bool) -> Optional[str]:
    """The badge of mention `m` (words `before` and `after` it, up to the next mention; `named`,
    up to the next venue of the table), or None when it claims nothing."""
    status = "accepted" if published else _status(before, after, clause)
    if status == "no":
        return None
    findings = bool(_FINDINGS_BEFORE.search(before) or _FINDINGS_AFTER.search(after))
    workshop = m.workshop_suffix or bool(
        _WORKSHOP.search(before) or _AT_HOST.search(before)
        or _WORKSHOP.search(named))
    if findings and status == "bare":
        status = "accepted"              # Findings are a decision
    row, year = m.row, m.year
    if row is None:                      # an acronym outside the table: only when said so
        if status != "accepted" or year is None:
            return None
    elif status == "accepted":
        if year is None:
            year = _edition(row, day) if not row.journal else (day.year if day else None)
        if year is None:
            return None
        decided = row.decision(year)
        if decided and day and day < decided - EARLY:
            return None                  # "accepted" months before the venue decides: a slip
    else:                                # bare or extension: the edition's decisions decide
        if year is None or day is None or (status == "bare" and doubtful):
            return None
        if row.journal:                  # "IJCV 2026": that year's volume, no extension
            if status == "extension" or year > day.year:
                return None
        else:
            decided = row.decision(year, workshop)
            if decided is None or day < decided + WRITTEN:
                return None
            if status == "extension" and day > decided + RECENT:
                return None
    name = m.name + ("Findings" if findings and not workshop else "")
    return f"{name}{year}" + ("Workshop" if workshop else "")


def _edition(row: Row, day: Optional[date]) -> Optional[int]:
    """The edition whose decisions are the latest out by `day` ("accepted at AISTATS")."""
    if day is None or not row.decided:
        return None
    out = [y for y in (day.year - 1, day.year, day.year + 1) if row.decision(y) <= day]
    return max(out) if out else None


def _as_date(listed: Union[date, str, None]) -> Optional[date]:
    if isinstance(listed, date):
        return listed
    if isinstance(listed, str):
        try:
            return date.fromisoformat(listed.strip()[:10])
        except ValueError:
            return None
    return None


def _id_date(arxiv_id: str) -> Optional[date]:
    """The first of the month of a new-style arXiv id (2601.18734 -> 2026-01-01), or of an
    old-style one (cs/0701001)."""
    m = re.match(r"^(?:[a-z\-]+(?:\.[A-Za-z]{2})?/)?(\d\d)(\d\d)", (arxiv_id or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    yy = int(m.group(1))
    return date(2000 + yy if yy < 91 else 1900 + yy, int(m.group(2)), 1)
