"""Compiled reads: a hot root field answered from one SQL statement's rows, shaped into
the response directly, instead of one resolver call per field per row.

graphql-core completes every field of every object on its own (resolve info, resolver
wrapper, awaitable checks, serialisation): for a page of 50 engineers with their
employer that is ~600 field completions and most of the request's CPU. PostGraphile and
Hasura compile the selection instead; this module does the same for the fields that
register a plan, behind the same typed schema:

- the executor asks the plan first; a plan answers None when the selection holds
  anything it does not know (then the field runs through the resolvers as always), so a
  compiled field never answers differently, only faster;
- arguments are converted by strawberry and the field's own permission classes are
  called, exactly as its resolver would be; scopes are the domain's SQL scopes;
- every object field a plan shapes is checked, when the plan is built, to be a plain
  attribute without field extensions or a resolver the plan names as reproduced, so a
  rule added later to such a field disables the plan for it instead of being skipped.

``REGSAFE_COMPILED_READS=false`` turns the plans off (tests compare both paths).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql.execution.collect_fields import FieldDetails
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.permission import PermissionExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
)
from regsafe.graphql.core.errors import Forbidden

FieldDetailsList = list[FieldDetails]
Row = Any  # a SQLAlchemy Row: attribute access by label
Getter = Callable[[Row], Any]


class NotCompilable(Exception):
    """The selection holds something the plan does not shape: run the resolvers."""


@dataclass
class FieldRun:
    """One root field about to be executed, as a plan sees it."""

    executor: CompilingExecutor
    parent_type: GraphQLObjectType
    field_def: GraphQLField
    field_details: FieldDetailsList
    path: Path
    info: GraphQLResolveInfo[Any]

    @property
    def context(self) -> Any:
        return self.info.context

    def raw_arguments(self) -> dict[str, Any]:
        """The arguments as graphql-core coerces them (GraphQL names, inputs as dicts)."""
        first = self.field_details[0]
        return get_argument_values(
            self.field_def,
            first.node,
            self.executor.variable_values,
            first.fragment_variable_values,
            self.executor.hide_suggestions,
        )

    def arguments(self) -> dict[str, Any]:
        """The arguments as the resolver receives them (strawberry's conversion: input
        objects as their Python classes, Python names). Raises what the resolver's
        argument handling would raise."""
        raw = self.raw_arguments()
        field = _strawberry_field(self.field_def)
        strawberry_schema = self.executor.schema._strawberry_schema  # type: ignore[attr-defined]
        return convert_arguments(
            raw,
            field.arguments,
            scalar_registry=strawberry_schema.schema_converter.scalar_registry,
            config=strawberry_schema.config,
        )

    def check_permissions(self) -> None:
        """The field's own permission classes (``requires(...)``), called as strawberry's
        PermissionExtension calls them; they raise NotAuthenticated / Forbidden."""
        field = _strawberry_field(self.field_def)
        strawberry_schema = self.executor.schema._strawberry_schema  # type: ignore[attr-defined]
        info = strawberry_schema.config.info_class(_raw_info=self.info, _field=field)
        for extension in field.extensions:
            if isinstance(extension, PermissionExtension):
                for permission in extension.permissions:
                    if not permission.has_permission(None, info):
                        raise Forbidden(permission.message or "当前角色无权执行此操作")

    def subfields(self, type_name: str, details: FieldDetailsList) -> dict[str, FieldDetailsList]:
        """Response key → field nodes of the selection on ``type_name`` (fragments,
        aliases and @include/@skip applied by graphql-core's own collection)."""
        object_type = self.executor.schema.get_type(type_name)
        assert isinstance(object_type, GraphQLObjectType)
        collected = self.executor.collect_subfields(object_type, details)
        if collected.new_defer_usages:
            raise NotCompilable("@defer")
        return dict(collected.grouped_field_set)


Plan = Callable[[FieldRun], Awaitable[Any] | None]


class CompilingExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's graphql-core executor with compiled plans for root fields (see the module)."""

    plans: Mapping[tuple[str, str], Plan] = {}

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        plan = self.plans.get((parent_type.name, field_details_list[0].node.name.value))
        if plan is not None and self.context_value.settings.compiled_reads:
            field_def = self.schema.get_field(parent_type, field_details_list[0].node.name.value)
            if field_def is not None:
                info = self.build_resolve_info(
                    field_def, [d.node for d in field_details_list], parent_type, path
                )
                run = FieldRun(self, parent_type, field_def, field_details_list, path, info)
                try:
                    answer = plan(run)
                except NotCompilable:
                    answer = None
                if answer is not None:
                    return self._settle(answer, field_def, field_details_list, path)
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    async def _settle(
        self,
        answer: Awaitable[Any],
        field_def: GraphQLField,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        # The same error handling as a resolver's: a raised error becomes a located
        # GraphQL error at this path (and nulls the parent for a non-null field).
        try:
            return await answer
        except Exception as raw_error:
            self.handle_field_error(raw_error, field_def.type, field_details_list, path)
            return None


def _strawberry_field(field_def: GraphQLField) -> StrawberryField:
    field = (field_def.extensions or {}).get("strawberry-definition")
    assert isinstance(field, StrawberryField), field_def
    return field


# --- shaping rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """A scalar or enum field read from one label of the row."""

    label: str
    convert: Callable[[Any], Any] | None = None  # DB value → the field's Python value


@dataclass(frozen=True)
class Derived:
    """A field computed from the row by a function the plan names (a reproduced
    resolver, e.g. a masked ID number); ``resolver`` is the Python name of the resolver
    it reproduces, checked when the shape is built."""

    compute: Callable[[Row, Any], Any]  # (row, context) → the field's Python value
    resolver: str


@dataclass(frozen=True)
class Nested:
    """An object field from labels of the same row; null when ``present`` is null."""

    type_name: str
    present: str
    fields: Mapping[str, Leaf | Derived | Nested]  # nothing batched or resolved inside


@dataclass(frozen=True)
class Batched:
    """An object field answered for the whole page at once: ``batch(context, sources)``
    is the function its resolver calls with a page of one (``resolver`` names that
    resolver, checked), so both paths share one implementation and its rules. The
    objects it returns are shaped like any strawberry object (``compile_generic``)."""

    batch: Callable[[Any, list[Any]], Awaitable[list[Any]]]
    resolver: str


Field = Leaf | Derived | Nested | Batched


@dataclass(frozen=True)
class Shape:
    """An object type's compiled fields: GraphQL field name → how to read it; any other
    field is answered by its resolver on ``source(row)`` (the object the resolvers
    would have had), if a source is given."""

    type_name: str
    fields: Mapping[str, Field]
    source: Callable[[Row], Any] | None = None

    def check(self, schema: GraphQLSchema) -> None:
        """Refuse to shape a field that has a rule of its own (see the module)."""
        _check_fields(schema, self.type_name, self.fields)


def _check_fields(schema: GraphQLSchema, type_name: str, fields: Mapping[str, Field]) -> None:
    object_type = schema.get_type(type_name)
    assert isinstance(object_type, GraphQLObjectType), type_name
    for name, how in fields.items():
        field = _strawberry_field(object_type.fields[name])
        if field.extensions:
            raise AssertionError(f"{type_name}.{name} has field extensions: not compilable")
        resolver = field.base_resolver
        if isinstance(how, Derived | Batched):
            if resolver is None or resolver.name != how.resolver:
                raise AssertionError(f"{type_name}.{name} is not resolved by {how.resolver}")
        elif isinstance(how, Nested):
            if resolver is None:
                raise AssertionError(f"{type_name}.{name}: a nested shape needs a resolver")
            _check_fields(schema, how.type_name, how.fields)
        elif resolver is not None and name != "id":
            raise AssertionError(f"{type_name}.{name} has a resolver; use Derived")


def _serializer(output_type: Any) -> Callable[[Any], Any]:
    nullable = not isinstance(output_type, GraphQLNonNull)
    named = output_type if nullable else output_type.of_type
    if isinstance(named, GraphQLList):
        raise NotCompilable("list field")
    assert isinstance(named, GraphQLScalarType | GraphQLEnumType), named
    serialize = named.serialize

    def run(value: Any) -> Any:
        if value is None:
            if not nullable:  # a NOT NULL column: cannot happen short of a schema bug
                raise TypeError(f"Cannot return null for non-nullable field of {named}.")
            return None
        return serialize(value)

    return run


class Later:
    """What a shaped page still owes: batched fields (one ``batch`` call each for the
    page) and fields left to their resolvers (awaitables, gathered together so their
    dataloaders batch across the page as they do without a plan)."""

    def __init__(self) -> None:
        self.awaitables: list[tuple[dict[str, Any], str, Awaitable[Any]]] = []
        self.batches: dict[
            int, tuple[Batched, ObjectShaper, list[tuple[dict[str, Any], str, Any, Path]]]
        ] = {}

    def resolve(self, out: dict[str, Any], key: str, value: Any, is_awaitable: Any) -> None:
        out[key] = value
        if is_awaitable(value):
            self.awaitables.append((out, key, value))

    async def settle(self, context: Any) -> None:
        while self.batches:
            batches, self.batches = self.batches, {}
            for how, shaper, items in batches.values():
                values = await how.batch(context, [source for _, _, source, _ in items])
                for (out, key, _, path), value in zip(items, values, strict=True):
                    out[key] = None if value is None else shaper(value, path, self)
        if self.awaitables:
            pending, self.awaitables = self.awaitables, []
            values = await gather_with_cancel(*(awaitable for _, _, awaitable in pending))
            for (out, key, _), value in zip(pending, values, strict=True):
                out[key] = value


ObjectShaper = Callable[[Any, Path, Later], dict[str, Any]]


@dataclass(frozen=True)
class Compiled:
    """A compiled selection of one object type: ``shape(row, path, later)`` returns the
    response dict (what is owed goes to ``later``). ``needs_source``: the plan must load
    the object ``Shape.source`` builds (the ORM row), for resolvers and batches."""

    shape: Callable[[Row, Path, Later], dict[str, Any]]
    needs_source: bool


def compile_object(run: FieldRun, shape: Shape | Nested, details: FieldDetailsList) -> Compiled:
    """Compile the selection in ``details`` on ``shape``'s type. A field the shape does
    not know goes to its resolver on the object ``Shape.source`` builds; without a
    source (nested shapes) it makes the selection NotCompilable."""
    executor = run.executor
    object_type = executor.schema.get_type(shape.type_name)
    assert isinstance(object_type, GraphQLObjectType)
    type_name = shape.type_name
    source = shape.source if isinstance(shape, Shape) else None
    # (key, getter of the row | None for its resolver, field nodes, batched field + shaper)
    steps: list[tuple[str, Getter | None, FieldDetailsList, tuple[Batched, ObjectShaper] | None]]
    steps = []
    nested_source = False
    context = run.context
    for key, sub in run.subfields(type_name, details).items():
        name = sub[0].node.name.value
        how = shape.fields.get(name)
        if name == "__typename":
            steps.append((key, _constant(type_name), sub, None))
        elif how is None or sub[0].node.arguments or isinstance(how, Batched):
            if source is None:
                raise NotCompilable(f"{type_name}.{name}")
            batched = None
            if isinstance(how, Batched) and not sub[0].node.arguments:
                target = _named(object_type.fields[name].type)
                batched = (how, compile_generic(run, target.name, sub))
            steps.append((key, None, sub, batched))
        elif isinstance(how, Nested):
            inner = compile_object(run, how, sub)
            nested_source = nested_source or inner.needs_source
            steps.append((key, _nested(how.present, inner), sub, None))
        elif isinstance(how, Derived):
            field_type = object_type.fields[name].type
            steps.append((key, _derived(how.compute, context, _serializer(field_type)), sub, None))
        else:
            steps.append((key, _leaf(how, _serializer(object_type.fields[name].type)), sub, None))
    if all(get is not None for _, get, _, _ in steps):
        plain = [(key, get) for key, get, _, _ in steps if get is not None]

        def shape_plain(row: Row, path: Path, later: Later) -> dict[str, Any]:
            return {key: get(row) for key, get in plain}

        return Compiled(shape_plain, nested_source)
    assert source is not None
    is_awaitable = executor.is_awaitable

    def shape_row(row: Row, path: Path, later: Later) -> dict[str, Any]:
        out: dict[str, Any] = {}
        obj = source(row)
        for key, get, sub, batched in steps:
            if get is not None:
                out[key] = get(row)
            elif batched is not None:
                how, shaper = batched
                out[key] = None  # filled in by later.settle, in this key's place
                # one entry per step: aliases of a field may select different subfields
                entry = later.batches.setdefault(id(batched), (how, shaper, []))
                entry[2].append((out, key, obj, path.add_key(key, type_name)))
            else:
                value = executor.execute_field(
                    object_type, obj, sub, path.add_key(key, type_name), None
                )
                if value is not Undefined:
                    later.resolve(out, key, value, is_awaitable)
        return out

    return Compiled(shape_row, True)


def compile_generic(run: FieldRun, type_name: str, details: FieldDetailsList) -> ObjectShaper:
    """Shape any strawberry object of this type for the selection in ``details``: plain
    attributes (strawberry's basic fields: no resolver, no extensions) of scalar or enum
    type are read directly; every other field goes to its resolver, as graphql-core
    would run it."""
    executor = run.executor
    object_type = executor.schema.get_type(type_name)
    if not isinstance(object_type, GraphQLObjectType):
        raise NotCompilable(f"{type_name} is abstract")
    steps: list[tuple[str, str | None, Callable[[Any], Any] | None, FieldDetailsList]] = []
    for key, sub in run.subfields(type_name, details).items():
        name = sub[0].node.name.value
        if name == "__typename":
            steps.append((key, None, _constant_value(type_name), sub))
            continue
        field_def = object_type.fields[name]
        field = _strawberry_field(field_def)
        named = _named(field_def.type)
        plain = field.base_resolver is None and not field.extensions and not sub[0].node.arguments
        if plain and isinstance(named, GraphQLScalarType | GraphQLEnumType):
            steps.append((key, field.python_name, _serializer(field_def.type), sub))
        else:
            steps.append((key, None, None, sub))
    is_awaitable = executor.is_awaitable

    def shape(obj: Any, path: Path, later: Later) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, attribute, serialize, sub in steps:
            if serialize is not None:
                out[key] = serialize(getattr(obj, attribute) if attribute else None)
                continue
            value = executor.execute_field(
                object_type, obj, sub, path.add_key(key, type_name), None
            )
            if value is not Undefined:
                later.resolve(out, key, value, is_awaitable)
        return out

    return shape


def _named(output_type: Any) -> Any:
    while isinstance(output_type, GraphQLNonNull | GraphQLList):
        output_type = output_type.of_type
    return output_type


def _constant_value(value: str) -> Callable[[Any], Any]:
    return lambda _none: value


def _constant(value: str) -> Getter:
    return lambda _row: value


def _leaf(leaf: Leaf, serialize: Callable[[Any], Any]) -> Getter:
    label, convert = leaf.label, leaf.convert
    if convert is None:
        return lambda row: serialize(getattr(row, label))

    def get(row: Row) -> Any:
        value = getattr(row, label)
        return serialize(None if value is None else convert(value))

    return get


def _derived(
    compute: Callable[[Row, Any], Any], context: Any, serialize: Callable[[Any], Any]
) -> Getter:
    return lambda row: serialize(compute(row, context))


def _nested(present: str, inner: Compiled) -> Getter:
    # Nested shapes have no source, so nothing of theirs is owed for later.
    shape = inner.shape
    return lambda row: None if getattr(row, present) is None else shape(row, _NO_PATH, Later())


_NO_PATH = Path(None, "", None)
