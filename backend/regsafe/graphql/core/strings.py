"""Strings the platform refuses on input: NUL and lone UTF-16 surrogates.

PostgreSQL text cannot hold NUL, and a lone surrogate (JSON allows ``"\\ud800"``) cannot
be encoded as UTF-8: either used to travel from a variable or a literal into a query and
come back as an internal error. :class:`StrictStrings` refuses them for every field at
once, in the document's string literals and anywhere in the variables, before validation.

Not a ``String`` scalar override: graphql-core 3.3 forbids redefining the reserved
``String`` type (``Redefinition of reserved type 'String'``), and a scalar of another
name would rename every string in the schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit

_REFUSED = re.compile("[\x00\ud800-\udfff]")
# json.loads joins valid surrogate pairs into one code point: any surrogate left is lone.


def refusal(value: str) -> str | None:
    """Why ``value`` cannot be input, or None when it can."""
    found = _REFUSED.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "不能包含 NUL 控制字符 (U+0000)"
    return "不能包含不成对的 UTF-16 代理字符 (U+D800–U+DFFF)"


def _bad_input(message: str, nodes: Any = None) -> GraphQLError:
    return GraphQLError(message, nodes=nodes, extensions={"code": "BAD_USER_INPUT"})


class _Literals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.errors: list[GraphQLError] = []

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if reason := refusal(node.value):
            self.errors.append(_bad_input(f"字符串{reason}", nodes=[node]))


def literal_errors(document: DocumentNode) -> list[GraphQLError]:
    visitor = _Literals()
    visit(document, visitor)
    return visitor.errors


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included; iterative, so depth cannot hurt."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, sub in item.items():
                yield str(key)
                stack.append(sub)
        elif isinstance(item, list):
            stack.extend(item)


_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")


def variable_errors(variables: dict[str, Any] | None) -> list[GraphQLError]:
    errors = []
    for name, value in (variables or {}).items():
        reason = next((r for text in _strings([name, value]) if (r := refusal(text))), None)
        if reason:
            # the name is echoed only when it is a GraphQL name (it is the client's text)
            shown = f"${name}" if _NAME.fullmatch(name) else ""
            errors.append(_bad_input(" ".join(filter(None, ["变量", shown, reason]))))
    return errors


class StrictStrings(SchemaExtension):
    """Refuse NUL and lone surrogates before validation, as BAD_USER_INPUT."""

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            errors = literal_errors(ctx.graphql_document) + variable_errors(ctx.variables)
            if errors:
                # strawberry skips its own validation when an extension has set these
                ctx.pre_execution_errors = errors
        yield
