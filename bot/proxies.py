"""The client's real address behind the reverse proxies we run (Caddy, an ingress).

Behind a proxy every request comes from the proxy's address, so a limit per
address (the desk's login limit) would see one user only. Werkzeug's ProxyFix
takes the address from X-Forwarded-For, trusting exactly TRUSTED_PROXIES hops:
0 (a developer's machine, nothing in front: the header is ignored, since
anyone can send it), 1 behind Caddy in compose or one ingress in Kubernetes.
Only the address is taken; the scheme and host stay what the proxy sent.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask, count: int) -> Flask:
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=0, x_host=0, x_port=0, x_prefix=0)
    return app
