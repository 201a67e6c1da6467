"""The client's address, the one function every rate limit and throttle asks.

A forwarded header is anyone's to write: it is read only when the direct peer is one of
``REGSAFE_TRUSTED_PROXIES``, and then from the right (the hop our nearest proxy saw)
leftwards past further trusted proxies, up to the first address that is not one. The
hops left of that were written by the client and are ignored. uvicorn runs with
``proxy_headers=False`` so the peer it reports is the real socket peer.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from starlette.requests import HTTPConnection

from regsafe.core.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

LOCAL = "local"  # no socket peer (in-process calls, a Unix socket)


@lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def _parse(hop: str) -> IPAddress | None:
    """An address from a header hop: ``1.2.3.4``, ``1.2.3.4:80``, ``[::1]:80``, ``"…"``."""
    hop = hop.strip().strip('"')
    if hop.startswith("["):
        hop = hop[1 : hop.find("]")] if "]" in hop else ""
    elif hop.count(":") == 1:
        hop = hop.partition(":")[0]
    try:
        ip = ipaddress.ip_address(hop)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _forwarded_for(values: Iterable[str]) -> list[str]:
    """The ``for=`` of each element of RFC 7239 ``Forwarded`` headers, in order."""
    hops: list[str] = []
    for value in values:
        for element in value.split(","):
            found = ""
            for pair in element.split(";"):
                name, _, param = pair.strip().partition("=")
                if name.lower() == "for":
                    found = param
            hops.append(found)
    return hops


def _hops(conn: HTTPConnection, header: str) -> list[str]:
    values = conn.headers.getlist(header)
    if header == "forwarded":
        return _forwarded_for(values)
    return [hop for value in values for hop in value.split(",")]


def client_address(conn: HTTPConnection | None, settings: Settings) -> str:
    """The address a request came from: the socket peer, or, when that is a trusted
    proxy, the right-most hop of its forwarded header that is not a trusted proxy."""
    if conn is None or conn.client is None:
        return LOCAL
    peer_text = conn.client.host
    peer = _parse(peer_text)
    trusted = _networks(tuple(settings.trusted_proxies))
    if peer is None or not any(peer in n for n in trusted):
        return str(peer) if peer is not None else peer_text
    hops = _hops(conn, settings.forwarded_header)
    for hop in reversed(hops):
        ip = _parse(hop)
        if ip is None:
            # what a trusted proxy wrote for its peer is no address ("unknown", an
            # obfuscated name): all such clients share the proxy's address
            return str(peer)
        if not any(ip in n for n in trusted):
            return str(ip)
    # every hop is a trusted proxy (or there are none): the farthest one is the client
    first = _parse(hops[0]) if hops else None
    return str(first or peer)


def address_bucket(address: str) -> str:
    """What one client controls: an IPv4 address, or an IPv6 /64 (one subscriber's
    prefix; single IPv6 addresses would give a client 2^64 fresh budgets)."""
    ip = _parse(address)
    if ip is None:
        return address[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)
