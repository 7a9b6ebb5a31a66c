"""Small word lists the sample practice builds its people and its notes from.

Names are picked by index from these lists, so a seed gives the same practice on every machine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST_NAMES: tuple[str, ...] = tuple(
    """
    Olivia Noah Charlotte Oliver Amelia William Isla Jack Mia Leo Ava Henry Grace Lucas
    Chloe Thomas Zoe James Ruby Ethan Sophie Liam Harper Samuel Ella Mason Matilda Hugo Lily
    Archie Aisha Wei Priya Mateo Yuki Omar Anika Tariq Mei Arjun Sienna Kai Layla Finn
    Hannah Luca Evie Max Isabel Ravi
    """.split()
)

LAST_NAMES: tuple[str, ...] = tuple(
    """
    Smith Jones Williams Brown Wilson Taylor Nguyen Johnson Martin White Anderson Walker
    Thompson Thomas Lee Ryan Robinson Kelly King Harris Davis Wright Evans Roberts Green
    Hall Wood Jackson Clarke Patel Chen Singh Kaur Tran Wang Murphy Campbell Hughes Edwards
    Mitchell O'Brien Khan Rossi Papadopoulos Cooper Ward Morris Bennett Young Scott
    """.split()
)

# (service name, default minutes)
SERVICES: tuple[tuple[str, int], ...] = (
    ("Individual therapy", 50),
    ("Couples therapy", 50),
    ("Family therapy", 50),
    ("Assessment", 50),
    ("Group program", 50),
    ("Case conference", 50),
    ("Parent/carer consultation", 50),
    ("Report writing", 50),
)

# (relationship, title before the name, email domain)
THIRD_PARTY_ROLES: tuple[tuple[str, str, str], ...] = (
    ("GP", "Dr ", "medical.example.com"),
    ("Parent", "", "mail.example.com"),
    ("Teacher", "", "school.example.edu"),
    ("Carer", "", "mail.example.com"),
    ("Psychiatrist", "Dr ", "health.example.org"),
    ("Case manager", "", "community.example.org"),
)
THIRD_PARTY_WEIGHTS: tuple[float, ...] = (0.40, 0.25, 0.15, 0.08, 0.07, 0.05)

TEAM_MEETING_TITLES: tuple[str, ...] = ("Team meeting", "Clinical team meeting")
DEVELOPMENT_TITLES: tuple[str, ...] = (
    "Supervision",
    "Peer supervision",
    "Training: trauma-informed care",
    "Journal club",
    "Training: ACT skills",
    "CPD webinar",
)
ADMIN_TITLES: tuple[str, ...] = (
    "Admin",
    "Report writing",
    "Emails and phone calls",
    "Referral letters",
    "Invoicing",
    "File notes",
)
LEAVE_TITLES: tuple[str, ...] = ("Personal leave", "Annual leave", "Sick leave")

PLAN_TEXTS: tuple[str, ...] = (
    "Review the week; continue exposure hierarchy",
    "Check in on sleep diary; introduce stimulus control",
    "Revisit goals; practise grounding skills",
    "Psychoeducation on the anxiety cycle",
    "Cognitive restructuring of the main worry",
    "Behavioural activation: plan two pleasant activities",
    "Relapse-prevention plan",
    "Explore values; committed action for the week",
    "Communication skills role-play",
    "Review risk and safety plan",
    "Parenting strategies: consistent routines",
    "Problem-solving around work stress",
)

NOTES: tuple[str, ...] = (
    "Engaged well; mood improved since last session.",
    "Discussed triggers; practised slow breathing.",
    "Reported better sleep; completed the diary most nights.",
    "Difficult week; reviewed coping strategies and safety plan.",
    "Worked through a thought record together.",
    "Identified two avoidance patterns to target.",
    "Good progress on goals; plan to reduce frequency.",
    "Session focused on family communication.",
    "Rehearsed assertive responses for a work situation.",
    "Reviewed medication questions; will liaise with GP.",
    "Client cancelled; follow-up call made.",
    "Brief check-in; no new concerns.",
    "Case discussed with the team; actions agreed.",
    "Progress reviewed against the treatment plan.",
)

HOMEWORK: tuple[str, ...] = (
    "Daily thought record",
    "Sleep diary every morning",
    "Ten minutes of mindfulness each day",
    "Two pleasant activities this week",
    "Step 3 of the exposure hierarchy",
    "Practise grounding when anxious",
    "Read the handout on worry time",
    "Write a values list",
)

COMMENTS: tuple[str, ...] = (
    "Addendum: GP letter received and filed.",
    "Addendum: client phoned afterwards to confirm the plan.",
    "Addendum: risk reviewed again with the supervisor; no change.",
    "Addendum: referral sent to the group program.",
)

AMENDMENT_SUFFIX = " (Amended: detail added after review.)"


def pick_people(rng: np.random.Generator, n: int, last: np.ndarray | None = None) -> pd.DataFrame:
    """``n`` plausible people: first, last, name and the user part of an email address."""
    first = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), n)]
    if last is None:
        last = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
    first_s = pd.Series(first, dtype=object)
    last_s = pd.Series(last, dtype=object)
    return pd.DataFrame(
        {
            "first": first_s,
            "last": last_s,
            "name": first_s + " " + last_s,
            # Email addresses allow no quotes, so O'Brien writes as obrien.
            "email_user": (first_s + "." + last_s).str.lower().str.replace("'", "", regex=False),
        }
    )
