"""What the officer reads: the review report, the change list, the response letter, the summary.

Everything here writes into review/ (internal) or prints to the terminal; nothing
here writes into release/.
"""

from __future__ import annotations

from .changes import CHANGE_COLUMNS, Change, PreviousVersion, diff_versions, load_previous, write_changes
from .context import Snippet, snippet
from .html import ReportInput, write_report
from .letter import codes_cited, write_response_letter
from .summary import package_summary

__all__ = [
    "CHANGE_COLUMNS",
    "Change",
    "PreviousVersion",
    "ReportInput",
    "Snippet",
    "codes_cited",
    "diff_versions",
    "load_previous",
    "package_summary",
    "snippet",
    "write_changes",
    "write_report",
    "write_response_letter",
]
