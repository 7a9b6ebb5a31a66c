"""Sign-in against the practice's own user table, and which role may open which app.

Panel instantiates the login handlers itself, so they reach the database through a module-level
registry that ``thera_app.server`` fills with ``configure(db, ...)`` before serving.
"""

from __future__ import annotations

import json
import logging
import math
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
from panel.auth import BasicAuthProvider, BasicLoginHandler, LogoutHandler
from panel.config import config
from panel.io.state import state
from panel.util import base64url_encode
from tornado.ioloop import IOLoop
from tornado.web import RequestHandler

from dashboards import panel_internals
from thera_analytics.clock import Clock, system_clock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.errors import NotFoundError
from thera_analytics.domain.sign_in import SignInLimits
from thera_analytics.service import accounts, sign_in_limits
from thera_analytics.store.database import Database

log = logging.getLogger(__name__)

SESSION_DAYS = 0.5
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
# Longer input is refused before hashing, so nobody can make the server hash megabytes.
MAX_INPUT = 1024

WRONG_PASSWORD = "Wrong user name or password."
MISSING_INPUT = "Enter your user name and password."
SIGNED_OUT = "You have signed out."

TEMPLATES = Path(__file__).parent / "templates"
_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
)

# Which roles may open each app, and where each role lands after signing in. server.py
# replaces both from its route table through ``configure``.
DEFAULT_ACCESS: dict[str, frozenset[Role]] = {
    "/scheduler": frozenset({Role.CLINICIAN, Role.MANAGER}),
    "/practice": frozenset({Role.MANAGER}),
    "/portal": frozenset({Role.CLIENT}),
}
DEFAULT_HOME: dict[Role, str] = {
    Role.CLINICIAN: "/scheduler",
    Role.MANAGER: "/practice",
    Role.CLIENT: "/portal",
}


class LoginLimiter:
    """Pause a user name for ``lockout`` after ``max_failures`` wrong passwords in ``window``.

    Counted per user name (known or not, so refusals do not reveal who exists) in the practice's
    database, so that every server process of a practice counts the same tries.
    """

    def __init__(self, db: Database, max_failures: int = MAX_FAILURES,
                 window: timedelta = FAILURE_WINDOW, lockout: timedelta = LOCKOUT) -> None:
        self.db = db
        self.limits = SignInLimits(max_failures, window, lockout)

    def refused_for(self, username: str, now: datetime) -> timedelta | None:
        """How much longer ``username`` is locked out, or None if it may try."""
        return sign_in_limits.paused_for(self.db, username, now)

    def failed(self, username: str, now: datetime) -> bool:
        """Record a wrong password; True if this failure locks the name out."""
        return sign_in_limits.failed(self.db, username, now, self.limits)

    def succeeded(self, username: str) -> None:
        """A correct password clears the name's failures."""
        sign_in_limits.succeeded(self.db, username)


@dataclass
class _Registry:
    db: Database
    clock: Clock
    limiter: LoginLimiter
    access: Mapping[str, frozenset[Role]] = field(default_factory=lambda: dict(DEFAULT_ACCESS))
    home: Mapping[Role, str] = field(default_factory=lambda: dict(DEFAULT_HOME))


_registry: _Registry | None = None


def configure(
    db: Database,
    *,
    clock: Clock | None = None,
    limiter: LoginLimiter | None = None,
    access: Mapping[str, frozenset[Role]] | None = None,
    home: Mapping[Role, str] | None = None,
) -> None:
    """Point the login handlers and the authorize callback at this practice's database."""
    global _registry
    _registry = _Registry(
        db=db,
        clock=clock or system_clock,
        limiter=limiter or LoginLimiter(db),
        access=dict(access if access is not None else DEFAULT_ACCESS),
        home=dict(home if home is not None else DEFAULT_HOME),
    )


def unconfigure() -> None:
    """Forget the database (after the server stops)."""
    global _registry
    _registry = None


def registry() -> _Registry:
    if _registry is None:
        raise RuntimeError("dashboards.auth.configure(db) was not called before serving")
    return _registry


def claims_for(username: str, actor: Actor) -> dict[str, Any]:
    """What the id_token cookie carries; the app reads it as ``pn.state.user_info``."""
    return {
        "user": username,
        "username": username,
        "user_id": actor.user_id,
        "role": actor.role.value,
        "display_name": actor.display_name,
        "clinician_id": actor.clinician_id,
        "client_id": actor.client_id,
    }


def current_role(username: str | None) -> Role | None:
    """The role of an active user, read from the database (so deactivation takes effect)."""
    if not username:
        return None
    try:
        return accounts.actor_for(registry().db, username).role
    except NotFoundError:
        return None


def authorize(user_info: dict[str, Any] | None, path: str) -> bool:
    """Panel's authorize_callback: may this signed-in user open the app at ``path``?"""
    username = (user_info or {}).get("user") or state.user
    role = current_role(username)
    if role is None:
        return False
    allowed = registry().access.get(_app_path(path))
    return allowed is not None and role in allowed


def home_for(role: Role) -> str:
    """The app a role lands on from ``/``."""
    return registry().home[role]


def _app_path(path: str) -> str:
    path = path.rstrip("/") or "/"
    base = (state.base_url or "/").rstrip("/")
    if base and path.startswith(base + "/"):
        path = path[len(base):]
    return path


def safe_next(next_url: str | None) -> str | None:
    """A same-site path to return to after signing in, or None for anything else."""
    if not next_url:
        return None
    parts = urllib.parse.urlsplit(next_url)
    if (parts.scheme or parts.netloc or not next_url.startswith("/")
            or next_url.startswith("//") or "\\" in next_url):
        return None
    if parts.path.rstrip("/") in ("/login", "/logout"):
        return None
    return next_url


def _minutes(delta: timedelta) -> str:
    n = max(1, math.ceil(delta.total_seconds() / 60))
    return f"{n} minute" if n == 1 else f"{n} minutes"


class PracticeLoginHandler(BasicLoginHandler):
    """The login page: checks the password against the practice's user table."""

    def _practice_name(self) -> str:
        try:
            cur = registry().db.cursor()
            row = cur.execute("SELECT name FROM practice WHERE id = 1").fetchone()
        except Exception:  # the page must render even before `thera init`
            row = None
        return row[0] if row else "Thera practice"

    def _render(self, *, next_url: str | None, error: str = "", notice: str = "",
                username: str = "", status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.write(_templates.get_template("login.html").render(
            login_endpoint=panel_internals.handler_login_endpoint(self),
            practice_name=self._practice_name(),
            next_url=next_url or "",
            error=error,
            notice=notice,
            username=username,
        ))

    def get(self) -> None:
        next_url = safe_next(self.get_argument("next", None))
        if next_url:
            self.set_cookie("next_url", next_url, path=config.cookie_path, httponly=True)
        notice = SIGNED_OUT if self.get_argument("signed_out", None) else ""
        self._render(next_url=next_url, notice=notice)

    async def post(self) -> None:
        reg = registry()
        username = self.get_body_argument("username", "").strip()
        password = self.get_body_argument("password", "")
        # The form carries `next`, so a wrong password does not lose where the user was going.
        next_url = safe_next(self.get_body_argument("next", None)) or safe_next(
            self.get_cookie("next_url"))
        if not username or not password:
            self._render(next_url=next_url, error=MISSING_INPUT, username=username, status=400)
            return
        wait = reg.limiter.refused_for(username, reg.clock())
        if wait is not None:
            self._render(next_url=next_url, username=username, status=429, error=(
                "Too many wrong passwords for this user name. Sign-in for it is paused: "
                f"try again in {_minutes(wait)}."))
            return
        actor = None
        if len(username) <= MAX_INPUT and len(password) <= MAX_INPUT:
            # argon2 takes a few hundred milliseconds: keep the event loop free for others.
            actor = await IOLoop.current().run_in_executor(
                None, accounts.authenticate, reg.db, username, password)
        if actor is None:
            locked = reg.limiter.failed(username, reg.clock())
            log.info("failed sign-in for %r%s", username[:80], " (now locked)" if locked else "")
            self._render(next_url=next_url, error=WRONG_PASSWORD, username=username, status=401)
            return
        reg.limiter.succeeded(username)
        self.sign_in(username.lower(), actor)
        self.clear_cookie("next_url", path=config.cookie_path)
        self.redirect(next_url or (state.base_url or "/"))

    def sign_in(self, username: str, actor: Actor) -> None:
        """Set the signed cookies Panel reads as ``pn.state.user`` and ``pn.state.user_info``."""
        days = config.oauth_expiry
        self.clear_cookie("is_guest", path=config.cookie_path)
        self.set_secure_cookie("user", username, expires_days=days, httponly=True,
                               path=config.cookie_path)
        id_token: str | bytes = base64url_encode(json.dumps(claims_for(username, actor)))
        if state.encryption:
            id_token = state.encryption.encrypt(id_token.encode("utf-8"))
        self.set_secure_cookie("id_token", id_token, expires_days=days, httponly=True,
                               path=config.cookie_path)


class PracticeLogoutHandler(LogoutHandler):
    """Clears the sign-in cookies and returns to the login page."""

    def get(self) -> None:
        for name in ("user", "id_token", "access_token", "refresh_token", "oauth_expiry",
                     "is_guest", "next_url"):
            self.clear_cookie(name, path=config.cookie_path)
        self.redirect(f".{panel_internals.handler_login_endpoint(self)}?signed_out=1")


class HomeHandler(RequestHandler):
    """``/``: send a signed-in user to their role's app, anyone else to the login page."""

    def get(self) -> None:
        raw = self.get_secure_cookie("user", max_age_days=config.oauth_expiry)
        role = current_role(raw.decode("utf-8") if raw else None)
        if role is None:
            self.redirect(f".{self.application.auth_provider.login_url}")
            return
        self.redirect(f".{home_for(role)}")


class PracticeAuthProvider(BasicAuthProvider):
    """Panel auth provider backed by the practice's user table (see ``configure``)."""

    def __init__(self, login_endpoint: str | None = None,
                 logout_endpoint: str | None = None) -> None:
        super().__init__(login_endpoint=login_endpoint, logout_endpoint=logout_endpoint,
                         login_template=str(TEMPLATES / "login.html"))

    @property
    def login_handler(self) -> type[PracticeLoginHandler]:
        return panel_internals.handler_for(PracticeLoginHandler, self)

    @property
    def logout_handler(self) -> type[PracticeLogoutHandler]:
        return panel_internals.handler_for(PracticeLogoutHandler, self)

    @property
    def endpoints(self) -> list[tuple[str, type[RequestHandler]]]:
        return [*super().endpoints, ("/", HomeHandler)]
