"""The action server (`python -m bot serve actions`): rasa-sdk's app, behind a shared token.

A tracker posted to the action server is believed as it is: whoever can post
one can read a resident's appointment or cancel it. So only Rasa may call it:
it listens on 127.0.0.1 on a developer's machine (LISTEN_HOST), on an internal
network in compose and behind a NetworkPolicy in Kubernetes, and every call
to `/webhook` and `/actions` must carry `Authorization: Bearer
<ACTION_SERVER_TOKEN>`, which Rasa 3.6 sends from `bot/endpoints.yml`
(`action_endpoint.headers`; its EndpointConfig adds them to every request).
Without the token: 401, and no action runs. `/health` stays open for probes.
With no token configured (a developer's machine only: production refuses to
start without one), calls are not checked.
"""

from __future__ import annotations

import hmac
import logging

from sanic import Sanic, response
from sanic.request import Request

log = logging.getLogger(__name__)

PROTECTED = ("/webhook", "/actions")


def token_ok(request: Request, token: str) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def require_token(app: Sanic, token: str) -> None:
    """Refuse every call of PROTECTED paths without `Authorization: Bearer <token>`."""
    if not token:
        return

    @app.middleware("request")
    async def _check_token(request: Request):
        if request.path.rstrip("/") in PROTECTED and not token_ok(request, token):
            log.warning("action server: call to %s without the shared token refused", request.path)
            return response.json({"error": "unauthorized"}, status=401)
        return None


def create_app(token: str) -> Sanic:
    from rasa_sdk.endpoint import create_app as sdk_app

    app = sdk_app("actions", cors_origins=None)
    require_token(app, token)
    return app


def serve(host: str, port: int, token: str) -> None:
    """What rasa_sdk's own `run` does, on our host and with the token check."""
    from rasa_sdk import utils
    from rasa_sdk.plugin import plugin_manager

    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = create_app(token)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    # rasa_sdk's own wording, which operators and the tests look for.
    log.info(
        "Action endpoint is up and running on http://%s:%s (token %s)", host, port, "checked" if token else "not set"
    )
    app.run(host, port, workers=utils.number_of_sanic_workers())
