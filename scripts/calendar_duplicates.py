"""Runs of lines copied between the two calendars: ``python scripts/calendar_duplicates.py``.

Compares every module of the clinician's app (``dashboards/scheduler``) with every module of
the manager's (``dashboards/practice``), line by line with indentation, blank lines and
comments ignored, and prints each run of ``MIN_LINES`` or more lines the two share; exits 1 if
there is one. What both need belongs in ``dashboards/shared``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIN_LINES = 6
SIDES = ("dashboards/scheduler", "dashboards/practice")


def _lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of the lines that carry code, stripped."""
    kept = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = raw.strip()
        if text and not text.startswith("#"):
            kept.append((number, text))
    return kept


def shared_runs(root: Path = ROOT, min_lines: int = MIN_LINES
                ) -> list[tuple[str, int, str, int, int]]:
    """(file a, first line, file b, first line, length) of each run shared by the two sides."""
    left = {p: _lines(p) for p in sorted((root / SIDES[0]).rglob("*.py"))}
    right = {p: _lines(p) for p in sorted((root / SIDES[1]).rglob("*.py"))}
    index: dict[tuple[str, ...], list[tuple[Path, int]]] = {}
    for path, lines in right.items():
        for i in range(len(lines) - min_lines + 1):
            key = tuple(text for _, text in lines[i:i + min_lines])
            index.setdefault(key, []).append((path, i))
    runs = []
    for path, lines in left.items():
        i = 0
        while i <= len(lines) - min_lines:
            key = tuple(text for _, text in lines[i:i + min_lines])
            if key not in index:
                i += 1
                continue
            other, j = index[key][0]
            theirs = right[other]
            n = min_lines
            while (i + n < len(lines) and j + n < len(theirs)
                   and lines[i + n][1] == theirs[j + n][1]):
                n += 1
            runs.append((str(path.relative_to(root)), lines[i][0],
                         str(other.relative_to(root)), theirs[j][0], n))
            i += n
    return runs


def main() -> int:
    runs = shared_runs()
    for a, line_a, b, line_b, n in runs:
        print(f"{a}:{line_a} ~ {b}:{line_b}: {n} lines")
    print("no run of 6 or more lines shared by the two calendars" if not runs
          else f"{len(runs)} shared run(s)")
    return 1 if runs else 0


if __name__ == "__main__":
    sys.exit(main())
