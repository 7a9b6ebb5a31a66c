"""Input the bad-input tests share: odd text for every text field, and wall-clock times the
practice's zone (Europe/London) skips or repeats."""

from __future__ import annotations

from datetime import datetime

PAYLOADS = {
    "script tag": "<script>alert('x')</script>",
    "image onerror": '<img src=x onerror="alert(1)">',
    "attribute breakout": '"><svg/onload=alert(1)>',
    "html entities": "&lt;b&gt; &amp; &#60;script&#62;",
    "sql quote": "O'Brien'; DROP TABLE events; --",
    "sql tautology": "' OR '1'='1' --",
    "sql on audit": "x'); DELETE FROM audit_log; --",
    "placeholders": "? $1 %s %(name)s {0} :name",
    "templates": "{{7*7}} ${7*7} {% raw %} <%= 7*7 %>",
    "backslashes": "C:\\new\\table \\x00 \\n",
    "right-to-left": "\u202eevil\u202c and \u200fשלום\u200f مرحبا",
    "emoji": "👩🏽‍⚕️🧠 🏳️‍🌈 💬",
    "combining marks": "e\u0301\u0301\u0301 Zalgo: Z\u0351\u0358\u0360o",
    "zero width": "a\u200bb\u200dc\ufeffd\u2060e",
    "astral and cjk": "𝕏𝔂 療法 セッション",
    "control characters": "line1\r\nline2\ttab \x1b[31mred\x1b[0m \x7f \x0b\x0c",
    "long word": "W" * 190,
}

D = datetime  # wall-clock times in the practice's zone
GAP = (D(2026, 3, 29, 1, 15), D(2026, 3, 29, 1, 45))  # the clocks go forward at 01:00
FOLD = (D(2026, 10, 25, 1, 15), D(2026, 10, 25, 1, 45))  # 01:00-02:00 happens twice
