"""Who each demo login is: the practice manager, the clinicians, and the clients whose portal
shows their upcoming sessions and shared homework."""

from __future__ import annotations

import pandas as pd

from thera_analytics.store.database import Database

_LOGINS = """
SELECT u.username, u.role::VARCHAR AS role, u.display_name AS name,
       (SELECT cu.username FROM event_clients ec
          JOIN events e ON e.id = ec.event_id
          JOIN users cu ON cu.clinician_id = e.clinician_id
         WHERE ec.client_id = u.client_id
         ORDER BY e.starts_at DESC LIMIT 1) AS clinician
FROM users u
WHERE u.active
ORDER BY CASE u.role WHEN 'manager' THEN 0 WHEN 'clinician' THEN 1 ELSE 2 END, u.id
"""

WHERE = {"manager": "/practice", "clinician": "/scheduler", "client": "/portal"}


def demo_logins(db: Database) -> pd.DataFrame:
    """One row per active login: username, role, name and, for a client, their clinician's
    username."""
    return db.df(_LOGINS)


def describe(logins: pd.DataFrame) -> list[str]:
    """The lines `thera demo` prints: every manager and client login with who it is; the
    clinicians as a range when there are many."""
    lines = []
    for role in ("manager", "clinician", "client"):
        rows = logins[logins["role"] == role]
        if rows.empty:
            continue
        if role == "clinician" and len(rows) > 3:
            names = rows["username"].tolist()
            span, who = f"{names[0]} .. {names[-1]}", f"the {len(rows)} clinicians"
            lines.append(f"  {span:<26} {who:<44} {WHERE[role]}")
            continue
        for r in rows.itertuples():
            who = str(r.name)
            if role == "client" and r.clinician:
                who += f", client of {r.clinician}"
            lines.append(f"  {r.username:<26} {who:<44} {WHERE[role]}")
    return lines
