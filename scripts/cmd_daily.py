"""Placeholder until the daily loop lands: `daily`, `merge`, `review`, `schedule`."""
from scripts.cli import subcommand
from store.errors import BadInput


def _not_yet(args, cfg):
    raise BadInput(f"'{args.command}' is not implemented yet")


def register(sub):
    for name in ("daily", "merge", "review", "schedule"):
        subcommand(sub, name, f"{name} (not yet)", f"opdlist {name}").set_defaults(func=_not_yet)
