"""Placeholder until the daily loop lands: `lint`, `render`, `section`."""
from scripts.cli import subcommand
from store.errors import BadInput


def _not_yet(args, cfg):
    raise BadInput(f"'{args.command}' is not implemented yet")


def register(sub):
    for name in ("lint", "render", "section"):
        subcommand(sub, name, f"{name} (not yet)", f"opdlist {name}").set_defaults(func=_not_yet)
