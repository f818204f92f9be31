"""arXiv's OAI-PMH interface (https://oaipmh.arxiv.org/oai) for long backfills.

``ListRecords`` with ``metadataPrefix=arXivRaw``, ``set=cs``, ``from``/``until`` (datestamps,
days), then ``resumptionToken`` until the token is empty. Parsed with the standard XML
parser by namespace and element name. OAI datestamps are not submission dates: a record
also appears when an old paper gets a new version, so `OaiRecord.submitted` (the v1 date of
arXivRaw) is what tells a new paper from an update. ``noRecordsMatch`` is an empty window,
not an error. The old server's answers (export.arxiv.org/oai2) have the same shape and parse
too; ``arXiv`` and ``oai_dc`` metadata are read as well.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Iterator, Optional

from crawler.errors import BadResponse
from crawler.http import Client
from crawler.parsing import check_xml, clean_xml, split_authors
from store.paper import Paper, arxiv_id, clean_text

log = logging.getLogger(__name__)

OAI = "{http://www.openarchives.org/OAI/2.0/}"
RAW = "{http://arxiv.org/OAI/arXivRaw/}"
ARX = "{http://arxiv.org/OAI/arXiv/}"
DC = "{http://purl.org/dc/elements/1.1/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"


class OaiError(BadResponse):
    def __init__(self, code: str, message: str, url: str = ""):
        super().__init__(f"OAI-PMH error {code}: {message}", url, retry=False)
        self.code = code


@dataclass
class OaiRecord:
    paper: Paper
    datestamp: Optional[dt.date]
    submitted: Optional[dt.datetime]     # first version, when known


@dataclass
class OaiPage:
    records: list[OaiRecord] = field(default_factory=list)
    token: str = ""
    skipped: list[str] = field(default_factory=list)
    total: Optional[int] = None          # completeListSize of the resumption token, if given


def _text(el: Optional[ET.Element]) -> str:
    return clean_text("".join(el.itertext())) if el is not None else ""


def _date(text: str) -> Optional[dt.datetime]:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        d = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None


@dataclass
class _Fields:
    """What one metadata format tells of a record."""
    id: str = ""
    title: str = ""
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    submitted: Optional[dt.datetime] = None     # first version
    comment: str = ""
    journal_ref: str = ""


def _raw(md: ET.Element) -> _Fields:
    versions = md.findall(f"{RAW}version")
    v1 = next((v for v in versions if v.get("version") == "v1"), versions[0] if versions else None)
    return _Fields(_text(md.find(f"{RAW}id")), _text(md.find(f"{RAW}title")),
                   _text(md.find(f"{RAW}abstract")),
                   split_authors(_text(md.find(f"{RAW}authors"))),
                   _text(md.find(f"{RAW}categories")).split(),
                   _date(_text(v1.find(f"{RAW}date"))) if v1 is not None else None,
                   _text(md.find(f"{RAW}comments")), _text(md.find(f"{RAW}journal-ref")))


def _arxiv(md: ET.Element) -> _Fields:
    authors = []
    for a in md.iter(f"{ARX}author"):
        name = " ".join(x for x in (_text(a.find(f"{ARX}forenames")),
                                    _text(a.find(f"{ARX}keyname")),
                                    _text(a.find(f"{ARX}suffix"))) if x)
        if name:
            authors.append(name)
    return _Fields(_text(md.find(f"{ARX}id")), _text(md.find(f"{ARX}title")),
                   _text(md.find(f"{ARX}abstract")), authors,
                   _text(md.find(f"{ARX}categories")).split(),
                   _date(_text(md.find(f"{ARX}created"))),
                   _text(md.find(f"{ARX}comments")), _text(md.find(f"{ARX}journal-ref")))


def _dc(md: ET.Element) -> _Fields:
    ids = [_text(i) for i in md.findall(f"{DC}identifier")]
    authors = []
    for c in md.findall(f"{DC}creator"):
        last, _, first = _text(c).partition(", ")
        authors.append(f"{first} {last}".strip())
    desc = [_text(d) for d in md.findall(f"{DC}description")]
    abstract = next((d for d in desc if not d.startswith("Comment:")), "")
    comment = next((d[len("Comment:"):].strip() for d in desc if d.startswith("Comment:")), "")
    return _Fields(next((i for i in ids if arxiv_id(i)), ""), _text(md.find(f"{DC}title")),
                   abstract, authors, comment=comment)


def parse_oai(content: bytes, url: str = "") -> OaiPage:
    """One ListRecords (or GetRecord) answer."""
    content = clean_xml(content, url)
    root = check_xml(content, url)
    if root.tag != f"{OAI}OAI-PMH":
        raise BadResponse(f"not an OAI-PMH answer (root <{root.tag}>)", url)
    page = OaiPage()
    for err in root.findall(f"{OAI}error"):
        code = err.get("code", "")
        if code == "noRecordsMatch":
            return page
        raise OaiError(code, _text(err), url)
    container = root.find(f"{OAI}ListRecords")
    if container is None:
        container = root.find(f"{OAI}GetRecord")
    if container is None:
        raise BadResponse("OAI-PMH answer without ListRecords", url, retry=False)
    for n, rec in enumerate(container.findall(f"{OAI}record"), start=1):
        header = rec.find(f"{OAI}header")
        if header is not None and header.get("status") == "deleted":
            continue
        stamp = _date(_text(header.find(f"{OAI}datestamp"))) if header is not None else None
        md = rec.find(f"{OAI}metadata")
        inner = list(md)[0] if md is not None and len(md) else None
        if inner is None:
            fields = _Fields()
        elif inner.tag == f"{RAW}arXivRaw":
            fields = _raw(inner)
        elif inner.tag == f"{ARX}arXiv":
            fields = _arxiv(inner)
        elif inner.tag == f"{OAI_DC}dc":
            fields = _dc(inner)
        else:
            raise BadResponse(f"unknown OAI metadata format <{inner.tag}>", url, retry=False)
        ident = _text(header.find(f"{OAI}identifier")) if header is not None else ""
        pid = arxiv_id(fields.id) or arxiv_id(ident)
        if not pid or not fields.title:
            what = "no id" if not pid else "no title"
            page.skipped.append(f"record {n} ({what}; {pid or fields.title or ident or 'empty'})")
            continue
        page.records.append(OaiRecord(
            paper=Paper(id=pid, title=fields.title, abstract=fields.abstract,
                        authors=fields.authors, categories=fields.categories,
                        comment=fields.comment, journal_ref=fields.journal_ref),
            datestamp=stamp.date() if stamp else None, submitted=fields.submitted))
    token = container.find(f"{OAI}resumptionToken")
    page.token = (token.text or "").strip() if token is not None else ""
    if token is not None and (token.get("completeListSize") or "").isdigit():
        page.total = int(token.get("completeListSize"))
    return page


def list_records(client: Client, base: str, first: dt.date, last: dt.date,
                 set_spec: str = "cs", prefix: str = "arXivRaw") -> Iterator[OaiPage]:
    """Every page of ListRecords for datestamps `first`..`last`. A 503 with Retry-After (OAI
    flow control) is waited out by the client's Retry, which re-sends the same token."""
    params = {"verb": "ListRecords", "metadataPrefix": prefix,
              "from": first.isoformat(), "until": last.isoformat()}
    if set_spec:
        params["set"] = set_spec
    while True:
        page = client.fetch(base, params, parse_oai)
        yield page
        if not page.token:
            return
        params = {"verb": "ListRecords", "resumptionToken": page.token}
