"""Gunicorn, embedded: how the desk and the web page are served in `make run`, compose,
Kubernetes and the images (`python -m bot serve desk|web`).

Werkzeug's server is a development server (one process, no worker restarts, no
timeouts); gunicorn runs a few worker processes with threads, restarts a worker
that hangs and stops gracefully on SIGTERM. It is started from here rather than
from its own command line so that the address comes from the settings (DESK_PORT,
WEB_PORT) like every other process. Operators tune it with gunicorn's own
`GUNICORN_CMD_ARGS` (e.g. `--workers 4`) and `FORWARDED_ALLOW_IPS`; the defaults are
gunicorn's, but for the worker model below. Each worker builds its own app (no
preload), so no database connection is shared across a fork.
"""

from __future__ import annotations

from typing import Callable

# A structure's team on the desk, residents' browsers fetching a few static files:
# two processes of four threads each (gthread) serve both without a queue.
DEFAULT_OPTIONS = {
    "worker_class": "gthread",
    "workers": 2,
    "threads": 4,
    "graceful_timeout": 10,
    # gunicorn 27's control socket is one file per user ($HOME/.gunicorn/gunicorn.ctl): the desk
    # and the web page would fight over it, and a read-only container has no such home.
    "control_socket_disable": True,
}


def gunicorn_options(host: str, port: int, name: str) -> dict:
    return {**DEFAULT_OPTIONS, "bind": [f"{host}:{port}"], "proc_name": f"aidenum-{name}"}


def serve_wsgi(factory: Callable, host: str, port: int, name: str) -> int:
    """Serve the app that `factory()` builds (in each worker) with gunicorn, until SIGTERM or SIGINT."""
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(host, port, name)

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            # GUNICORN_CMD_ARGS wins, as it does for gunicorn's own command line.
            env_args = self.cfg.parser().parse_args(self.cfg.get_cmd_args_from_env())
            for key, value in vars(env_args).items():
                if value is not None and key != "args":
                    self.cfg.set(key.lower(), value)

        def load(self):
            return factory()

    Server(prog=f"python -m bot serve {name}").run()
    return 0
