"""`opdlist crawl` (fetch the new arXiv papers) and `opdlist fake-arxiv` (serve real data
on 127.0.0.1 in arXiv's shapes, for tests and demos)."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from scripts.cli import accepted_empty, add_accept_empty, iso_date, subcommand
from store.errors import BadInput

log = logging.getLogger(__name__)



def register(sub) -> None:
    p = subcommand(
        sub, "crawl",
        "Fetch the papers arXiv announced since the last run (today's RSS listing, missed "
        "days from the export API or OAI-PMH), add them to the paper cache and move the "
        "crawl cursor; prints one line per announcement day",
        "opdlist crawl --output new.jsonl\n"
        "  opdlist crawl --from 2025-10-01 --to 2025-10-31 --output october.jsonl\n"
        "  opdlist crawl --dry-run")
    p.add_argument("--output", metavar="FILE",
                   help="also write the new papers as Paper JSONL (.gz: gzipped); written "
                        "whenever the run succeeds, even when empty")
    p.add_argument("--from", dest="start", type=iso_date, metavar="DATE",
                   help="backfill listing days from DATE (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", type=iso_date, metavar="DATE",
                   help="last listing day of the backfill (default: today's feed)")
    p.add_argument("--dry-run", action="store_true",
                   help="print what would be fetched; fetch and change nothing")
    p.add_argument("--page-size", type=int, default=2000, metavar="N",
                   help="export API results per request (at most 2000, the default)")
    p.add_argument("--progress", action="store_true",
                   help="show a progress bar for catch-up (default: when stderr is a terminal)")
    add_accept_empty(p)
    p.set_defaults(func=run_crawl)

    f = subcommand(
        sub, "fake-arxiv",
        "Serve real arXiv listings on 127.0.0.1 as arXiv's RSS feed, export API and OAI-PMH "
        "would (for tests and demos), with a settable today and switchable faults; serves "
        "until killed",
        "opdlist fake-arxiv --data ../shared/arxiv/windowA.jsonl.gz --port 8765 "
        "--today 2025-10-07 --fault 503:2")
    f.add_argument("--data", action="append", required=True, metavar="FILE",
                   help="Paper JSONL (gz or plain) to serve; repeat for several files")
    f.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    f.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    f.add_argument("--today", type=iso_date, metavar="DATE",
                   help="the listing day the feed announces (default: the data's last)")
    f.add_argument("--fault", action="append", default=[], metavar="[rss|api|oai:]KIND[:N]",
                   help="answer the next N matching requests with a fault; KIND is one of "
                        "429, 429date, 503, 500, hang, truncated, html, empty, zero, dup, holiday, "
                        "trickle, blackhole, badchars")
    f.add_argument("--silence", action="append", default=[], type=iso_date, metavar="DAY",
                   help="a listing day of the data that every interface answers as empty "
                        "(an announcement arXiv did not make); repeat for several")
    f.add_argument("--retry-after", type=float, default=1.0, metavar="S",
                   help="Retry-After of the 429/503 faults (default 1)")
    f.add_argument("--hang", type=float, default=60.0, metavar="S",
                   help="how long the hang fault stalls and the trickle fault lasts (default 60)")
    f.add_argument("--oai-page", type=int, default=1000, metavar="N",
                   help="records per OAI-PMH page (default 1000)")
    f.set_defaults(func=run_fake)


def run_crawl(args, cfg) -> int:
    from crawler import crawl
    from store.files import write_papers
    from store.lock import RepoLock
    from store.state import paper_cache, read_accepted_empty, read_cursor, write_cursor

    if args.end and not args.start:
        raise BadInput("--to needs --from", field="--to")
    if args.start and args.end and args.end < args.start:
        raise BadInput(f"--to {args.end} is before --from {args.start}", field="--to")
    if not 1 <= args.page_size <= 2000:
        raise BadInput("--page-size must be between 1 and 2000", field="--page-size")
    progress = args.progress or sys.stderr.isatty()
    cursor = read_cursor(cfg.cursor_path)
    if args.dry_run:
        result = crawl(cfg, cursor=cursor, seen=set(), start=args.start, end=args.end,
                       dry_run=True)
        print(f"cursor: {cursor or 'none (first run)'}")
        for line in result.plan:
            print(line)
        return 0
    with RepoLock(cfg.lock_path, cfg.run_budget):
        cache = paper_cache(cfg)
        confirmed = set(accepted_empty(args.accept_empty))
        result = crawl(cfg, cursor=cursor, seen=set(cache.papers), start=args.start,
                       end=args.end, progress=progress, page_size=args.page_size,
                       accept_empty=read_accepted_empty(cfg.cursor_path) | confirmed)
        papers = result.papers
        if papers:
            cache.add(papers)
            cache.save()
        if args.output:
            write_papers(Path(args.output), papers)
        if result.new_cursor is not None or (confirmed and cursor is not None):
            write_cursor(cfg.cursor_path, result.new_cursor or cursor,
                         accepted_empty=confirmed)
    if not result.days:
        print(f"no announcement (empty feed); cursor stays at {cursor or 'none'}"
              if result.today is None else f"{result.today}: 0 new papers")
    for b in result.days:
        print(f"{b.day}: {len(b.papers)} new papers ({b.source})")
    log.debug("%d requests, %.1f s of polite waits", result.requests, result.waited)
    return 0


def run_fake(args, cfg) -> int:
    from scripts.fake_arxiv import FakeArxiv, Fault, load

    faults = [Fault.parse(s) for s in args.fault]
    for path in args.data:
        if not Path(path).exists():
            raise BadInput("no such file", file=path, field="--data")
    fake = FakeArxiv(load(args.data), today=args.today, retry_after=args.retry_after,
                     hang=args.hang, oai_page=args.oai_page)
    for f in faults:
        fake.add_fault(f)
    fake.silence(args.silence)
    try:
        fake.start(args.host, args.port)
    except OSError as e:
        raise BadInput(f"cannot listen on {args.host}:{args.port} ({e.strerror})",
                       field="--port") from None
    # one line, printed once it answers: what a script waits for, and a shell command whole
    # (the exports, then what it serves as a comment)
    urls = " ".join(f"{var}={fake.urls[key]}" for key, var in (
        ("rss_url", "OPDLIST_ARXIV_RSS_URL"), ("api_url", "OPDLIST_ARXIV_API_URL"),
        ("oai_url", "OPDLIST_ARXIV_OAI_URL")))
    print(f"export {urls}  # fake arXiv ready: {len(fake.papers):,} papers, today {fake.today}; "
          f"control: {fake.base}/control", flush=True)
    try:
        fake.thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0
