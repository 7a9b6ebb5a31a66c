"""Serve the practice's apps behind the login: /scheduler, /practice and /portal.

Part of the composition root: it wires the core (database, clock, use cases) to the Panel apps in
``dashboards`` and starts the background loops. This process is the only one holding the database
file: analysts read snapshots beside it.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import panel as pn

import dashboards.portal.app
import dashboards.practice.app
import dashboards.scheduler.app
from dashboards import auth, panel_internals
from thera_analytics.clock import Clock, system_clock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.errors import PermissionDenied, PracticeError
from thera_analytics.service import accounts
from thera_analytics.store.database import Database
from thera_app.reminder_task import start_reminder_loop, stop_reminder_loop
from thera_app.snapshots import start_snapshot_loop, stop_snapshot_loop

log = logging.getLogger(__name__)

AppFactory = Callable[[Database, Actor, Clock], Any]
"""What an app module's ``create_app`` is: (db, signed-in actor, clock) -> Panel object."""

COOKIE_SECRET_ENV = "THERA_COOKIE_SECRET"
TITLE = "Thera"


@dataclass(frozen=True)
class Route:
    """One served app: its path, its title, the app module, who may open it."""

    path: str
    title: str
    module: ModuleType  # its ``create_app`` builds the app, looked up for each session
    roles: frozenset[Role]

    @property
    def factory(self) -> AppFactory:
        return self.module.create_app


ROUTES: tuple[Route, ...] = (
    Route("/scheduler", "Scheduler", dashboards.scheduler.app,
          frozenset({Role.CLINICIAN, Role.MANAGER})),
    Route("/practice", "Practice", dashboards.practice.app, frozenset({Role.MANAGER})),
    Route("/portal", "Portal", dashboards.portal.app, frozenset({Role.CLIENT})),
)

HOME: dict[Role, str] = {
    Role.CLINICIAN: "/scheduler",
    Role.MANAGER: "/practice",
    Role.CLIENT: "/portal",
}


def current_actor(db: Database) -> Actor:
    """The actor of the user signed in to the current Panel session."""
    user = pn.state.user
    if not user or user == "guest":
        raise PermissionDenied("nobody is signed in")
    return accounts.actor_for(db, user)


def build_apps(db: Database, clock: Clock | None = None,
               routes: Iterable[Route] = ROUTES) -> dict[str, Callable[[], Any]]:
    """Map each route's path to a per-session function building its app for the signed-in user."""
    clock = clock or system_clock
    apps: dict[str, Callable[[], Any]] = {}
    for route in routes:
        apps[route.path] = _session_app(db, clock, route)
    return apps


def _session_app(db: Database, clock: Clock, route: Route) -> Callable[[], Any]:
    def app() -> Any:
        actor = current_actor(db)
        # The page request is checked by authorize_callback; a session can also be opened over
        # the websocket or autoload script, so the role is checked again where the app is built.
        if actor.role not in route.roles:
            raise PermissionDenied(f"{route.path}: a {actor.role.value} cannot open this app")
        if pn.state.curdoc is not None:
            panel_internals.send_changes_before_ready(pn.state.curdoc)
        return route.factory(db, actor, clock)

    app.__name__ = f"{route.title.lower()}_app"
    return app


def cookie_secret() -> str:
    """The secret signing the login cookies: from the environment, else a fresh one per start."""
    secret = os.environ.get(COOKIE_SECRET_ENV)
    if secret:
        return secret
    log.warning("%s is not set: using a random cookie secret, so everyone must sign in again "
                "after a restart", COOKIE_SECRET_ENV)
    return secrets.token_urlsafe(32)


def _websocket_origins(address: str, port: int, extra: Iterable[str]) -> list[str]:
    """The hosts a page may open the websocket from; with port 0 (chosen when bound) any port
    of these hosts (Bokeh matches a host without a port on every port)."""
    hosts = ["localhost", "127.0.0.1"]
    if address not in ("", "0.0.0.0", *hosts):
        hosts.append(address)
    return [f"{h}:{port}" if port else h for h in hosts] + list(extra)


# server object id -> (Panel server id, database), so ``stop`` can release the file.
_served: dict[int, tuple[str, Database]] = {}
_served_lock = threading.Lock()


def serve(
    db_path: str | Path,
    *,
    port: int = 0,
    address: str = "127.0.0.1",
    show: bool = False,
    threaded: bool = False,
    clock: Clock | None = None,
    start: bool = True,
    websocket_origin: Iterable[str] = (),
    routes: Iterable[Route] = ROUTES,
    home: Mapping[Role, str] = HOME,
    reminders: bool = True,
    processes: int = 1,
    announce: Callable[[int], None] | None = None,
) -> Any:
    """Open the practice database in this process and serve the apps behind the login.

    With ``processes`` > 1 (a PostgreSQL practice only) the server forks that many processes
    after binding the port; they share it, and this process stays behind as their supervisor,
    starting a new one if one dies, and runs the reminder and snapshot loops for all of them.
    Every process must sign cookies with the same secret: this one makes it before forking.

    ``announce`` is called with the port bound once the server listens (``port=0``: the system
    chooses). Returns the Bokeh/Panel server (``server.port`` is the port bound). With
    ``threaded=True`` the server runs on its own thread and this returns once it listens; stop
    it with ``stop``.
    Without it and with ``start=True`` this blocks until the server stops. With ``reminders``
    a background loop sends due reminders every minute while the server runs.
    """
    routes = tuple(routes)
    if processes > 1 and not str(db_path).startswith(("postgresql://", "postgres://")):
        raise PracticeError(
            "processes: a DuckDB file is held by one process; serve a PostgreSQL practice "
            "(--db postgresql://...) to run several, or move it there with `thera move`")
    if processes > 1 and threaded:
        raise PracticeError("processes: several processes are served in the foreground only")
    db = Database(db_path)
    try:
        db.zone  # noqa: B018  -- fails clearly when the file has no practice yet
        clock = clock or system_clock
        auth.configure(db, clock=clock, access={r.path: r.roles for r in routes}, home=home)
        panel_internals.set_session_days(auth.SESSION_DAYS)
        pn.config.authorize_callback = auth.authorize
        apps = build_apps(db, clock, routes)
        if reminders:
            start_reminder_loop(db, clock)
        start_snapshot_loop(db)  # analysts read this copy while we hold the file
        server_id = uuid.uuid4().hex
        kwargs: dict[str, Any] = dict(
            port=port, address=address, show=show, threaded=threaded, start=threaded,
            title={r.path: f"{r.title} · {TITLE}" for r in routes},
            auth_provider=auth.PracticeAuthProvider(), cookie_secret=cookie_secret(),
            websocket_origin=_websocket_origins(address, port, websocket_origin),
            server_id=server_id, verbose=False,
        )
        if processes > 1:
            kwargs["num_procs"] = processes
        # Port 0: the server binds a port the system chooses and reports it (no port is
        # picked first and bound again later, which another process could take between).
        if threaded:
            pn.serve(apps, **kwargs)
            server = panel_internals.wait_for_server(server_id)
        else:
            server = pn.serve(apps, **kwargs)
        log.info("serving %s at http://%s:%s/", db_path, address, server.port)
        if announce is not None:
            announce(server.port)  # the port bound, also when port 0 let the system choose
        if start and not threaded:
            server.start()
            server.io_loop.start()  # blocks until the loop stops
            _release(db)
            return server
    except BaseException:
        _release(db)
        raise
    with _served_lock:
        _served[id(server)] = (server_id, db)
    return server


def stop(server: Any, timeout: float = 10.0) -> None:
    """Stop a server started by ``serve`` and release the database file."""
    with _served_lock:
        entry = _served.pop(id(server), None)
    if entry is None:
        return
    server_id, db = entry
    panel_internals.stop_server(server_id, server, timeout)
    _release(db)


def _release(db: Database) -> None:
    stop_reminder_loop(db)
    stop_snapshot_loop(db)
    if auth._registry is not None and auth._registry.db is db:
        auth.unconfigure()
        if pn.config.authorize_callback is auth.authorize:
            pn.config.authorize_callback = None
    db.close()


def main(argv: list[str] | None = None) -> None:
    """``python -m thera_app.server PRACTICE.duckdb``: serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m thera_app.server", description=main.__doc__)
    parser.add_argument("db_path")
    parser.add_argument("--port", type=int, default=5006)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    serve(args.db_path, port=args.port, address=args.address, show=args.show)


if __name__ == "__main__":
    main()
