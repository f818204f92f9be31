"""Placeholder until the classifier lands: `score` and `evaluate`."""
from scripts.cli import subcommand
from store.errors import BadInput


def _not_yet(args, cfg):
    raise BadInput(f"'{args.command}' is not implemented yet")


def register(sub):
    subcommand(sub, "score", "Score papers for relevance (not yet)", "opdlist score --input pool.jsonl --output out.jsonl").set_defaults(func=_not_yet)
    subcommand(sub, "evaluate", "Replay a labelled window (not yet)", "opdlist evaluate --pool p.jsonl.gz --labels l.jsonl").set_defaults(func=_not_yet)
