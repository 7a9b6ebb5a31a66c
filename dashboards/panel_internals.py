"""Every use of Panel's, Bokeh's and HoloViews' private internals, in one place.

Each is something the public API does not offer (yet); each is named here, used through a
function or class of this module only, and checked by ``tests/dashboards/test_panel_internals.py``
against the installed versions, so an upgrade that changes one fails that test loudly instead of
failing quietly in a served page. pyproject.toml bounds Panel, Bokeh and HoloViews to the minor
versions tested.

- ``pn.state._threads`` / ``pn.state._servers``: the thread and server ``pn.serve`` registers
  under a ``server_id`` (``threaded=True`` returns the thread, not the server).
- ``pn.config.oauth_expiry``: a read-only property in Panel's typing, settable at run time
  (Panel's own ``pn.serve`` sets ``config`` attributes the same way).
- ``BasicAuthProvider._login_endpoint`` and the handler class attribute of the same name:
  Panel's providers hand it to their handler class this way (``login_handler``).
- HoloViews' ``plot.handles["glyph_renderer"]``: the Bokeh renderer behind an element.
- BokehJS ``LayoutDOMView.invalidate_layout``: patched in the browser to batch layout passes.
- ``pn.state._connected``: Panel's note that a page has reported ready; until then it drops the
  changes made inside ``hold`` (see ``send_changes_before_ready``).
"""

from __future__ import annotations

import time
from typing import Any

import panel as pn

from dashboards.shared.page_script import PageScript, page_script


# -- servers started by pn.serve ---------------------------------------------------------------
def wait_for_server(server_id: str, timeout: float = 20.0) -> Any:
    """The Bokeh server ``pn.serve(..., threaded=True, server_id=...)`` started, once it
    listens (its thread may still be starting)."""
    thread = pn.state._threads.get(server_id)
    deadline = time.monotonic() + timeout
    while server_id not in pn.state._servers:
        if thread is not None and not thread.is_alive():
            raise RuntimeError("the server thread stopped before it started listening")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server did not start within {timeout:.0f} s")
        time.sleep(0.02)
    return pn.state._servers[server_id][0]


def stop_server(server_id: str, server: Any, timeout: float = 10.0) -> None:
    """Stop a server ``pn.serve`` started (in its thread, if it has one) and forget it."""
    thread = pn.state._threads.pop(server_id, None)
    if thread is not None:
        thread.stop()
        thread.join(timeout)
    else:
        try:
            server.stop()
        except AssertionError:  # already stopped
            pass
    pn.state._servers.pop(server_id, None)


# -- sessions ----------------------------------------------------------------------------------
def send_changes_before_ready(doc: Any) -> None:
    """Send every change of this session's page to the browser, also before the page has
    reported ready.

    Until the browser reports the page ready (Bokeh's ``document_ready``), Panel drops the
    changes made inside ``hold`` (processing any browser event is one), assuming the page will
    be serialised in full later. But the browser has already pulled the page by then: a manager
    who opens a tab before the page reports ready (a busy server) got the tab's header and
    never its content. Marked connected from the start, Panel sends those changes; before the
    browser has pulled the page there is no one to send them to, and the page it pulls holds
    them.
    """
    pn.state._connected[doc] = True


# -- login ---------------------------------------------------------------------------------------
def set_session_days(days: float) -> None:
    """How long a sign-in lasts: Panel's ``oauth_expiry`` (cookie expiry and max age)."""
    setattr(pn.config, "oauth_expiry", days)  # noqa: B010  (read-only in Panel's typing)


def login_endpoint(provider: Any) -> str:
    """The login path a Panel auth provider was given."""
    return str(provider._login_endpoint)


def handler_for(handler: type, provider: Any) -> type:
    """A login or logout handler class told the provider's login path, as Panel's own
    providers do (a class attribute: Tornado builds the handler)."""
    handler._login_endpoint = login_endpoint(provider)  # type: ignore[attr-defined]
    return handler


def handler_login_endpoint(handler: Any) -> str:
    """The login path a handler was told (``handler_for``)."""
    return str(handler._login_endpoint)


# -- HoloViews plots -----------------------------------------------------------------------------
def glyph_renderer(plot: Any) -> Any | None:
    """The Bokeh ``GlyphRenderer`` HoloViews drew an element with (None before it drew)."""
    return plot.handles.get("glyph_renderer")


# -- BokehJS -------------------------------------------------------------------------------------
# Batch Bokeh's page layout: many changes from one server message cost one layout pass.
#
# Bokeh re-lays out the whole page (and repaints every plot in it) synchronously for each change
# that can affect layout, such as a widget appearing or an HTML pane's text changing. Opening an
# event changes a few dozen such properties in one message, so the week beside the editor was
# laid out and repainted a dozen or more times per click: about half the click-to-editor time
# (measured ~1.1 s -> ~0.4 s for the first event opened, in headless Chromium).
#
# This defers a root's layout to a microtask and merges repeated requests. Microtasks run before
# the browser paints, so nothing is drawn half laid out. It patches only the root case of
# ``LayoutDOMView.invalidate_layout`` (children still hand the request to their parent, exactly
# as Bokeh does), and stays out of the way if Bokeh's internals differ from what it expects: then
# the page simply lays out as before (and the internals test fails).
LAYOUT_BATCHING_FLAG = "__theraLayoutBatching"
_LAYOUT_BATCHING = """
function install(view) {
  let proto = Object.getPrototypeOf(view);
  while (proto && !(proto.constructor && proto.constructor.__name__ === "LayoutDOMView"))
    proto = Object.getPrototypeOf(proto);
  if (!proto || typeof proto.invalidate_layout !== "function") return false;
  const LayoutDOMView = proto.constructor;
  const original = proto.invalidate_layout;
  const pending = new Set();
  proto.invalidate_layout = function () {
    if (this.parent instanceof LayoutDOMView) {
      this.parent.invalidate_layout();
      return;
    }
    if (pending.has(this)) return;
    pending.add(this);
    queueMicrotask(() => {
      pending.delete(this);
      try {
        original.call(this);
      } catch (err) {
        console.warn("thera: deferred layout skipped", err);  // e.g. the view was removed
      }
    });
  };
}
"""


class LayoutBatching(PageScript):
    """An invisible component that turns on layout batching for the page it is on."""

    _esm = page_script(LAYOUT_BATCHING_FLAG, _LAYOUT_BATCHING)
