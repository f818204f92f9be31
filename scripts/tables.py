"""Tables for a terminal of `WIDTH` columns (`opdlist audit`, `opdlist evaluate`): numbers
right-aligned, text left-aligned, the long text columns (a title, the terms of a why) cut
with "…" to fit."""
from __future__ import annotations

WIDTH = 100
LEAST_FIRST = 30    # the first column to shrink (a title) keeps at least this many characters
LEAST = 14          # the others at least this many ("On-Policy Sel…" / "Teacher–Stude…")


def _cell(value, floats: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return floats.format(value)
    return str(value)


def table(rows: list[dict], columns: list[str], *, width: int = WIDTH,
          shrink: tuple = ("title",), headers: dict | None = None,
          floats: str = "{:.3f}") -> str:
    """`rows` (dicts) as a text table of `columns`, at most `width` characters a line where
    that can be: the columns in `shrink` share what room is left and are cut with "…";
    `headers` renames columns."""
    headers = headers or {}
    name = {c: headers.get(c, c) for c in columns}
    cells = {c: [_cell(r.get(c, ""), floats) for r in rows] for c in columns}
    text = {c for c in columns if all(isinstance(r.get(c, ""), (str, bool)) for r in rows)}
    widths = {c: max([len(name[c])] + [len(v) for v in cells[c]]) for c in columns}
    cut = [c for c in shrink if c in columns]
    if cut:
        fixed = sum(w for c, w in widths.items() if c not in cut) + 2 * (len(columns) - 1)
        room = max(0, width - fixed)
        if sum(widths[c] for c in cut) > room:
            # each keeps enough to be told apart (the first, a title, the most), and what
            # room is left goes to them by how much longer they are
            floor = {c: min(widths[c], max(len(name[c]), LEAST_FIRST if i == 0 else LEAST))
                     for i, c in enumerate(cut)}
            if sum(floor.values()) > room:      # not even that fits: the floors, scaled
                floor = {c: max(len(name[c]), room * f // sum(floor.values()))
                         for c, f in floor.items()}
            spare = max(0, room - sum(floor.values()))
            excess = {c: widths[c] - floor[c] for c in cut}
            total = sum(excess.values()) or 1
            for c in cut:
                widths[c] = floor[c] + spare * excess[c] // total
        for c in cut:
            cells[c] = [v if len(v) <= widths[c] else v[:widths[c] - 1] + "…"
                        for v in cells[c]]

    def line(values: dict) -> str:
        return "  ".join(f"{values[c]:<{widths[c]}}" if c in text else
                         f"{values[c]:>{widths[c]}}" for c in columns).rstrip()

    out = [line(name)]
    out += [line({c: cells[c][i] for c in columns}) for i in range(len(rows))]
    return "\n".join(out)
