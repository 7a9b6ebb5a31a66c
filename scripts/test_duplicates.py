"""Runs of lines copied between test modules: ``python scripts/test_duplicates.py [MIN]``.

Reads every module under ``tests/`` line by line (indentation, blank lines and comments
ignored; imports too, since modules rightly import the same things) and prints each run of
``MIN`` (default 6) or more lines found in two different modules, longest first. A helper
written twice belongs in a ``conftest.py`` fixture or in ``tests/helpers``. It reports and
always exits 0: some likeness between tests (a scenario set up the same way) is fine.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of the lines that carry code other than imports, stripped."""
    kept = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = raw.strip()
        if text and not text.startswith(("#", "import ", "from ")) and text not in (")", "]"):
            kept.append((number, text))
    return kept


def copied_runs(root: Path, min_lines: int) -> list[tuple[int, str, int, str, int]]:
    """(length, file a, line, file b, line) of each run two test modules share."""
    files = {p: _lines(p) for p in sorted((root / "tests").rglob("*.py"))}
    index: dict[tuple[str, ...], list[tuple[Path, int]]] = {}
    for path, lines in files.items():
        for i in range(len(lines) - min_lines + 1):
            index.setdefault(tuple(t for _, t in lines[i:i + min_lines]), []).append((path, i))
    runs, seen = [], set()
    for path, lines in files.items():
        i = 0
        while i <= len(lines) - min_lines:
            key = tuple(t for _, t in lines[i:i + min_lines])
            others = [(o, j) for o, j in index.get(key, []) if o != path and (o, j) not in seen]
            if not others:
                i += 1
                continue
            other, j = others[0]
            theirs = files[other]
            n = min_lines
            while (i + n < len(lines) and j + n < len(theirs)
                   and lines[i + n][1] == theirs[j + n][1]):
                n += 1
            seen.update((path, i + k) for k in range(n))
            seen.update((other, j + k) for k in range(n))
            runs.append((n, str(path.relative_to(root)), lines[i][0],
                         str(other.relative_to(root)), theirs[j][0]))
            i += n
    return sorted(runs, reverse=True)


def main() -> int:
    min_lines = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    runs = copied_runs(ROOT, min_lines)
    for n, a, line_a, b, line_b in runs:
        print(f"{n:3d} lines  {a}:{line_a} ~ {b}:{line_b}")
    print(f"{len(runs)} run(s) of {min_lines} or more lines shared by two test modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
