"""redact: find, code, remove and verify exempt content in public records."""

__version__ = "0.1.0"
