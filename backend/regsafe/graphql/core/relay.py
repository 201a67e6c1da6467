"""Relay connections over SQL with keyset pagination on the primary key.

Keyset (``id > after``) instead of OFFSET keeps every page an index range scan, however
deep the client pages. ``totalCount`` is a separate COUNT that runs only when asked for.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import Select, func
from sqlmodel import select
from sqlmodel.sql.expression import SelectOfScalar
from strawberry import relay

from regsafe.graphql.core.errors import BadUserInput

NodeT = TypeVar("NodeT")
ModelT = TypeVar("ModelT")
DEFAULT_PAGE = 20
_PREFIX = "cursor:v1:"


def encode_cursor(key: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{key}".encode()).decode()


# Primary keys are PostgreSQL bigints: anything outside is the client's mistake, and must
# not reach the database as an overflow error.
PK_MIN, PK_MAX = 1, 2**63 - 1


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if raw.startswith(_PREFIX):
            key = int(raw[len(_PREFIX) :])
            if PK_MIN - 1 <= key <= PK_MAX:
                return key
    except (ValueError, UnicodeDecodeError):
        pass
    raise BadUserInput("分页游标无效", "INVALID_CURSOR")


@strawberry.type(description="An item of a page, with the cursor to continue from it.")
class Edge(Generic[NodeT]):
    node: NodeT = strawberry.field(description="The item.")
    cursor: str = strawberry.field(description="Pass as after/before to continue from here.")


@strawberry.type(description="A page of results (Relay connection).")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page.")
    page_info: relay.PageInfo = strawberry.field(
        description="Cursors and whether more pages exist."
    )
    count_statement: strawberry.Private[Any]

    @strawberry.field(description="Number of items matching the filter, over all pages (总数).")
    async def total_count(self, info: strawberry.Info) -> int:
        return int(await info.context.one(self.count_statement))


@dataclass
class PageWindow:
    """One page's keyset window: the conditions, order and limit to add to a statement,
    and how to read its rows back (trim the look-ahead row, restore the order)."""

    size: int
    key: Any
    key_label: str
    after: int | None
    before: int | None
    backwards: bool
    more: bool = False  # set by finish: a row beyond the page exists

    def apply(self, stmt: Any) -> Any:
        if self.after is not None:
            stmt = stmt.where(self.key > self.after)
        if self.before is not None:
            stmt = stmt.where(self.key < self.before)
        order = self.key.desc() if self.backwards else self.key.asc()
        return stmt.order_by(order).limit(self.size + 1)

    def finish(self, rows: Sequence[Any]) -> list[Any]:
        page = list(rows[: self.size])
        if self.backwards:
            page.reverse()
        self.more = len(rows) > self.size
        return page

    def page_info(self, page: Sequence[Any]) -> dict[str, Any]:
        """PageInfo's fields by their GraphQL names (after ``finish``)."""
        more = self.more
        first = getattr(page[0], self.key_label) if page else None
        last = getattr(page[-1], self.key_label) if page else None
        return {
            "hasNextPage": more if not self.backwards else self.before is not None,
            "hasPreviousPage": more if self.backwards else self.after is not None,
            "startCursor": encode_cursor(first) if first is not None else None,
            "endCursor": encode_cursor(last) if last is not None else None,
        }


def page_window(
    max_page: int,
    *,
    key: Any,
    key_label: str = "id",
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageWindow:
    """Check the pagination arguments (typed errors) and build the window."""
    if first is not None and last is not None:
        raise BadUserInput("first 与 last 不能同时使用", "INVALID_PAGINATION")
    size = first if first is not None else last if last is not None else DEFAULT_PAGE
    if size < 0 or size > max_page:
        raise BadUserInput(f"每页数量应在0至{max_page}之间", "INVALID_PAGINATION")
    return PageWindow(
        size=size,
        key=key,
        key_label=key_label,
        after=decode_cursor(after) if after is not None else None,
        before=decode_cursor(before) if before is not None else None,
        backwards=last is not None,
    )


def count_statement(stmt: Any) -> Any:
    """totalCount: the rows of the filtered, scoped statement, without its order."""
    return select(func.count()).select_from(stmt.order_by(None).subquery())


async def paginate(
    info: strawberry.Info,
    stmt: SelectOfScalar[Any],
    *,
    key: Any,
    convert: Callable[[Any], NodeT],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[NodeT]:
    window = page_window(
        info.context.settings.max_page_size,
        key=key,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    count_stmt = count_statement(stmt)
    rows = window.finish(await info.context.rows(window.apply(stmt)))
    page = window.page_info(rows)
    edges = [Edge(node=convert(r), cursor=encode_cursor(r.id)) for r in rows]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page["hasNextPage"],
            has_previous_page=page["hasPreviousPage"],
            start_cursor=page["startCursor"],
            end_cursor=page["endCursor"],
        ),
        count_statement=count_stmt,
    )


# The one form of a key inside a global id: ASCII digits without sign, space, underscore
# or leading zero. int() alone also takes " 1", "+1", "01", "1_0" and full-width or other
# Unicode digits, so one row had many ids (and caches, audit lines and clients comparing
# ids disagreed about which object they named).
_CANONICAL_PK = re.compile(r"\A[1-9][0-9]*\Z")
_PK_DIGITS = len(str(PK_MAX))


def parse_pk(raw: str) -> int | None:
    """The primary key inside a node id, or None when it is not one in canonical form.
    Every id argument and ``node``/``nodes`` come here (directly or via ``node_pk``)."""
    if len(raw) > _PK_DIGITS or not _CANONICAL_PK.match(raw):
        return None
    pk = int(raw)
    return pk if PK_MIN <= pk <= PK_MAX else None


def node_pk(gid: relay.GlobalID | None, type_name: str) -> int | None:
    """The database id inside a global ID of the expected type, or None."""
    if gid is None or gid.type_name != type_name:
        return None
    return parse_pk(gid.node_id)


async def visible_nodes(
    info: strawberry.Info,
    node_ids: Iterable[str],
    model: Any,
    scope: Any,
    convert: Callable[[Any], NodeT],
    *,
    join: Sequence[tuple[Any, Any]] = (),
) -> list[NodeT | None]:
    """The one ``resolve_nodes``: load the rows of ``model`` with these ids under the
    domain's scope predicate (a SQL condition, or a ``select`` whose rows are the
    visible ones), in the requested order; None where missing or not visible."""
    node_ids = list(node_ids)
    ids = [parse_pk(n) for n in node_ids]
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return [None for _ in ids]
    pk = model.id
    if isinstance(scope, Select):
        stmt = scope.where(pk.in_(wanted))
    else:
        stmt = select(model)
        for target, on in join:
            stmt = stmt.join(target, on)
        stmt = stmt.where(pk.in_(wanted), scope)
    found = {r.id: r for r in await info.context.rows(stmt)}
    return [convert(found[i]) if i in found else None for i in ids]
