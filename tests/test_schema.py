"""schema.graphql at the root is generated from the code; drift fails the build."""

from pathlib import Path

from regsafe.graphql.schema import schema_sdl

ROOT = Path(__file__).resolve().parents[1]


def test_checked_in_schema_matches_the_code() -> None:
    checked_in = (ROOT / "schema.graphql").read_text()
    assert checked_in == schema_sdl(), (
        "schema.graphql is stale: run `.venv/bin/regsafe export-schema` and commit it"
    )


def test_every_type_and_field_is_described() -> None:
    from regsafe.core.settings import Settings
    from regsafe.graphql.schema import build_schema

    schema = build_schema(Settings())._schema
    missing = []
    for name, t in schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Boolean", "ID", "Float"):
            continue
        if not t.description:
            missing.append(name)
        for field_name, field in (getattr(t, "fields", None) or {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
    assert missing == [], f"types without description: {missing}"
