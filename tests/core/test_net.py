"""Which address a request comes from: forwarded headers only from trusted proxies,
read from the right."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from regsafe.core.net import LOCAL, address_bucket, client_address
from regsafe.core.settings import Settings


def _request(peer: str | None, **headers: str) -> Request:
    return Request(
        {
            "type": "http",
            "client": (peer, 5000) if peer else None,
            "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
        }
    )


def _settings(*proxies: str, header: str = "x-forwarded-for") -> Settings:
    return Settings.model_validate({"trusted_proxies": list(proxies), "forwarded_header": header})


@pytest.mark.parametrize(
    ("peer", "xff", "expected"),
    [
        ("203.0.113.7", "1.1.1.1", "203.0.113.7"),  # not a proxy of ours: header ignored
        ("10.0.0.5", "1.1.1.1", "1.1.1.1"),
        ("10.0.0.5", "9.9.9.9, 1.1.1.1, 10.2.2.2", "1.1.1.1"),  # right-most untrusted
        ("10.0.0.5", "10.3.3.3, 10.2.2.2", "10.3.3.3"),  # all ours: the farthest
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", "unknown", "10.0.0.5"),  # not an address: the proxy's
        ("10.0.0.5", "1.1.1.1:4711", "1.1.1.1"),
        ("::ffff:10.0.0.5", "::ffff:1.1.1.1", "1.1.1.1"),  # IPv4-mapped
    ],
)
def test_x_forwarded_for(peer: str, xff: str, expected: str) -> None:
    assert client_address(_request(peer, x_forwarded_for=xff), _settings("10.0.0.0/8")) == expected


def test_several_header_lines_are_one_list_and_no_proxy_is_trusted_by_default() -> None:
    request = Request(
        {
            "type": "http",
            "client": ("10.0.0.5", 1),
            "headers": [(b"x-forwarded-for", b"1.1.1.1"), (b"x-forwarded-for", b"2.2.2.2")],
        }
    )
    assert client_address(request, _settings("10.0.0.5")) == "2.2.2.2"
    assert client_address(request, Settings()) == "10.0.0.5"
    assert client_address(None, Settings()) == LOCAL
    assert client_address(_request(None), Settings()) == LOCAL


def test_rfc7239_forwarded_when_configured() -> None:
    settings = _settings("10.0.0.5", header="forwarded")
    header = 'for=1.1.1.1;proto=http, for="[2001:db8:cafe::17]:4711";by=10.0.0.5'
    req = _request("10.0.0.5", forwarded=header, x_forwarded_for="3.3.3.3")
    assert client_address(req, settings) == "2001:db8:cafe::17"
    # the header that is not configured is never read
    assert client_address(_request("10.0.0.5", x_forwarded_for="3.3.3.3"), settings) == "10.0.0.5"
    assert client_address(_request("10.0.0.5", forwarded="for=3.3.3.3"), _settings("10.0.0.5")) == (
        "10.0.0.5"
    )


def test_address_buckets() -> None:
    assert address_bucket("2001:db8::1") == address_bucket("2001:db8::ffff") == "2001:db8::/64"
    assert address_bucket("2001:db8:0:1::1") != address_bucket("2001:db8::1")
    assert address_bucket("::ffff:1.2.3.4") == "1.2.3.4" == address_bucket("1.2.3.4")


def test_a_malformed_proxy_setting_stops_the_start() -> None:
    with pytest.raises(ValueError, match=r"10\.0\.0\.300"):
        Settings(trusted_proxies="10.0.0.0/8,10.0.0.300")  # type: ignore[arg-type]
    assert Settings(trusted_proxies=" 10.0.0.0/8, ::1 ").trusted_proxies == [  # type: ignore[arg-type]
        "10.0.0.0/8",
        "::1",
    ]
