"""The cancellation report's chart: cancelled places per reason, stacked by the notice given.

Beside ``dashboards.charts`` (same palette, same sizes) so the dashboard tab and the notebook
draw the same figure from ``reports.cancellations.cancellation_items``.
"""

from __future__ import annotations

import holoviews as hv
import holoviews.plotting.bokeh  # noqa: F401  (registers the Bokeh backend the options target)
import pandas as pd

from dashboards.charts import HEIGHT, LEGEND_BESIDE, WIDTH
from thera_analytics.domain.cancellation import NOTICE_BUCKETS
from thera_analytics.domain.palette import ATTENDANCE, DOT_GREEN, EDGE, TEXT, ColourFamily

NOTICE_ORDER = [label for label, _ in NOTICE_BUCKETS]
# Little notice is the costly end: dark and red, then orange, blue, green for the most.
NOTICE_COLOURS = dict(zip(NOTICE_ORDER, (TEXT, ATTENDANCE["cancelled"],
                                         ATTENDANCE["late_cancellation"],
                                         EDGE[ColourFamily.BLUE], DOT_GREEN), strict=True))


def cancellations_chart(items: pd.DataFrame,
                        title: str = "Cancellations by reason and notice given") -> hv.Bars:
    """Cancelled places per reason (most first), each bar split by the notice given."""
    counts = (items.groupby(["reason", "notice"]).size().rename("cancellations")
              .reset_index() if len(items) else
              pd.DataFrame(columns=["reason", "notice", "cancellations"]))
    order = counts.groupby("reason")["cancellations"].sum().sort_values(ascending=False).index
    frame = pd.DataFrame(
        [{"reason": r, "notice": n,
          "cancellations": int(counts.loc[(counts["reason"] == r) & (counts["notice"] == n),
                                          "cancellations"].sum())}
         for r in order for n in NOTICE_ORDER],
        columns=["reason", "notice", "cancellations"])
    return hv.Bars(frame, ["reason", "notice"], "cancellations").opts(
        stacked=True, cmap=[NOTICE_COLOURS[n] for n in NOTICE_ORDER], width=WIDTH,
        height=HEIGHT, title=title, xlabel="Reason", ylabel="Cancelled places", xrotation=30,
        tools=["hover"], legend_position=LEGEND_BESIDE, line_color=None,
    )
