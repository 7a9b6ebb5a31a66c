"""A simulated clinician that speaks the browser's protocol instead of running a browser.

Twenty headless Chromium pages swamp a two-core machine, so a load run measured the browsers,
not the servers. A wire user sends what BokehJS sends (frames captured once from Chromium with
Playwright's ``page.on("websocket")`` while a clinician opened a session and saved its plan):

1. ``POST /login`` (the sign-in form), keeping the signed cookies it sets;
2. ``GET /scheduler?event=N`` with those cookies: the server builds the session and the page
   carries its token;
3. the Bokeh websocket (``/scheduler/ws``, subprotocols ``bokeh`` and the token): ``ACK``, then
   ``PULL-DOC-REQ`` for the document, then the browser's own patches after rendering (its
   settings, ``document_ready``, the week calendar's first ``data_event``), each answered
   ``OK``: page ready; a session whose plan is already saved opens on its Outcome step, whose
   page has no plan form yet, so the user clicks "2 · Plan" (the step bar's ``active``) and
   takes the form the server patches in, as the browser user does;
4. the save: ``value_input`` and ``value`` of the plan's text area, then the save button's
   ``button_click`` event, until the server's ``PATCH-DOC`` brings "Plan saved." in.

What the user does not do is draw: no layout, no script, no CSS, so the server's work is what
the clock measures.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import uuid
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

PLAN_LABEL = "Plan"
PLAN_STEP = "2 · Plan"
SAVE_LABEL = "Save and next ›"
SAVED = "Plan saved."
TOKEN = re.compile(r'"token"\s*:\s*"([^"]+)"')


class WireError(RuntimeError):
    """The server did not answer as a browser would have been answered."""


@dataclass
class Editor:
    """The document's models a save touches."""

    plan: str | None  # the plan's text area (None until the Plan step was first shown)
    save: str | None  # the "Save and next ›" button
    week: str | None  # the week calendar (its first data_event tells the server the view)
    browser_info: str | None  # Panel's BrowserInfo model
    steps: str | None = None  # the step bar (Details, Plan, Outcome)
    plan_step: int | None = None  # the Plan step's index on that bar

    def fill(self, node: Any) -> None:
        """Take the models a document or a server patch brings in."""
        for obj in _objects(node):
            name, attrs = str(obj.get("name", "")), obj.get("attributes", {})
            if name.endswith("TextAreaInput") and attrs.get("title") == PLAN_LABEL:
                self.plan = self.plan or obj["id"]
            elif name.endswith("Button") and attrs.get("label") == SAVE_LABEL:
                self.save = self.save or obj["id"]
            elif attrs.get("class_name") == "WeekGrid":
                self.week = self.week or obj["id"]
            elif name.endswith("BrowserInfo"):
                self.browser_info = self.browser_info or obj["id"]
            elif name.endswith("RadioButtonGroup") and any(
                    str(label).startswith(PLAN_STEP) for label in attrs.get("labels") or []):
                # The labels carry a done mark ("2 · Plan ✓") once a step is saved.
                self.steps = self.steps or obj["id"]
                self.plan_step = [str(label).startswith(PLAN_STEP)
                                  for label in attrs["labels"]].index(True)

    @property
    def ready(self) -> bool:
        return self.plan is not None and self.save is not None


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every serialised model in a document's JSON, however deeply nested."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == "object" and "id" in item:
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def find_editor(doc: dict[str, Any]) -> Editor:
    """The plan text area, the save button, the step bar, the week and the browser info in a
    pulled doc. The editor puts a step's form into the page when that step is first shown, so
    a session that opens on another step (its plan already saved) has no text area yet."""
    editor = Editor(None, None, None, None)
    editor.fill(doc)
    if not editor.ready and editor.steps is None:
        raise WireError("the page has no plan editor (plan text area or save button missing)")
    return editor


@dataclass
class WireUser:
    """One signed-in clinician talking to ``base`` over HTTP and the Bokeh websocket."""

    base: str
    login: str
    password: str = "demo"
    timeout: float = 60.0
    # The page's origin, as the browser sends it; another site's page (``cross_site``) sends
    # its own origin and ``Sec-Fetch-Site: cross-site``.
    origin: str | None = None
    cross_site: bool = False
    cookies: dict[str, str] = field(default_factory=dict)
    _ws: WebSocketClientConnection | None = None

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep_cookies(self, headers: Any) -> None:
        for raw in headers.get_list("Set-Cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)

    async def sign_in(self) -> None:
        client = AsyncHTTPClient()
        body = urlencode({"username": self.login, "password": self.password})
        response = await client.fetch(
            HTTPRequest(f"{self.base}/login", method="POST", body=body,
                        headers={"Cookie": self._cookie_header()}, follow_redirects=False,
                        request_timeout=self.timeout), raise_error=False)
        self._keep_cookies(response.headers)
        if response.code != 302 or "user" not in self.cookies:
            raise WireError(f"sign-in as {self.login} answered HTTP {response.code}")

    async def open_session(self, event_id: int) -> Editor:
        """The page for one session, and its websocket until the browser's first patches are
        acknowledged: what a browser needs before the week is drawn and the session open."""
        await self.close()
        client = AsyncHTTPClient()
        try:
            page = await client.fetch(HTTPRequest(
                f"{self.base}/scheduler?event={event_id}",
                headers={"Cookie": self._cookie_header()}, follow_redirects=False,
                request_timeout=self.timeout))
        except HTTPClientError as exc:
            raise WireError(f"GET /scheduler answered HTTP {exc.code}") from None
        self._keep_cookies(page.headers)
        found = TOKEN.search(page.body.decode("utf-8"))
        if found is None:
            raise WireError("the page carries no session token (not signed in?)")
        ws_url = self.base.replace("http", "ws", 1) + f"/scheduler/ws?event={event_id}"
        headers = {"Cookie": self._cookie_header(), "Origin": self.origin or self.base,
                   "Sec-Fetch-Site": "cross-site" if self.cross_site else "same-origin"}
        try:
            self._ws = await websocket_connect(
                HTTPRequest(ws_url, headers=headers, request_timeout=self.timeout),
                subprotocols=["bokeh", found[1]], max_message_size=512 * 1024 * 1024)
        except HTTPClientError as exc:
            raise WireError(f"the websocket was refused: HTTP {exc.code}") from None
        ack, _ = await self._receive()
        if ack["msgtype"] != "ACK":
            raise WireError(f"the websocket opened with {ack['msgtype']}, not ACK")
        reply = await self._request("PULL-DOC-REQ", {})
        editor = find_editor(reply)
        # What BokehJS sends once the page is drawn (captured from Chromium), one message each.
        if editor.browser_info is not None:
            for attr, new in (("dark_mode", False), ("device_pixel_ratio", 1),
                              ("language", "en-US"), ("webdriver", True),
                              ("timezone", "UTC"), ("timezone_offset", 0), ("webgl", True)):
                await self._request("PATCH-DOC", _changed(editor.browser_info, attr, new))
        await self._request("PATCH-DOC", _event("document_ready", {}))
        if editor.week is not None:
            await self._request("PATCH-DOC", _event("data_event", {
                "model": {"id": editor.week},
                "data": {"type": "map", "entries": [["type", "view"], ["view", "week"]]}}))
        if not editor.ready:
            await self._show_plan_step(editor)
        return editor

    async def _show_plan_step(self, editor: Editor) -> None:
        """Click "2 · Plan" on the step bar, as the browser user does, and take the plan form
        the server then patches into the page."""
        assert editor.steps is not None and editor.plan_step is not None
        await self._send("PATCH-DOC", _changed(editor.steps, "active", editor.plan_step))
        while not editor.ready:
            header, content = await self._receive()
            if header["msgtype"] == "ERROR":
                raise WireError(f"the server refused the Plan step: {content}")
            if header["msgtype"] == "PATCH-DOC":
                editor.fill(content)

    async def type_plan(self, editor: Editor, text: str) -> None:
        """Type the plan (the text area sends what is typed as ``value_input``)."""
        assert editor.plan is not None, "open_session shows the Plan step"
        await self._request("PATCH-DOC", _changed(editor.plan, "value_input", text))

    async def save(self, editor: Editor, text: str) -> None:
        """Click save (the text area first commits its ``value``, as on leaving it), and wait
        until the server patches "Plan saved." in; like the browser, without waiting for the
        two messages' ``OK`` in between."""
        assert editor.plan is not None and editor.save is not None
        await self._send("PATCH-DOC", _changed(editor.plan, "value", text))
        await self._send("PATCH-DOC", _event("button_click", {"model": {"id": editor.save}}))
        while True:
            header, content = await self._receive()
            if header["msgtype"] == "ERROR":
                raise WireError(f"the server refused the save: {content}")
            if header["msgtype"] == "PATCH-DOC" and SAVED in json.dumps(content):
                return

    async def close(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None

    # -- Bokeh's framing: a header, metadata and content as text frames, then binary buffers --
    async def _send(self, msgtype: str, content: dict[str, Any]) -> str:
        assert self._ws is not None
        msgid = uuid.uuid4().hex.upper()
        for frame in ({"msgid": msgid, "msgtype": msgtype}, {}, content):
            await self._ws.write_message(json.dumps(frame, separators=(",", ":")))
        return msgid

    async def _frame(self) -> str | bytes:
        assert self._ws is not None
        frame = await self._ws.read_message()
        if frame is None:
            raise WireError(f"the server closed the websocket ({self._ws.close_code} "
                            f"{self._ws.close_reason or ''})".strip())
        return frame

    async def _receive(self) -> tuple[dict[str, Any], Any]:
        header = json.loads(await self._frame())
        await self._frame()  # metadata
        content = json.loads(await self._frame())
        for _ in range(int(header.get("num_buffers", 0))):
            await self._frame()
        return header, content

    async def _request(self, msgtype: str, content: dict[str, Any]) -> Any:
        """Send one message and wait for its reply (server patches meanwhile are skipped)."""
        msgid = await self._send(msgtype, content)
        while True:
            header, reply = await self._receive()
            if header.get("reqid") != msgid:
                continue
            if header["msgtype"] == "ERROR":
                raise WireError(f"{msgtype} refused: {reply.get('text', reply)}")
            return reply


def run_apart(work: Coroutine[Any, Any, Any]) -> Any:
    """Run ``work`` on its own event loop in its own thread (a caller such as a Playwright test
    may already run a loop on this one); its result, or its exception raised here."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(work)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="wire-user")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _changed(model: str, attr: str, new: Any) -> dict[str, Any]:
    return {"events": [{"kind": "ModelChanged", "model": {"id": model}, "attr": attr,
                        "new": new}]}


def _event(name: str, values: dict[str, Any]) -> dict[str, Any]:
    entries = [[key, value] for key, value in values.items()]
    data = {"type": "map", **({"entries": entries} if entries else {})}
    return {"events": [{"kind": "MessageSent", "msg_type": "bokeh_event",
                        "msg_data": {"type": "event", "name": name, "values": data}}]}
