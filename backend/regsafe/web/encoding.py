"""GraphQL response bodies encoded with orjson (several times faster than ``json``).

By the time a response reaches the encoder, graphql-core has serialised every scalar
(DateTime and Date to ISO strings, Decimal hours to floats, enums to names), and errors
are plain dicts of message, locations, path and extensions: only JSON types remain.
strawberry's default, ``json.dumps(data, separators=(",", ":"))``, and orjson then
produce the same document; the bytes differ only where JSON allows it: orjson writes
non-ASCII text as UTF-8 instead of ``\\uXXXX`` escapes and may spell a float's exponent
differently (``1e16`` for ``1e+16``). What orjson refuses (integers beyond 64 bits,
non-string keys, lone surrogates) falls back to ``json``, so no response that encoded
before fails now. tests/web/test_encoding.py pins this."""

from __future__ import annotations

import json

import orjson


def encode_json(data: object) -> bytes:
    try:
        return orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(data, separators=(",", ":")).encode()
