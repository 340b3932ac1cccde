"""Strict YAML loading: duplicate keys are errors, and every error names file and line.

PyYAML silently keeps the last of two equal keys and pydantic reports a path,
not a line; a records officer editing a settings file needs ``file:line``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import SettingsError

M = TypeVar("M", bound=BaseModel)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key].start_mark.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlDocument:
    """A parsed YAML file: its data and the node tree for line look-ups."""

    def __init__(self, path: Path, data: Any, root: yaml.Node | None) -> None:
        self.path = path
        self.data = data
        self.root = root

    def line_of(self, loc: Sequence[Any], key: bool = False) -> int | None:
        """The 1-based line of the deepest node reachable along ``loc`` (of its key, if ``key``)."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for i, step in enumerate(loc):
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(step):
                        child = value_node
                        if key and i == len(loc) - 1:
                            return key_node.start_mark.line + 1
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                child = node.value[step]
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line


def load_yaml(path: Path, error: type[SettingsError] = SettingsError) -> YamlDocument:
    """Read and parse ``path`` strictly; raise ``error`` naming file and line on failure."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {exc}") from None
    loader = _StrictLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{where}: YAML error: {problem}") from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, root)


def validate(doc: YamlDocument, model: type[M], error: type[SettingsError] = SettingsError,
             what: str = "settings") -> M:
    """Validate ``doc.data`` against ``model``; every problem is reported with its line."""
    try:
        return model.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        raise error(format_validation_error(doc, exc, what)) from None


def format_validation_error(doc: YamlDocument, exc: ValidationError, what: str) -> str:
    """One line per problem: ``file:line: field.path: message``."""
    lines = [f"{doc.path}: invalid {what} ({exc.error_count()} problem(s)):"]
    for err in exc.errors():
        loc = list(err["loc"])
        line = doc.line_of(loc, key=err["type"] == "extra_forbidden")
        dotted = ".".join(str(s) for s in loc) or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling)"
        lines.append(f"  {doc.path}:{line}: {dotted}: {msg}")
    return "\n".join(lines)
