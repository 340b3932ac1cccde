"""``python -m redactor``: the same as the ``redact`` command."""

from .cli import run

run()
