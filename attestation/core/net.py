"""The client's address, as far as it can be trusted."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """REMOTE_ADDR, unless it is one of our proxies (settings.TRUSTED_PROXIES): then the
    nearest address in X-Forwarded-For that is not one of ours. Read from the right: each
    proxy appends what it saw, so only the entries our own proxies added can be believed —
    anything further left was written by the client and may be forged."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    if not remote or not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # garbage in the chain: stop believing it, keep the last good address
        if not _trusted(hop):
            return hop
        remote = hop
    return remote
