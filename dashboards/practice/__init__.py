"""The practice manager's dashboard (``/practice``) and its parts, for notebooks too.

``PracticeContext.open(path)`` reads a practice file (or, while the server holds it, its analyst
snapshot); each panel takes that context and displays inline in Jupyter or serves with Panel.
"""

from dashboards.practice.app import PracticeApp, create_app
from dashboards.practice.attendance import AttendancePanel
from dashboards.practice.backlog import BacklogPanel
from dashboards.practice.completion import CompletionPanel
from dashboards.practice.context import PracticeContext
from dashboards.practice.figures import key_figures
from dashboards.practice.practice_week import PracticeWeek
from dashboards.practice.record import RecordPanel

__all__ = [
    "AttendancePanel",
    "BacklogPanel",
    "CompletionPanel",
    "PracticeApp",
    "PracticeContext",
    "PracticeWeek",
    "RecordPanel",
    "create_app",
    "key_figures",
]
