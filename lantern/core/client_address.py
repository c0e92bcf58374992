"""The client's address behind load balancers and TLS proxies (``LANTERN_TRUSTED_PROXIES``).

A proxy appends the address it received the request from to ``X-Forwarded-For``; the client can put
anything in the header before that. So the header is read from the right, and only as far as it was
written by proxies Lantern trusts:

* unset or empty (the default): no proxy is trusted; the address is the connection's (``REMOTE_ADDR``)
  and ``X-Forwarded-For`` is ignored;
* a number, ``N``: the application server is reachable only through ``N`` proxies in a row; the client
  is the ``N``-th address from the right of (``X-Forwarded-For`` + the connection's address);
* addresses and networks, comma-separated (``10.0.0.0/8, 127.0.0.1``): a request whose connection comes
  from anywhere else has its header ignored; otherwise the header is read from the right, skipping the
  trusted addresses, and the first address not trusted is the client.

``ClientAddressMiddleware`` puts the answer in ``REMOTE_ADDR`` before anything reads it: Django's
request, the failed sign-in log, the wrong-code log, and gunicorn's access log (which formats ``%(h)s``
from the same WSGI environ once the response is sent). The connection's own address is kept in
``LANTERN_PEER_ADDR``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:  # settings.py imports this module: nothing of Django's request machinery at run time
    from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class TrustedProxies:
    hops: int = 0
    networks: tuple[Network, ...] = ()

    def trusts(self, address: str) -> bool:
        parsed = _ip(address)
        return parsed is not None and any(parsed in network for network in self.networks)


def trusted_proxies_parse(value: str) -> TrustedProxies:
    """``LANTERN_TRUSTED_PROXIES`` read; anything else than a count or addresses is refused by name."""
    value = value.strip()
    if not value:
        return TrustedProxies()
    if value.isdigit():
        return TrustedProxies(hops=int(value))
    networks = []
    for part in (p.strip() for p in value.split(",")):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"LANTERN_TRUSTED_PROXIES: {part!r} is not an IP address or network; give a number of "
                "proxies (such as 1) or addresses and networks separated by commas (such as 10.0.0.0/8)"
            ) from None
    return TrustedProxies(networks=tuple(networks))


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(peer: str, forwarded_for: str, trusted: TrustedProxies) -> str:
    """The client's address, from the connection's address and the ``X-Forwarded-For`` header."""
    if not forwarded_for or not (trusted.hops or trusted.networks):
        return peer
    chain = [part.strip() for part in forwarded_for.split(",")] + [peer]
    if trusted.hops:
        # Each of the ``hops`` proxies appended one address: the client's is the one the first wrote.
        index = max(len(chain) - 1 - trusted.hops, 0)
        found = _ip(chain[index])
        return str(found) if found is not None else peer
    if not trusted.trusts(peer):
        return peer  # not from a trusted proxy: the header is the client's to write, so ignored
    last_trusted = peer
    for hop in reversed(chain[:-1]):
        found = _ip(hop)
        if found is None:
            return last_trusted  # not an address: nothing to its left can be believed
        if not trusted.trusts(hop):
            return str(found)
        last_trusted = str(found)
    return last_trusted


class ClientAddressMiddleware:
    """``REMOTE_ADDR`` becomes the client's address, by ``LANTERN_TRUSTED_PROXIES`` (first in the list)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = trusted_proxies_parse(settings.LANTERN_TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = str(request.META.get("REMOTE_ADDR", ""))
        request.META["LANTERN_PEER_ADDR"] = peer
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        request.META["REMOTE_ADDR"] = client_address(peer, forwarded, self.trusted)
        return self.get_response(request)
