"""The review file's YAML, read safely: the node tree of a document, each node with the marks
of where it stands, built from the parser's events (libyaml's, when ruamel.yaml.clib is
installed) without recursion. Refused, each with its line: tags that would build Python
objects (``!!python/...``) and any other non-standard tag, anchors and aliases (a maintainer
never needs them; alias expansion is the "billion laughs" attack), nesting deeper than
`MAX_DEPTH`, a second document."""
from __future__ import annotations

import io
from typing import Iterator, Optional

from ruamel.yaml import YAML

from store.errors import BadInput

try:                                   # libyaml's parser: ~50x faster than the pure one
    from _ruamel_yaml import CParser
except ImportError:                    # pragma: no cover - ruamel.yaml.clib not installed
    CParser = None

STD_TAGS = {"tag:yaml.org,2002:" + t for t in
            ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
NULL, STR = "tag:yaml.org,2002:null", "tag:yaml.org,2002:str"
_NULLS = ("", "~", "null", "Null", "NULL")
MAX_DEPTH = 16             # the review file needs 4: the file, candidates, a candidate, a list


class Node:
    """A YAML node with the marks of where it stands (lighter than ruamel.yaml's nodes)."""
    __slots__ = ("tag", "value", "start_mark", "end_mark", "flow_style", "style")

    def __init__(self, tag, value, start_mark, end_mark, flow_style=None, style=None):
        self.tag, self.value, self.start_mark, self.end_mark = tag, value, start_mark, end_mark
        self.flow_style, self.style = flow_style, style


class ScalarNode(Node):
    __slots__ = ()


class SequenceNode(Node):
    __slots__ = ()


class MappingNode(Node):
    __slots__ = ()


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


def _events(text: str) -> Iterator:
    if CParser is not None:
        parser = CParser(io.StringIO(text))
        try:
            while True:
                event = parser.get_event()
                yield event
                if type(event).__name__ == "StreamEndEvent":
                    return
        finally:
            parser.dispose()
    else:
        yield from YAML(typ="rt", pure=True).parse(text)


def compose(text: str, path: str) -> Optional[Node]:
    """The document's node tree, built from the parser's events without recursion; refuses
    anchors and aliases, non-standard tags, nesting deeper than MAX_DEPTH and a second
    document, each with its line."""
    stack: list[Node] = []
    root: Optional[Node] = None
    documents = 0
    for e in _events(text):
        kind = type(e).__name__
        line = e.start_mark.line + 1
        if kind == "DocumentStartEvent":
            documents += 1
            if documents > 1:
                raise BadInput("a second YAML document ('---'); the review file is one",
                               file=path, line=line)
            continue
        if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
            continue
        if kind == "AliasEvent" or getattr(e, "anchor", None):
            raise BadInput("YAML anchors and aliases (&name, *name) are not allowed in the "
                           "review file; write each value out", file=path, line=line)
        if kind in ("SequenceEndEvent", "MappingEndEvent"):
            done = stack.pop()
            done.end_mark = e.end_mark
            continue
        ctag = getattr(e, "ctag", None)       # the str of a Tag costs a URI decode
        tag = None if ctag is None else str(e.tag)
        if tag is not None and tag not in STD_TAGS:
            raise BadInput(f"tag '{tag}' is not allowed in the review file (plain YAML only)",
                           file=path, line=line)
        if kind == "ScalarEvent":
            plain = e.style in (None, "") and (e.implicit is True or
                                               (isinstance(e.implicit, tuple) and e.implicit[0]))
            tag = tag or (NULL if plain and e.value in _NULLS else STR)
            node = ScalarNode(tag, e.value, e.start_mark, e.end_mark, style=e.style)
        elif kind == "SequenceStartEvent":
            node = SequenceNode(tag or "tag:yaml.org,2002:seq", [], e.start_mark, None,
                                flow_style=e.flow_style)
        else:
            node = MappingNode(tag or "tag:yaml.org,2002:map", [], e.start_mark, None,
                               flow_style=e.flow_style)
        if stack:
            parent = stack[-1]
            if isinstance(parent, SequenceNode):
                parent.value.append(node)
            elif parent.value and parent.value[-1][1] is None:
                parent.value[-1] = (parent.value[-1][0], node)
            else:
                parent.value.append((node, None))
        else:
            root = node
        if kind != "ScalarEvent":
            stack.append(node)
            if len(stack) > MAX_DEPTH:
                raise BadInput(f"nested deeper than {MAX_DEPTH} levels; a review file needs 4",
                               file=path, line=line)
    return root


def scalar(node: Node, name: str, path: str) -> str:
    """The text of a scalar node ("" for null), or BadInput naming its line."""
    if not isinstance(node, ScalarNode):
        raise BadInput("must be a single value", file=path, line=line_of(node), field=name)
    return "" if node.tag.endswith(":null") else str(node.value).strip()
