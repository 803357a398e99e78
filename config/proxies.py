"""The address a request came from, as the sign-in lockout and the API's rate limits count it.

``X-Forwarded-For`` is the client's own word unless a proxy we trust wrote
it, so it is read only when the connecting address is one of
``settings.TRUSTED_PROXIES`` (addresses or networks); then the right-most
address that is not a trusted proxy is the client. With no trusted proxy
(the default) the connecting address, ``REMOTE_ADDR``, is the answer.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _ip(address: str):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def client_address(request) -> str:
    """Return the client's address: ``REMOTE_ADDR``, or what trusted proxies forwarded."""
    address = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    hop = _ip(address)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    # Walk back from the connecting address while each hop is a proxy we trust.
    while hop is not None and any(hop in network for network in networks) and forwarded:
        hop = _ip(forwarded.pop())
    # A hop that is not an address (a proxy passing garbage on) is nobody's: count the connection instead.
    return str(hop) if hop is not None else address
