"""Placeholder until the crawler lands: `crawl` and `fake-arxiv`."""
from scripts.cli import subcommand
from store.errors import BadInput


def _not_yet(args, cfg):
    raise BadInput(f"'{args.command}' is not implemented yet")


def register(sub):
    subcommand(sub, "crawl", "Fetch the new arXiv listings (not yet)", "opdlist crawl").set_defaults(func=_not_yet)
    subcommand(sub, "fake-arxiv", "Serve captured arXiv data on 127.0.0.1 (not yet)",
               "opdlist fake-arxiv --data windowA.jsonl.gz").set_defaults(func=_not_yet)
