"""Exemption rule sets shipped with redact (installed as ``redactor.exemption_rules``)."""
