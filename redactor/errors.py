"""Exit codes and the exception family that carries them.

Exceptions become exit codes in exactly one place: ``redactor.cli.main``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the ``redact`` command."""

    OK = 0
    #: An unexpected failure inside the tool (a bug): nothing was released.
    INTERNAL_ERROR = 1
    #: Bad command-line usage (click's own code, kept as is).
    USAGE = 2
    #: The run finished, but some documents were withheld for manual review.
    WITHHELD_FOR_REVIEW = 3
    #: The input or output folder cannot be used (missing, overlapping, not ours).
    BAD_INPUT = 4
    #: request.yaml, a rule set or a decisions file is invalid.
    BAD_SETTINGS = 5
    #: Verification found a redacted value in the output (the document was withheld).
    LEAK_DETECTED = 6
    #: Interrupted by the user (Ctrl-C).
    INTERRUPTED = 130


class RedactError(Exception):
    """Base of every error the tool reports to the user.

    ``message`` says what went wrong; ``hint`` says what to do about it.
    """

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class InputError(RedactError):
    """The input folder or the output location cannot be used."""

    exit_code = ExitCode.BAD_INPUT


class SettingsError(RedactError):
    """A settings file (request.yaml, rules, decisions) is invalid."""

    exit_code = ExitCode.BAD_SETTINGS


class RulesError(SettingsError):
    """An exemption rule set is missing or invalid."""


class DecisionsError(SettingsError):
    """A decisions file is invalid or refers to something that does not exist."""


#: Why a document is withheld when a detection pattern ran over its time limit twice on one text
#: (see detect.engine): the machine was too busy, nothing is wrong with the document.
DETECTION_TIMED_OUT = "detection timed out"
#: Why a document is withheld when processing it ran past the batch's time limit per document: its
#: worker process was stopped (a parser caught in a loop, or a document too large for the limit).
DOCUMENT_TIMED_OUT = "time limit"
#: Why a document is withheld when the worker process handling it ended abruptly, again when it was
#: processed alone (a library crashing on the file, or the computer out of memory).
WORKER_STOPPED = "worker stopped"


class UnreadableDocument(RedactError):
    """A document cannot be read safely; inside a batch it is withheld, not fatal."""

    exit_code = ExitCode.WITHHELD_FOR_REVIEW

    def __init__(self, message: str, reason: str = "unreadable", hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.reason = reason
