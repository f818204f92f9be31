"""The fake arXiv's answers in the shapes of the real interfaces: the RSS feed of
rss.arxiv.org (fixture ``rss_multi_...xml``: channel ``pubDate`` = the listing day at 00:00 US
Eastern, items of announce type ``new``/``cross`` plus a few ``replace``/``replace-cross`` of
older papers), the export API's Atom (``opensearch`` totals, the error feed with HTTP 400,
``arxiv:comment``/``arxiv:journal_ref`` where a paper has them) and OAI-PMH ``ListRecords``
in ``arXivRaw`` (``comments``, ``journal-ref``; ``noRecordsMatch`` when empty). The RSS feed
carries no comment, as the real one does not."""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from xml.sax.saxutils import escape, quoteattr

from crawler import schedule
from scripts.fake_arxiv.archive import Archive
from store.paper import NEW_ID, OLD_ID, Paper

API_MAX = 2000


def _rfc822(t: dt.datetime) -> str:
    return email.utils.format_datetime(t)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rss(archive: Archive, base: str, cats: list[str], holiday: bool = False,
        dup: bool = False) -> bytes:
    """Today's announcement in the RSS 2.0 shape of rss.arxiv.org."""
    want = set(cats)
    day = archive.today
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=schedule.EASTERN)
    items = [] if holiday else archive.listing(day, want)
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">\n'
        "  <channel>\n",
        f"    <title>{escape(', '.join(cats))} updates on arXiv.org</title>\n",
        f"    <link>{escape(base)}/rss/{escape('+'.join(cats))}</link>\n",
        f"    <description>{escape(', '.join(cats))} updates on the arXiv.org e-print "
        "archive.</description>\n",
        "    <docs>http://www.rssboard.org/rss-specification</docs>\n"
        "    <language>en-us</language>\n",
        f"    <lastBuildDate>{_rfc822((midnight + dt.timedelta(minutes=1)).astimezone(dt.timezone.utc))}</lastBuildDate>\n",
        "    <managingEditor>rss-help@arxiv.org</managingEditor>\n",
        f"    <pubDate>{_rfc822(midnight)}</pubDate>\n",
        "    <skipDays>\n      <day>Sunday</day>\n      <day>Saturday</day>\n    </skipDays>\n",
    ]
    entries = [(p, p.announce_type or ("new" if p.categories and p.categories[0] in want
                                       else "cross"), 1) for p in items]
    if items:   # a few updates of older papers, as in every real feed
        older = [d for d in archive.days if d < day][-3:-2]
        for i, p in enumerate(archive.by_day[older[0]][:3] if older else []):
            entries.append((p, "replace-cross" if i == 2 else "replace", 2))
    if dup:
        entries += entries[:3]
    for p, atype, version in entries:
        out.append(_rss_item(p, atype, version, midnight))
    out.append("  </channel>\n</rss>\n")
    return "".join(out).encode("utf-8")


def _rss_item(p: Paper, atype: str, version: int, midnight: dt.datetime) -> str:
    cats = "".join(f"      <category>{escape(c)}</category>\n" for c in p.categories)
    return (
        "    <item>\n"
        f"      <title>{escape(p.title)}</title>\n"
        f"      <link>https://arxiv.org/abs/{escape(p.key)}</link>\n"
        f"      <description>arXiv:{escape(p.key)}v{version} Announce Type: {atype} \n"
        f"Abstract: {escape(p.abstract)}</description>\n"
        f'      <guid isPermaLink="false">oai:arXiv.org:{escape(p.key)}v{version}</guid>\n'
        f"{cats}"
        f"      <pubDate>{_rfc822(midnight)}</pubDate>\n"
        f"      <arxiv:announce_type>{atype}</arxiv:announce_type>\n"
        "      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>\n"
        f"      <dc:creator>{escape(', '.join(p.authors))}</dc:creator>\n"
        "    </item>\n")


def api(archive: Archive, q: dict[str, list[str]], empty: bool = False, dup: bool = False,
        zero: bool = False) -> tuple[int, bytes]:
    """An export API answer: ``id_list`` look-ups and ``search_query`` paging."""
    get = lambda k, d="": (q.get(k) or [d])[0]  # noqa: E731
    query, id_list = get("search_query"), get("id_list")
    try:
        start = int(get("start", "0"))
        size = int(get("max_results", "10"))
        if start < 0 or size < 0 or start + size > 30000:
            raise ValueError
    except ValueError:
        return 400, _api_error("max_results", "max_results must be an integer "
                                    "between 0 and 30000")
    size = min(size, API_MAX)
    keys: list[str]
    if id_list:
        keys = []
        for raw in id_list.split(","):
            raw = raw.strip()
            m = NEW_ID.match(raw) or OLD_ID.match(raw)
            if not m:
                return 400, _api_error(f"incorrect_id_format_for_{raw}",
                                            f"incorrect id format for {raw}")
            if m.group(1) in archive.papers and m.group(1) not in keys:
                keys.append(m.group(1))
    else:
        keys = []
    if query:
        sel = archive.search(query)
        if sel is None:
            return 400, _api_error("unsupported_query",
                                        f"the fake arXiv does not understand {query}")
        keys = [k for k in keys if k in sel] if id_list else sel
    if not id_list and not query:
        keys = []
    keys = [k for k in keys if archive.papers[k].date == "" and id_list or archive.announced(k)]
    if zero:
        keys = []
    total = len(keys)
    page = keys[start:start + size]
    if dup and start > 0:
        page = keys[max(0, start - 2):start] + page
    if empty:
        page = []
    entries = "".join(_api_entry(archive, archive.papers[k]) for k in page)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
        f"  <id>https://arxiv.org/api/fake</id>\n"
        f"  <title>arXiv Query: search_query={escape(query)}&amp;id_list={escape(id_list)}"
        f"&amp;start={start}&amp;max_results={size}</title>\n"
        f"  <updated>{_iso(dt.datetime.now(dt.timezone.utc))}</updated>\n"
        f"  <opensearch:itemsPerPage>{size}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
        f"{entries}</feed>\n")
    return 200, body.encode("utf-8")


def _api_entry(archive: Archive, p: Paper) -> str:
    t = archive.submitted.get(p.key)
    v = archive.version(p.key)
    when = _iso(t) if t else "2000-01-01T00:00:00Z"
    authors = "".join(f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n"
                      for a in p.authors)
    cats = "".join(f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>\n'
                   for c in p.categories)
    primary = (f"    <arxiv:primary_category term={quoteattr(p.categories[0])}/>\n"
               if p.categories else "")
    words = "".join(f"    <arxiv:{tag}>{escape(text)}</arxiv:{tag}>\n"
                    for tag, text in (("comment", p.comment), ("journal_ref", p.journal_ref))
                    if text)
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{escape(p.key)}v{v}</id>\n"
        f"    <title>{escape(p.title)}</title>\n"
        f"    <updated>{when}</updated>\n"
        f'    <link href="https://arxiv.org/abs/{escape(p.key)}v{v}" rel="alternate" type="text/html"/>\n'
        f'    <link href="https://arxiv.org/pdf/{escape(p.key)}v{v}" rel="related" type="application/pdf" title="pdf"/>\n'
        f"    <summary>{escape(p.abstract)}</summary>\n"
        f"{words}"
        f"{cats}"
        f"    <published>{when}</published>\n"
        f"{primary}"
        f"{authors}"
        "  </entry>\n")


def _api_error(reason: str, message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n'
        "  <id>https://arxiv.org/api/fake-error</id>\n  <title>arXiv Query: error</title>\n"
        "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        "  <entry>\n"
        f"    <id>https://arxiv.org/api/errors#{escape(reason)}</id>\n"
        "    <title>Error</title>\n"
        f"    <summary>{escape(message)}</summary>\n"
        "    <author><name>arXiv api core</name></author>\n"
        "  </entry>\n</feed>\n").encode("utf-8")


def oai(archive: Archive, base: str, q: dict[str, list[str]], page_size: int = 1000,
        dup: bool = False, zero: bool = False) -> tuple[int, bytes]:
    """An OAI-PMH ``ListRecords`` answer in ``arXivRaw``, paged by resumption token."""
    get = lambda k: (q.get(k) or [""])[0]  # noqa: E731
    verb = get("verb")
    if verb != "ListRecords":
        return 200, _oai_error(base, "badVerb", "the fake arXiv answers ListRecords only",
                                    q)
    token = get("resumptionToken")
    if token:
        parts = token.split("|")
        if len(parts) != 5 or parts[0] != "fake" or not parts[4].isdigit():
            return 200, _oai_error(base, "badResumptionToken", "bad token", q)
        _, first, last, set_spec, offset = parts
        offset = int(offset)
    else:
        if get("metadataPrefix") != "arXivRaw":
            return 200, _oai_error(base, "cannotDisseminateFormat",
                                        "the fake arXiv serves arXivRaw only", q)
        first, last, set_spec, offset = get("from"), get("until"), get("set"), 0
    try:
        lo = dt.date.fromisoformat(first) if first else dt.date.min
        hi = dt.date.fromisoformat(last) if last else dt.date.max
    except ValueError:
        return 200, _oai_error(base, "badArgument", "bad from/until", q)
    keys = archive.harvest(lo, hi, set_spec)
    if not keys or zero:
        return 200, _oai_error(base, "noRecordsMatch", "The combination of the values of the "
                                    "from, until, set and metadataPrefix arguments results "
                                    "in an empty list.", q)
    page = keys[offset:offset + page_size]
    if dup and offset > 0:
        page = keys[offset - 2:offset] + page
    nxt = offset + page_size
    token_xml = (f'<resumptionToken cursor="{offset}" completeListSize="{len(keys)}">'
                 f"fake|{first}|{last}|{set_spec}|{nxt}</resumptionToken>"
                 if nxt < len(keys) else
                 f'<resumptionToken cursor="{offset}" completeListSize="{len(keys)}"/>')
    records = "".join(_oai_record(archive, archive.papers[k]) for k in page)
    return 200, _oai_wrap(base, f"<ListRecords>\n{records}{token_xml}\n</ListRecords>", q)


def _oai_record(archive: Archive, p: Paper) -> str:
    t = archive.submitted[p.key]
    stamp = dt.date.fromisoformat(p.date) - dt.timedelta(days=1)
    return (
        "<record>\n<header>\n"
        f"  <identifier>oai:arXiv.org:{escape(p.key)}</identifier>\n"
        f"  <datestamp>{stamp.isoformat()}</datestamp>\n"
        f"  <setSpec>{escape(p.categories[0].split('.')[0] if p.categories else 'cs')}</setSpec>\n"
        "</header>\n<metadata>\n"
        '<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">\n'
        f"  <id>{escape(p.key)}</id>\n"
        f"  <submitter>{escape(p.authors[0] if p.authors else '')}</submitter>\n"
        f'  <version version="v1"><date>{email.utils.format_datetime(t, usegmt=True)}'
        "</date><size>1kb</size></version>\n"
        f"  <title>{escape(p.title)}</title>\n"
        f"  <authors>{escape(', '.join(p.authors))}</authors>\n"
        f"  <categories>{escape(' '.join(p.categories))}</categories>\n"
        + (f"  <comments>{escape(p.comment)}</comments>\n" if p.comment else "")
        + (f"  <journal-ref>{escape(p.journal_ref)}</journal-ref>\n" if p.journal_ref else "")
        + f"  <abstract>{escape(p.abstract)}</abstract>\n"
        "</arXivRaw>\n</metadata>\n</record>\n")


def _oai_wrap(base: str, inner: str, q: dict[str, list[str]]) -> bytes:
    attrs = "".join(f" {k}={quoteattr(v[0])}" for k, v in sorted(q.items())
                    if re.match(r"^[A-Za-z]+$", k))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n'
        f"<responseDate>{_iso(dt.datetime.now(dt.timezone.utc))}</responseDate>\n"
        f"<request{attrs}>{escape(base)}/oai</request>\n"
        f"{inner}\n</OAI-PMH>\n").encode("utf-8")


def _oai_error(base: str, code: str, message: str, q) -> bytes:
    return _oai_wrap(base, f"<error code={quoteattr(code)}>{escape(message)}</error>", q)
