"""Which webhook URLs are allowed (server-side request forgery care).

Only http and https; in production only https, and no address that is
loopback, private, link-local, multicast or reserved (the host's names are
resolved and every address is checked) unless WEBHOOK_ALLOW_PRIVATE=true.
Outside production, http://127.0.0.1 and other local addresses are allowed
(tests, a receiver on the developer's machine). Checked when a subscription is
saved and again before each delivery (the name may point elsewhere since);
redirects are not followed.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class RefusedURL(ValueError):
    """A URL webhooks are not sent to; the message is French, for the desk."""


def _addresses(host: str) -> list[ipaddress._BaseAddress]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as error:
        raise RefusedURL(f"Le nom {host} est introuvable.") from error
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _private(address: ipaddress._BaseAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_url(url: str, *, production: bool, allow_private: bool = False, resolve: bool = True) -> str:
    """The URL, stripped, or `RefusedURL` saying why not."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedURL("L'adresse doit commencer par https:// et nommer un serveur.")
    if production and parts.scheme != "https":
        raise RefusedURL("En production, l'adresse doit commencer par https://.")
    if parts.username or parts.password:
        raise RefusedURL("L'adresse ne doit pas contenir d'identifiant ni de mot de passe.")
    if len(url) > 500:
        raise RefusedURL("L'adresse est trop longue.")
    if production and not allow_private and resolve:
        if any(_private(address) for address in _addresses(parts.hostname)):
            raise RefusedURL("Cette adresse mène à un réseau privé ou local : elle est refusée en production.")
    return url
