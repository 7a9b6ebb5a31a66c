"""The private parts of Panel, Bokeh and HoloViews the apps rely on (dashboards/panel_internals)
are still there and still behave as used: an upgrade that changes one fails here, loudly,
instead of quietly in a served page."""

from __future__ import annotations

import re
import uuid
from importlib import resources

import holoviews as hv
import holoviews.plotting.bokeh  # noqa: F401  (the Bokeh renderer)
import panel as pn
import pytest
from bokeh.models import GlyphRenderer
from panel.auth import BasicAuthProvider, BasicLoginHandler

from dashboards import auth, panel_internals
from tests.helpers.network import listening


def test_a_threaded_server_is_found_by_its_id_and_stopped():
    server_id = uuid.uuid4().hex
    pn.serve({"/app": lambda: pn.pane.Markdown("hello")}, port=0, address="127.0.0.1",
             threaded=True, show=False, start=True, server_id=server_id, verbose=False)
    server = panel_internals.wait_for_server(server_id)
    try:
        assert server.port > 0 and listening(server.port)
        assert server_id in pn.state._threads
    finally:
        panel_internals.stop_server(server_id, server)
    assert server_id not in pn.state._servers and server_id not in pn.state._threads
    assert not listening(server.port)


def test_an_unknown_server_times_out():
    with pytest.raises(TimeoutError):
        panel_internals.wait_for_server("no-such-server", timeout=0.05)


def test_the_session_length_is_set_on_panels_config():
    before = pn.config.oauth_expiry
    try:
        panel_internals.set_session_days(3)
        assert pn.config.oauth_expiry == 3
    finally:
        panel_internals.set_session_days(before)


def test_login_handlers_are_told_the_providers_login_path():
    # Panel's providers keep the path on themselves and hand it to their handler class.
    assert panel_internals.login_endpoint(BasicAuthProvider(login_endpoint="/in")) == "/in"
    assert "_login_endpoint" in vars(BasicLoginHandler)
    provider = auth.PracticeAuthProvider(login_endpoint="/sign-in")
    assert panel_internals.handler_login_endpoint(provider.login_handler) == "/sign-in"
    assert panel_internals.handler_login_endpoint(provider.logout_handler) == "/sign-in"


def test_a_holoviews_plot_hands_over_its_glyph_renderer():
    element = hv.Rectangles([(0, 0, 1, 1)])
    plot = hv.renderer("bokeh").get_plot(element)
    assert isinstance(panel_internals.glyph_renderer(plot), GlyphRenderer)


def test_bokehjs_still_has_the_layout_method_the_batching_patches():
    # The patch finds the class by its registered name and wraps invalidate_layout's root case.
    bundle = (resources.files("bokeh") / "server/static/js/bokeh.min.js").read_text("utf-8")
    assert re.search(r'\.__name__="LayoutDOMView"', bundle)
    assert re.search(r"invalidate_layout\(\)\{this\.parent instanceof \w+\?this\.parent\."
                     r"invalidate_layout\(\)", bundle)
    assert "LayoutDOMView" in panel_internals.LayoutBatching._esm


def test_a_page_not_yet_ready_is_sent_the_changes_made_in_a_hold() -> None:
    """Panel drops changes made inside ``hold`` until the page reports ready; a served session
    is marked so they reach the browser (a tab opened early once showed no content)."""
    from bokeh.document import Document
    from panel.io.state import set_curdoc

    def changes_sent(mark: bool) -> list[str]:
        doc = Document()
        pane = pn.pane.Markdown("before")
        doc.add_root(pane.get_root(doc))
        if mark:
            panel_internals.send_changes_before_ready(doc)
        sent: list[str] = []
        doc.on_change(lambda event: sent.append(type(event).__name__))
        with set_curdoc(doc), pn.io.hold():
            pane.object = "after"
        return sent

    assert changes_sent(mark=False) == []  # what Panel does by itself: the change is dropped
    assert changes_sent(mark=True) != []
