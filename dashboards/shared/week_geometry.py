"""Where each event of a week is drawn and what its block says: plain pandas, no plotting.

The calendar's x axis is the day (0 = Monday, each day one unit wide) and its y axis the hour of
the day (9.5 = 09:30). Events that overlap in time share their day's column side by side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from thera_analytics.domain import palette
from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.palette import ColourFamily

# Pixel geometry the text is fitted to (the calendar plot uses exactly these sizes).
FRAME_WIDTH = 720
FRAME_HEIGHT = 680
FONT_PX = 11
LINE_PX = 14
CHAR_PX = 6.3
DOT_GAP_PX = 11
PAD_PX = 4
NARROW_PX = 100

DEFAULT_FIRST_HOUR = 8
DEFAULT_LAST_HOUR = 18

# Shorter kind names for narrow blocks; the full label is always in the tooltip and editor.
SHORT_KIND = {
    "Client session": "Session",
    "Video session": "Video",
    "Phone session": "Phone",
    "Home/community visit": "Home visit",
    "Group session": "Group",
    "Client team meeting": "Client team mtg",
    "Team meeting": "Team meeting",
    "Professional development": "Prof. dev.",
    "Admin": "Admin",
    "Personal/leave": "Leave",
}

BLOCK_COLUMNS = ["event_id", "day", "x0", "x1", "y0", "y1", "fill", "edge", "kind_label", "who",
                 "when", "attendance_text", "dots_text", "is_client"]


@dataclass(frozen=True)
class WeekView:
    """Everything the calendar draws for one week (each frame feeds one plot element)."""

    monday: date
    days: int
    first_hour: int
    last_hour: int
    today_index: int | None
    blocks: pd.DataFrame  # one row per event (BLOCK_COLUMNS)
    labels: pd.DataFrame  # x, y, text
    dots: pd.DataFrame  # x, y, colour, dot (1-3), event_id
    marks: pd.DataFrame  # x, y, colour, value (attendance or status per client), event_id

    @property
    def x_ticks(self) -> list[tuple[float, str]]:
        return [(i + 0.5, f"{self.monday + timedelta(days=i):%a %-d %b}")
                for i in range(self.days)]

    @property
    def y_ticks(self) -> list[tuple[float, str]]:
        return [(h, f"{h:02d}:00") for h in range(self.first_hour, self.last_hour + 1)]

    def event_at(self, x: float, y: float) -> int | None:
        """The event drawn under a point, if any (the last drawn wins, as on screen)."""
        b = self.blocks
        hit = b[(b["x0"] <= x) & (x <= b["x1"]) & (b["y0"] <= y) & (y <= b["y1"])]
        return None if hit.empty else int(hit["event_id"].iloc[-1])

    def slot_at(self, x: float, y: float) -> datetime | None:
        """The wall-clock start of the quarter hour under a point, if inside the grid."""
        day = math.floor(x)
        if not 0 <= day < self.days or not self.first_hour <= y < self.last_hour:
            return None
        minutes = math.floor(y * 4) * 15
        return datetime.combine(self.monday, datetime.min.time()) + timedelta(
            days=day, minutes=minutes)


def _hours(ts: pd.Timestamp) -> float:
    return ts.hour + ts.minute / 60 + ts.second / 3600


def overlap_lanes(starts: list[float], ends: list[float]) -> tuple[list[int], list[int]]:
    """Side-by-side lanes for overlapping events of one day: (lane, lanes in its cluster)."""
    order = sorted(range(len(starts)), key=lambda i: (starts[i], ends[i]))
    lane = [0] * len(starts)
    width = [1] * len(starts)
    cluster: list[int] = []
    lane_ends: list[float] = []
    cluster_end = -1.0

    def close() -> None:
        for j in cluster:
            width[j] = max(len(lane_ends), 1)

    for i in order:
        if cluster and starts[i] >= cluster_end:
            close()
            cluster, lane_ends = [], []
        free = next((k for k, e in enumerate(lane_ends) if e <= starts[i]), None)
        if free is None:
            lane_ends.append(ends[i])
            free = len(lane_ends) - 1
        else:
            lane_ends[free] = ends[i]
        lane[i] = free
        cluster.append(i)
        cluster_end = max(cluster_end, ends[i]) if len(cluster) > 1 else ends[i]
    close()
    return lane, width


def _fit(text: str, chars: int) -> str:
    if chars <= 1:
        return ""
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def _attendance_values(att: str) -> list[str | None]:
    return [None if a == "-" else a for a in att.split(",")] if att else []


def week_view(events: pd.DataFrame, monday: date, *, today: date | None = None,
              show_weekend: bool = False) -> WeekView:
    """Lay out one week of ``Practice.week`` rows as blocks, text lines, dots and marks."""
    frame = events.copy()
    starts = pd.to_datetime(frame["local_start"]) if len(frame) else pd.Series(
        dtype="datetime64[us]")
    day_index = [(ts.date() - monday).days for ts in starts]
    weekend = any(d >= 5 for d in day_index)
    days = 7 if show_weekend or weekend else 5
    y0 = [_hours(ts) for ts in starts]
    y1 = [min(a + m / 60, 24.0) for a, m in zip(y0, frame["duration_minutes"], strict=True)]
    first = min([DEFAULT_FIRST_HOUR, *[math.floor(v) for v in y0]])
    last = max([DEFAULT_LAST_HOUR, *[math.ceil(v) for v in y1]])
    px_hour = FRAME_HEIGHT / max(last - first, 1)
    px_day = FRAME_WIDTH / days

    lane = [0] * len(frame)
    lanes = [1] * len(frame)
    for d in set(day_index):
        idx = [i for i, v in enumerate(day_index) if v == d]
        ln, wd = overlap_lanes([y0[i] for i in idx], [y1[i] for i in idx])
        for k, i in enumerate(idx):
            lane[i], lanes[i] = ln[k], wd[k]

    blocks, labels, dots, marks = [], [], [], []
    for i, row in enumerate(frame.itertuples(index=False)):
        d = day_index[i]
        inset = 0.03
        width = (1 - 2 * inset) / lanes[i]
        x0 = d + inset + lane[i] * width
        x1 = x0 + width - (0.01 if lanes[i] > 1 else 0)
        family = ColourFamily(row.colour_family)
        is_client = row.event_group == "client"
        who = row.client_names if is_client else (row.title or "")
        local = starts.iloc[i]
        end = local + pd.Timedelta(minutes=int(row.duration_minutes))
        when = f"{local:%H:%M}–{end:%H:%M}"
        att = _attendance_values(row.attendance) if is_client else []
        if is_client and row.direct:
            att_text = "; ".join(
                f"{name}: {Attendance(a).label if a else 'not marked'}"
                for name, a in zip(row.client_names.split(", "), att, strict=False))
        elif is_client:
            att_text = f"Status: {str(row.status).replace('_', ' ').capitalize()}" \
                if isinstance(row.status, str) else "Status: not marked"
        else:
            att_text = ""
        dot_flags = (bool(row.dot_details), bool(row.dot_plan), bool(row.dot_outcome))
        dots_text = ("Details " + ("✓" if dot_flags[0] else "–") + " · Plan "
                     + ("✓" if dot_flags[1] else "–") + " · Outcome & signed "
                     + ("✓" if dot_flags[2] else "–")) if is_client else ""
        blocks.append((int(row.event_id), d, x0, x1, y0[i], y1[i], palette.FILL[family],
                       palette.EDGE[family],
                       row.kind_label, who, when, att_text, dots_text, is_client))

        # Text, fitted to the block's size in pixels. A narrow block (events side by side)
        # gives its dots a line of their own at the bottom instead of sharing the first line.
        block_w = (x1 - x0) * px_day - 2 * PAD_PX
        block_h = (y1[i] - y0[i]) * px_hour - PAD_PX
        narrow = is_client and block_w < NARROW_PX
        n_lines = max(int(block_h // LINE_PX) - (1 if narrow else 0), 1)
        chars = int(block_w // CHAR_PX)
        dot_chars = math.ceil((3 * DOT_GAP_PX + 2) / CHAR_PX) if is_client and not narrow else 0
        mark_chars = 0 if narrow else math.ceil(
            (len(att) or (1 if is_client else 0)) * DOT_GAP_PX / CHAR_PX)
        kind = row.kind_label if len(row.kind_label) <= chars - dot_chars else SHORT_KIND.get(
            row.kind_label, row.kind_label)
        if n_lines >= 3:
            who_lines = _wrap(who, chars, n_lines - 2) if who else []
            lines = [_fit(kind, chars - dot_chars), *who_lines, _fit(when, chars - mark_chars)]
        elif n_lines == 2:
            lines = [_fit(f"{kind}", chars - dot_chars),
                     _fit(f"{local:%H:%M} {who}".strip(), chars - mark_chars)]
        else:
            lines = [_fit(f"{local:%H:%M} {kind}", chars - dot_chars - mark_chars)]
        lines = [ln for ln in lines if ln]
        labels.append((x0 + PAD_PX / px_day, y0[i] + PAD_PX / 2 / px_hour, "\n".join(lines)))

        if is_client:
            top = y0[i] + (PAD_PX + 4) / px_hour
            bottom_line = y1[i] - (PAD_PX + 4) / px_hour
            for k, ok in enumerate(dot_flags):
                x = (x0 + (PAD_PX + 4 + k * DOT_GAP_PX) / px_day if narrow
                     else x1 - (PAD_PX + 4 + (2 - k) * DOT_GAP_PX) / px_day)
                dots.append((x, bottom_line if narrow else top,
                             palette.DOT_GREEN if ok else palette.DOT_GREY, k + 1,
                             int(row.event_id)))
            bottom = y1[i] - (PAD_PX + 4) / px_hour
            if row.direct:
                values = att
                colours = [palette.ATTENDANCE[a] if a else None for a in values]
            else:
                values = [row.status if isinstance(row.status, str) else None]
                colours = [palette.STATUS[v] if v else None for v in values]
            n = len(values)
            for k, (v, c) in enumerate(zip(values, colours, strict=True)):
                if c is None:
                    continue
                marks.append((x1 - (PAD_PX + 4 + (n - 1 - k) * DOT_GAP_PX) / px_day, bottom,
                              c, v, int(row.event_id)))

    today_index = None
    if today is not None and 0 <= (today - monday).days < days:
        today_index = (today - monday).days
    return WeekView(
        monday=monday, days=days, first_hour=first, last_hour=last, today_index=today_index,
        blocks=pd.DataFrame(blocks, columns=BLOCK_COLUMNS),
        labels=pd.DataFrame(labels, columns=["x", "y", "text"]),
        dots=pd.DataFrame(dots, columns=["x", "y", "colour", "dot", "event_id"]),
        marks=pd.DataFrame(marks, columns=["x", "y", "colour", "value", "event_id"]),
    )


def _wrap(text: str, chars: int, max_lines: int) -> list[str]:
    """Word-wrap ``text`` into at most ``max_lines`` lines of ``chars`` characters."""
    words, lines, current = text.split(" "), [], ""
    for w in words:
        candidate = f"{current} {w}".strip()
        if len(candidate) <= chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = w
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(lines[-1] + " …", chars)
    return [_fit(ln, chars) for ln in lines]
