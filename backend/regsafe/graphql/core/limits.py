"""Limits checked before any resolver does work.

Static cost analysis rejects an operation whose estimated cost is over the limit. Each
field costs 1; a field with ``first``/``last`` multiplies the cost of everything below
it by that page size, and ``nodes(ids:)`` by the number of ids (variables count at the
maximum page size or id count, since they are not known at validation time).
``nodes(ids:)`` also takes at most ``max_node_ids`` ids whatever the cost: 45,000 ids in
one request once ran 24 s. Anonymous introspection is refused in production."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver, SyncExtensionResolver
from strawberry.extensions.validation_cache import ValidationCache

from graphql import (
    SKIP,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    VisitorAction,
    get_named_type,
    is_introspection_type,
    parse,
)
from regsafe.core.settings import Environment
from regsafe.graphql.core.errors import BadUserInput
from regsafe.graphql.core.relay import DEFAULT_PAGE

# Documents up to this size (characters) are kept parsed; the clients' operations are a
# few KiB. Longer ones are parsed every time, so that the cache holds at most
# PARSED_DOCUMENTS × 32 KiB of query text whatever strangers send.
CACHED_DOCUMENT_CHARS = 32 * 1024
PARSED_DOCUMENTS = 512


@lru_cache(maxsize=PARSED_DOCUMENTS)
def _parse_cached(query: str, max_tokens: int | None) -> DocumentNode:
    # A document that fails to parse raises and is not cached.
    return parse(query, max_tokens=max_tokens)


class BoundedParserCache(SchemaExtension):
    """strawberry's ParserCache, for documents up to CACHED_DOCUMENT_CHARS: the same
    query text is parsed once (with the same token limit), an over-long one every time."""

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        query = ctx.query
        if query is not None and len(query) <= CACHED_DOCUMENT_CHARS:
            ctx.graphql_document = _parse_cached(query, ctx.parse_options.get("max_tokens"))
        yield


class CachedValidation(ValidationCache):
    """strawberry's ValidationCache, except where an earlier extension has already
    refused the document (StrictStrings' BAD_USER_INPUT): that verdict stands."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors:
            yield
            return
        yield from super().on_validate()


def cost_limit_rule(max_cost: int, max_page: int, max_node_ids: int) -> type[ValidationRule]:
    class CostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments: dict[str, FragmentDefinitionNode] = {
                d.name.value: d
                for d in context.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            cost = self._cost(node.selection_set, set())
            if cost > max_cost:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    GraphQLError(
                        f"查询代价{cost}超过上限{max_cost}（操作 {name}）；"
                        "请减小分页大小或嵌套层次",
                        node,
                        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": max_cost},
                    )
                )

        def _cost(self, sel: SelectionSetNode | None, seen: set[str]) -> int:
            if sel is None:
                return 0
            total = 0
            for s in sel.selections:
                if isinstance(s, FieldNode):
                    total += 1 + self._multiplier(s) * self._cost(s.selection_set, seen)
                elif isinstance(s, InlineFragmentNode):
                    total += self._cost(s.selection_set, seen)
                elif isinstance(s, FragmentSpreadNode):
                    name = s.name.value
                    frag = self.fragments.get(name)
                    if frag is not None and name not in seen:
                        total += self._cost(frag.selection_set, seen | {name})
            return total

        def _multiplier(self, field: FieldNode) -> int:
            for arg in field.arguments or ():
                if arg.name.value in ("first", "last"):
                    if isinstance(arg.value, IntValueNode):
                        return max(1, int(arg.value.value))
                    return max_page
                if arg.name.value == "ids" and field.name.value == "nodes":
                    # the root nodes(ids:): a list of n ids loads n objects, like a page
                    if isinstance(arg.value, ListValueNode):
                        return max(1, len(arg.value.values))
                    return max_node_ids if isinstance(arg.value, VariableNode) else 1
            if field.name.value in ("edges", "nodes"):
                return 1
            return 1 if field.selection_set is None else _list_default(field)

    return CostLimit


def _list_default(field: FieldNode) -> int:
    # Connection fields without explicit size return the default page.
    return DEFAULT_PAGE if _looks_like_connection(field) else 1


def _looks_like_connection(field: FieldNode) -> bool:
    sel = field.selection_set
    return sel is not None and any(
        isinstance(s, FieldNode) and s.name.value in ("edges", "pageInfo", "totalCount")
        for s in sel.selections
    )


class NodeIdsLimit(FieldExtension):
    """On ``nodes(ids:)``: more ids than ``max_node_ids`` is a BAD_USER_INPUT error with
    code TOO_MANY_IDS before any id is resolved (the cost rule cannot see the length of
    a variable)."""

    def _check(self, info: strawberry.Info, ids: list[Any]) -> None:
        cap = info.context.settings.max_node_ids
        if len(ids) > cap:
            raise BadUserInput(f"一次最多查询{cap}个ID（收到{len(ids)}个）", "TOO_MANY_IDS")

    def resolve(
        self, next_: SyncExtensionResolver, source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        self._check(info, kwargs["ids"])
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        self._check(info, kwargs["ids"])
        result = next_(source, info, **kwargs)
        return await result if inspect.isawaitable(result) else result


class NoIntrospection(ValidationRule):
    """graphql-core's ``NoSchemaIntrospectionCustomRule`` check (a field whose type is an
    introspection type), with a code, a message in the platform's language, and one
    error per ``__schema``/``__type`` rather than one per field below it. ``__typename``
    stays allowed (its type is String, not an introspection type)."""

    def enter_field(self, node: FieldNode, *_args: Any) -> VisitorAction:
        type_ = get_named_type(self.context.get_type())
        if type_ and is_introspection_type(type_):
            self.report_error(
                GraphQLError(
                    f"生产环境中匿名访问不能查询架构（字段 {node.name.value}），请先登录",
                    node,
                    extensions={"code": "INTROSPECTION_DISABLED"},
                )
            )
            return SKIP
        return None


class IntrospectionPolicy(SchemaExtension):
    """In production, ``__schema``/``__type`` need a signed-in viewer: the schema is
    published to the platform's own clients (schema.graphql), and anonymous probing gets
    no map of every field and argument. Other environments keep it open for GraphiQL and
    tooling. Added per request because the viewer is known only then."""

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context.context
        if ctx.settings.env == Environment.PROD and not ctx.viewer.is_authenticated:
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules,
                NoIntrospection,
            )
        yield
