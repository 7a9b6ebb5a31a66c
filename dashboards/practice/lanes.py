"""The practice week laid out as one lane per clinician: plain pandas, no plotting.

x is the day (0 = Monday; each day one unit wide, covering the working hours only, so no night
is drawn) and y the lane (0 = the first clinician, at the top). Text and the three dots are
fitted to the pixels a block gets: a whole week of 50 clinicians gives a session about 18 px,
enough for a kind code and three small dots; one day gives it about 90 px, enough for words.
This generalises the scheduler's ``week_view`` (days as columns) to clinicians as rows and reuses
its sizes, short kind names and overlap lanes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from dashboards.shared.week_geometry import (
    CHAR_PX,
    DEFAULT_FIRST_HOUR,
    DEFAULT_LAST_HOUR,
    DOT_GAP_PX,
    LINE_PX,
    PAD_PX,
    SHORT_KIND,
    overlap_lanes,
)
from thera_analytics.domain import palette
from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.local_time import to_local
from thera_analytics.domain.palette import ColourFamily

FRAME_WIDTH = 1060
LANE_BUDGET_PX = 640  # a small practice's lanes share about this height
LANE_MIN_PX = 30
LANE_MAX_PX = 56
DAY_INSET = 0.012  # a gap either side of each day, in days
BLOCK_INSET = 0.1  # a gap above and below each block, in lanes
NAME_CHARS = 22  # a clinician's name beside the lane is cut to this (it fits the axis)
COLUMN_GAP_PX = 9  # dots stacked in a narrow, tall block
BESIDE_GAP_PX = 9  # dots beside the kind: tighter than the scheduler's, leaving room for a word

# One letter for blocks too narrow for a word (the legend spells them out).
KIND_CODE = {
    "Client session": "S",
    "Video session": "V",
    "Phone session": "P",
    "Home/community visit": "H",
    "Group session": "G",
    "Client team meeting": "C",
    "Team meeting": "T",
    "Professional development": "D",
    "Admin": "A",
    "Personal/leave": "L",
}

BLOCK_COLUMNS = ["event_id", "lane", "x0", "x1", "y0", "y1", "fill", "edge", "kind_label",
                 "clinician", "who", "when", "service", "attendance_text", "dots_text",
                 "is_client", "incomplete"]


@dataclass(frozen=True)
class LaneView:
    """Everything the practice week draws (each frame feeds one plot element)."""

    monday: date
    days: int
    first_hour: int
    last_hour: int
    focus: int | None  # the day shown alone, or None for the whole week
    today_index: int | None
    now_x: float | None  # where "now" falls, when it is inside the week's hours
    lanes: pd.DataFrame  # lane, clinician_id, clinician, events, incomplete
    blocks: pd.DataFrame  # BLOCK_COLUMNS
    labels: pd.DataFrame  # x, y, text
    dots: pd.DataFrame  # x, y, colour, size, dot (1-3), event_id
    marks: pd.DataFrame  # x, y, colour, value, event_id
    lane_px: int
    frame_width: int = FRAME_WIDTH
    # Rows per lane: a lane gets a row for each event drawn at the same time (its busiest
    # moment in view), so overlapping events are each as tall as a lane of their own.
    rows: tuple[int, ...] = ()

    @property
    def lane_rows(self) -> list[int]:
        return list(self.rows) if len(self.rows) == len(self.lanes) else [1] * len(self.lanes)

    @property
    def lane_tops(self) -> list[int]:
        """Where each lane starts, in rows from the top."""
        rows = self.lane_rows
        return [sum(rows[:i]) for i in range(len(rows))]

    @property
    def total_rows(self) -> int:
        return max(sum(self.lane_rows), 1)

    @property
    def frame_height(self) -> int:
        return self.total_rows * self.lane_px

    @property
    def xlim(self) -> tuple[float, float]:
        if self.focus is None:
            return (0.0, float(self.days))
        return (float(self.focus), float(self.focus + 1))

    @property
    def ylim(self) -> tuple[float, float]:
        return (0.0, float(self.total_rows))

    @property
    def x_ticks(self) -> list[tuple[float, str]]:
        if self.focus is None:
            return [(i + 0.5, f"{self.monday + timedelta(days=i):%a %-d %b}")
                    for i in range(self.days)]
        return [(self.x_of(self.focus, h), f"{h:02d}:00")
                for h in range(self.first_hour, self.last_hour + 1)]

    @property
    def y_ticks(self) -> list[tuple[float, str]]:
        return [(top + rows / 2, _fit(str(name), NAME_CHARS)) for top, rows, name in
                zip(self.lane_tops, self.lane_rows, self.lanes["clinician"], strict=True)]

    def x_of(self, day: Any, hours: Any) -> Any:
        """The x of a wall-clock time (hours after midnight) on a day of the week."""
        span = max(self.last_hour - self.first_hour, 1)
        frac = (hours - self.first_hour) / span
        return day + DAY_INSET + frac * (1 - 2 * DAY_INSET)

    def event_at(self, x: float, y: float) -> int | None:
        """The event drawn under a point, if any."""
        b = self.blocks
        hit = b[(b["x0"] <= x) & (x <= b["x1"]) & (b["y0"] <= y) & (y <= b["y1"])]
        return None if hit.empty else int(hit["event_id"].iloc[-1])


def lane_px_for(lanes: int) -> int:
    """Pixels per lane: roomy for a small practice, 30 px (still two lines) for a large one."""
    return int(min(max(LANE_BUDGET_PX / max(lanes, 1), LANE_MIN_PX), LANE_MAX_PX))


def lane_view(events: pd.DataFrame, clinicians: pd.DataFrame, monday: date, *,
              focus: int | None = None, now: datetime | None = None,
              zone: ZoneInfo | None = None, frame_width: int = FRAME_WIDTH) -> LaneView:
    """Lay out a week of ``week_events`` rows in one lane per clinician of ``clinicians``
    (columns ``id``, ``name``, in lane order). ``now`` (an instant, shown in ``zone``) marks
    today, the current time, and which client events have ended incomplete."""
    lanes = pd.DataFrame({"lane": np.arange(len(clinicians), dtype=int),
                          "clinician_id": clinicians["id"].astype(int).to_numpy(),
                          "clinician": clinicians["name"].astype(str).to_numpy()})
    lane_of = dict(zip(lanes["clinician_id"], lanes["lane"], strict=True))
    frame = events[events["clinician_id"].isin(lane_of)].reset_index(drop=True) \
        if len(events) else events
    starts = pd.to_datetime(frame["local_start"]) if len(frame) else pd.Series(
        dtype="datetime64[us]")
    day = np.array([(ts.date() - monday).days for ts in starts], dtype=int)
    y_start = (starts.dt.hour + starts.dt.minute / 60).to_numpy(dtype=float) if len(frame) \
        else np.zeros(0)
    y_end = np.minimum(y_start + frame["duration_minutes"].to_numpy(dtype=float) / 60, 24.0) \
        if len(frame) else np.zeros(0)
    days = 7 if (len(day) and day.max() >= 5) or (focus is not None and focus >= 5) else 5
    first = int(min([DEFAULT_FIRST_HOUR, *np.floor(y_start).astype(int)]))
    last = int(max([DEFAULT_LAST_HOUR, *np.ceil(y_end).astype(int)]))
    lane_px = lane_px_for(len(lanes))
    local_now = to_local(now, zone) if now is not None and zone is not None else None
    today_index = None
    if local_now is not None and 0 <= (local_now.date() - monday).days < days:
        today_index = (local_now.date() - monday).days
    view = LaneView(monday=monday, days=days, first_hour=first, last_hour=last, focus=focus,
                    today_index=today_index, now_x=None, lanes=lanes,
                    blocks=pd.DataFrame(columns=BLOCK_COLUMNS),
                    labels=pd.DataFrame(columns=["x", "y", "text"]),
                    dots=pd.DataFrame(columns=["x", "y", "colour", "size", "dot", "event_id"]),
                    marks=pd.DataFrame(columns=["x", "y", "colour", "value", "event_id"]),
                    lane_px=lane_px, frame_width=frame_width)
    now_x = None
    if today_index is not None and local_now is not None:
        hours = local_now.hour + local_now.minute / 60
        if first <= hours <= last:
            now_x = view.x_of(today_index, hours)
    counts = _lane_counts(frame, lanes)
    if not len(frame):
        return replace(view, now_x=now_x, lanes=counts)

    x0 = view.x_of(day, y_start)
    x1 = view.x_of(day, y_end)
    lane = frame["clinician_id"].map(lane_of).to_numpy(dtype=int)
    # Events of one clinician that overlap are drawn one above the other, and their lane
    # grows a row for each, so none is squeezed into a sliver of one lane.
    sub, subs = np.zeros(len(frame), dtype=int), np.ones(len(frame), dtype=int)
    for (_, _), idx in pd.Series(range(len(frame))).groupby([lane, day]):
        rows = idx.to_numpy()
        if len(rows) > 1:
            ln, wd = overlap_lanes(list(y_start[rows]), list(y_end[rows]))
            sub[rows], subs[rows] = ln, wd
    in_view = np.ones(len(frame), dtype=bool) if focus is None else day == focus
    lane_rows = np.ones(len(lanes), dtype=int)
    np.maximum.at(lane_rows, lane[in_view], subs[in_view])
    view = replace(view, rows=tuple(int(r) for r in lane_rows))
    top = np.array(view.lane_tops, dtype=float)[lane]
    height = (lane_rows[lane] - 2 * BLOCK_INSET) / subs
    y0 = top + BLOCK_INSET + sub * height
    y1 = y0 + height - np.where(subs > 1, 0.04, 0.0)

    span_x = view.xlim[1] - view.xlim[0]
    px_x = frame_width / span_x  # pixels per day unit
    block_w = (x1 - x0) * px_x
    block_h = (y1 - y0) * lane_px

    family = frame["colour_family"].astype(str).map(ColourFamily)
    is_client = frame["event_group"].eq("client").to_numpy()
    direct = frame["direct"].fillna(False).astype(bool).to_numpy()
    flags = frame[["dot_details", "dot_plan", "dot_outcome"]].to_numpy(dtype=bool)
    ended = (pd.to_datetime(frame["ends_at"], utc=True) <= pd.Timestamp(now)).to_numpy() \
        if now is not None else np.zeros(len(frame), dtype=bool)
    incomplete = is_client & ended & ~flags.all(axis=1)
    who = np.where(is_client, frame["client_names"].fillna("").astype(str),
                   frame["title"].fillna("").astype(str))
    end_local = starts + pd.to_timedelta(frame["duration_minutes"].astype(int), unit="m")
    when = (starts.dt.strftime("%a %-d %b %H:%M") + "–" + end_local.dt.strftime("%H:%M"))
    attendance_text = [
        _attendance_text(c, d, names, att, status)
        for c, d, names, att, status in zip(is_client, direct, frame["client_names"],
                                            frame["attendance"], frame["status"], strict=True)]
    dots_text = np.where(is_client, [
        "Details " + ("✓" if a else "–") + " · Plan " + ("✓" if b else "–")
        + " · Outcome & signed " + ("✓" if c else "–") for a, b, c in flags], "")
    blocks = pd.DataFrame({
        "event_id": frame["event_id"].astype(int).to_numpy(), "lane": lane,
        "x0": x0, "x1": x1, "y0": y0, "y1": y1,
        "fill": family.map(palette.FILL).to_numpy(), "edge": family.map(palette.EDGE).to_numpy(),
        "kind_label": frame["kind_label"].astype(str).to_numpy(),
        "clinician": frame["clinician_name"].astype(str).to_numpy(), "who": who,
        "when": when.to_numpy(), "service": frame["service_name"].fillna("").astype(str),
        "attendance_text": attendance_text, "dots_text": dots_text, "is_client": is_client,
        "incomplete": incomplete,
    })

    labels, dots, marks = [], [], []
    attendance, status = frame["attendance"].tolist(), frame["status"].tolist()
    start_text = starts.dt.strftime("%H:%M").tolist()
    for i, (event_id, bx0, bx1, by0, by1, kind, name, client) in enumerate(zip(
            blocks["event_id"].tolist(), x0.tolist(), x1.tolist(), y0.tolist(), y1.tolist(),
            blocks["kind_label"].tolist(), who.tolist(), is_client.tolist(), strict=True)):
        pad = PAD_PX if block_w[i] >= 40 else 2
        w_px, h_px = block_w[i] - 2 * pad, block_h[i] - 2
        chars = int(w_px // CHAR_PX)
        gap = min(float(BESIDE_GAP_PX), max(w_px / 3, 4.0)) if client else 0.0
        size = max(min(gap - 3, 8.0), 4.0)
        # Dots beside the kind when there is room (one day shown), with the longest name that
        # leaves it; in a narrow but tall block (a whole week of a small practice) a column
        # under the kind; else a row at the bottom.
        beside_chars = int((w_px - 3 * gap - 6) // CHAR_PX) if client else 0
        beside = client and beside_chars >= 1
        title = _kind_name(kind, beside_chars if beside else chars)
        column = client and not beside and gap < 8 and h_px - LINE_PX >= 3 * COLUMN_GAP_PX
        if column:
            size = COLUMN_GAP_PX - 2.0
        dot_row = size + 3 if client and not (beside or column) else 0
        lines = 1 if column else int((h_px - dot_row) // LINE_PX)
        text = _block_text(title, name, start_text[i], chars, lines)
        if text:
            labels.append((bx0 + pad / px_x, by0 + 2 / lane_px, text))
        if not client:
            continue
        for k in range(3):
            if beside:
                x = bx1 - (pad + size / 2 + (2 - k) * gap) / px_x
                y = by0 + (2 + LINE_PX / 2) / lane_px
            elif column:
                x = (bx0 + bx1) / 2
                y = by0 + (LINE_PX + 2 + size / 2 + k * COLUMN_GAP_PX) / lane_px
            else:
                x = bx0 + (pad + size / 2 + k * gap) / px_x
                y = by1 - (size / 2 + 2) / lane_px
            dots.append((x, y, palette.DOT_GREEN if flags[i, k] else palette.DOT_GREY, size,
                         k + 1, event_id))
        if beside and lines >= 2:  # attendance or status marks at the bottom right
            values, colours = _marks(bool(direct[i]), attendance[i], status[i])
            y_mark = by1 - (2 + 5) / lane_px
            for k, (v, c) in enumerate(zip(values, colours, strict=True)):
                x = bx1 - (pad + 5 + (len(values) - 1 - k) * DOT_GAP_PX) / px_x
                marks.append((x, y_mark, c, v, event_id))
    return replace(
        view, now_x=now_x, lanes=counts, blocks=blocks,
        labels=pd.DataFrame(labels, columns=["x", "y", "text"]),
        dots=pd.DataFrame(dots, columns=["x", "y", "colour", "size", "dot", "event_id"]),
        marks=pd.DataFrame(marks, columns=["x", "y", "colour", "value", "event_id"]),
    )


def _lane_counts(frame: pd.DataFrame, lanes: pd.DataFrame) -> pd.DataFrame:
    out = lanes.copy()
    if not len(frame):
        out["events"] = 0
        return out
    counts = frame.groupby("clinician_id").size()
    out["events"] = out["clinician_id"].map(counts).fillna(0).astype(int)
    return out


def _kind_name(kind: str, chars: int) -> str:
    """The kind's label, its short name or its one-letter code: the longest that fits."""
    short = SHORT_KIND.get(kind, kind)
    if len(kind) <= chars:
        return kind
    return short if len(short) <= chars else KIND_CODE.get(kind, kind[:1])


def _block_text(title: str, who: str, start: str, chars: int, lines: int) -> str:
    """The block's words: kind, then who (wrapped onto a second line before it is cut), then
    the time, as many lines as fit."""
    if chars < len(title) or lines <= 0:
        return ""
    out = [title]
    if lines >= 2 and who and chars >= 6 and who != title:
        name = wrap(who, chars, 1)
        if name[0] != who and lines >= 3:  # cut on one line: give it a second one
            name = wrap(who, chars, 2)
        out += name
    if len(out) < lines and chars >= 5:
        out.append(start)
    return "\n".join(out)


def wrap(text: str, chars: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``chars``, broken between words where it can;
    the last line is cut with "…" only if the text still does not fit."""
    words, out, line = text.split(), [], ""
    while words and len(out) < lines:
        word = words[0]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= chars:
            line, words = candidate, words[1:]
            continue
        if not line:  # one word longer than a line: break it
            line, words = word[:chars], ([word[chars:]] + words[1:])
        out.append(line)
        line = ""
    if line and len(out) < lines:
        out.append(line)
    if words:
        rest = " ".join([out[-1], *words]) if out else " ".join(words)
        out[-1:] = [_fit(rest, chars)]
    return out or [""]


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def _attendance_values(att: str) -> list[str | None]:
    return [None if a == "-" else a for a in att.split(",")] if att else []


def _attendance_text(is_client: bool, direct: bool, names: str, att: str,
                     status: object) -> str:
    if not is_client:
        return ""
    if direct:
        return "; ".join(
            f"{name}: {Attendance(a).label if a else 'not marked'}"
            for name, a in zip(str(names).split(", "), _attendance_values(att), strict=False))
    if isinstance(status, str):
        return f"Status: {SessionStatus(status).label}"
    return "Status: not marked"


def _marks(direct: bool, att: str, status: object) -> tuple[list[str], list[str]]:
    """Attendance per client (direct) or the status (indirect), with their colours."""
    if direct:
        values = [a for a in _attendance_values(att) if a]
        return values, [palette.ATTENDANCE[a] for a in values]
    if isinstance(status, str):
        return [status], [palette.STATUS[status]]
    return [], []


def week_summary(events: pd.DataFrame, now_instant: datetime) -> dict[str, int]:
    """Counts for the line above the lanes: events, client events, ended and incomplete."""
    if not len(events):
        return {"events": 0, "client_events": 0, "ended": 0, "incomplete": 0, "to_come": 0}
    client = events["event_group"].eq("client")
    ended = pd.to_datetime(events["ends_at"], utc=True) <= pd.Timestamp(now_instant)
    return {
        "events": int(len(events)),
        "client_events": int(client.sum()),
        "ended": int((client & ended).sum()),
        "incomplete": int((client & ended & ~events["complete"].astype(bool)).sum()),
        "to_come": int((client & ~ended).sum()),
    }

