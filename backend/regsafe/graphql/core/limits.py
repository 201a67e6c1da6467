"""Static cost analysis: rejects an operation before any resolver runs when its
estimated cost is over the limit. Each field costs 1; a field with ``first``/``last``
multiplies the cost of everything below it by that page size (variables count at the
maximum page size, since they are not known at validation time)."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from regsafe.graphql.core.relay import DEFAULT_PAGE


def cost_limit_rule(max_cost: int, max_page: int) -> type[ValidationRule]:
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
