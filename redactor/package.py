"""The disclosure package: release/ with its redaction log, review/, and manifest.json.

Everything is written into a staging folder next to the output and moved into
place at the end, so a run that fails leaves the previous package untouched
and never a half-written one.
"""

from __future__ import annotations

import csv
import ctypes
import functools
import hashlib
import io
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from secrets import token_hex

import regex

try:
    import fcntl
except ImportError:  # not a POSIX system: a stopped run's folder is left for the officer to remove
    fcntl = None  # type: ignore[assignment]

from .cache import CACHE_DIR, DB_NAME
from .errors import InputError
from .formats.base import atomic_writer, write_atomically
from .models import Action, DocumentResult, Finding
from .rules import RuleSet
from .verify import Secret, SecretIndex, path_words, rule_texts, secret_pattern

LOG_COLUMNS = ("log_id", "request_id", "document", "page", "location", "disposition", "entity_type",
               "exemption_code", "citation", "justification", "detector", "confidence", "discretionary")
RELEASE = "release"
REVIEW = "review"
VERSIONS = "versions"
MANIFEST = "manifest.json"
LOG_NAME = "redaction_log.csv"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_output_location(input_dir: Path, out_dir: Path) -> None:
    """Refuse an output inside the input (or around it), or a folder that is not a package."""
    src, out = input_dir.resolve(), out_dir.resolve()
    if out == src or out.is_relative_to(src):
        raise InputError(f"output folder {out} is inside the input folder {src}",
                         hint="inputs are never modified; choose an output outside it with --out")
    if src.is_relative_to(out):
        raise InputError(f"input folder {src} is inside the output folder {out}",
                         hint="choose an output folder that does not contain the records")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).exists())):
        raise InputError(f"{out} exists and is not a disclosure package written by redact",
                         hint="choose a new or empty output folder with --out")


def staging_dir(out_dir: Path, release: bool = True) -> Path:
    """A fresh staging folder beside the output (same file system, so the final move is a rename),
    locked for as long as this run holds it (see :func:`take_over_stopped_runs`).

    ``release=False`` (a scan) stages review/ only.
    """
    # The random part: after a reboot a process id comes round again, and a stopped run's folder of
    # that name may still hold a cache for the next run to take over.
    stage = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}-{token_hex(4)}"
    (stage / REVIEW).mkdir(parents=True)
    if release:
        (stage / RELEASE).mkdir()
    _hold(stage)
    return stage


#: The lock file of a staging folder: held by the run that stages there, released when it ends,
#: however it ends (the system drops a dead process's locks).
_STAGE_LOCK = ".lock"
_STAGE_NAME = regex.compile(r"\.(?P<out>.+)\.staging-(?P<pid>\d+)(?:-[0-9a-f]+)?")
_held: dict[Path, int] = {}


def _hold(stage: Path) -> None:
    if fcntl is None:
        return
    # Locked under a temporary name, then renamed: a lock file is never seen unlocked while its
    # run lives (another run that found it so would take the folder for a dead run's).
    tmp = stage / f"{_STAGE_LOCK}.new"
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.rename(tmp, stage / _STAGE_LOCK)
    _held[stage] = fd


def _let_go(stage: Path) -> None:
    fd = _held.pop(stage, None)
    if fd is not None:
        os.close(fd)


#: What :func:`_dead` answers for a folder without a lock file whose process is gone.
_NO_LOCK = -1
#: Seconds within which a staging folder without a lock file may still be being set up.
_SETTING_UP = 60.0


def _dead(stage: Path, pid: int) -> int | None:
    """The lock of ``stage`` (an open descriptor, now held here; :data:`_NO_LOCK` when it has none)
    when the run that made it (process ``pid``) has ended; None while that run lives or when that
    cannot be told."""
    if fcntl is None:  # not POSIX: neither the lock nor the process can be asked
        return None
    try:
        fd = os.open(stage / _STAGE_LOCK, os.O_RDWR)
    except FileNotFoundError:
        # Being set up, or made by a version without locks: judged by its process (on this machine)
        # once it is old enough not to be one being set up right now, perhaps by another machine.
        try:
            young = time.time() - stage.stat().st_mtime < _SETTING_UP
        except OSError:
            return None
        return _NO_LOCK if not young and _gone(pid) else None
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


#: Where a run keeps the released files of the stopped run it took over, in its own staging folder,
#: until the end of the run: a document whose cache entry still matches is taken from there.
RESUMED = ".resumed-release"


def take_over_stopped_runs(out_dir: Path, stage: Path) -> Path | None:
    """Clear the staging folders that runs for ``out_dir`` left when they were stopped (killed, the
    power lost; a run stopped by Ctrl-C leaves only its cache and released files), taking over the
    most recent cache, and the files it had released (``stage/RESUMED``), when the output has no
    cache of its own: a stopped first run's work is not done again. When it has one (a stopped
    rerun wrote there), the most recent stopped run's released files are taken over.

    Returns the staging folder whose cache was taken, if any. Folders of runs still going (their
    lock is held) are left alone."""
    cache_db = Path(CACHE_DIR) / DB_NAME
    stopped: list[tuple[Path, int]] = []
    for entry in sorted(out_dir.parent.iterdir()):  # not glob: an output's name may hold "[" or "*"
        match = _STAGE_NAME.fullmatch(entry.name)
        if entry == stage or match is None or match["out"] != out_dir.name or not _real_dir(entry):
            continue
        fd = _dead(entry, int(match["pid"]))
        if fd is not None:
            stopped.append((entry, fd))
    taken = None
    try:
        own_cache = (out_dir / cache_db).is_file()
        if own_cache:
            # A stopped rerun wrote what it learnt to the output's own cache: only what it had
            # released is taken (a file is used only where its hash is the one the cache recorded).
            candidates, newest = [s for s, _ in stopped if _real_dir(s / RELEASE)], Path(RELEASE)
        else:
            candidates, newest = [s for s, _ in stopped if (s / cache_db).is_file()], cache_db
        if candidates:
            taken = max(candidates, key=lambda s: (s / newest).stat().st_mtime)
            if not own_cache:
                (taken / CACHE_DIR).rename(stage / CACHE_DIR)
            if _real_dir(taken / RELEASE):
                (taken / RELEASE).rename(stage / RESUMED)
    finally:
        for entry, fd in stopped:
            shutil.rmtree(entry, ignore_errors=True)
            if fd != _NO_LOCK:
                os.close(fd)
    return taken


def _real_dir(path: Path) -> bool:
    """A folder, not a link to one (a stopped run's folder is taken over, never followed out)."""
    return path.is_dir() and not path.is_symlink()


def abandon_stage(stage: Path, out_dir: Path | None = None) -> Path | None:
    """After a run that did not finish: the package it was writing goes; its cache, which only a
    first run keeps here, and the files it had released stay for the next run to take over
    (:func:`take_over_stopped_runs`). A rerun's cache is in ``out_dir``: its released files stay
    when that cache is there to vouch for them. Returns the staging folder when something was kept."""
    try:
        own_cache = (stage / CACHE_DIR / DB_NAME).is_file()
        released = stage / RELEASE
        rerun_released = out_dir is not None and (out_dir / CACHE_DIR / DB_NAME).is_file() \
            and _real_dir(released) and any(released.iterdir())
        if not (own_cache or rerun_released):
            shutil.rmtree(stage, ignore_errors=True)
            return None
        for entry in stage.iterdir():
            if entry.name in (CACHE_DIR, RELEASE, _STAGE_LOCK):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        return stage
    finally:
        _let_go(stage)


def _link_or_copy(src: str, dst: str) -> None:
    # A hard link costs nothing and the package's files are only ever replaced, never edited in
    # place, so the kept version cannot change under it; a file system without links gets a copy.
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def keep_previous_version(out_dir: Path, stage: Path, version: int) -> Path | None:
    """Put the package in ``out_dir`` (version ``version``) under ``stage/versions/<version>/``, with the
    versions it kept itself, so every earlier release stays traceable. Returns the kept folder."""
    if not (out_dir / MANIFEST).is_file():
        return None
    versions = stage / VERSIONS
    if (out_dir / VERSIONS).is_dir():
        shutil.copytree(out_dir / VERSIONS, versions, copy_function=_link_or_copy, symlinks=True)
    name, n = str(version), 1
    while (versions / name).exists():  # a damaged manifest repeated a number: keep both
        n += 1
        name = f"{version}-{n}"
    kept = versions / name
    kept.mkdir(parents=True)
    for entry in sorted(out_dir.iterdir()):
        if entry.name == VERSIONS or entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, kept / entry.name, copy_function=_link_or_copy, symlinks=True)
        else:
            _link_or_copy(str(entry), str(kept / entry.name))
    return kept


def commit(stage: Path, out_dir: Path) -> None:
    """Move the staged package into place, replacing the previous one.

    Where the system can exchange two folders in one step (Linux), the package and the previous
    one swap places: the output is never missing, whenever the run is stopped. Elsewhere the
    previous package is moved aside, then the new one into place; a run killed between the two
    leaves the previous one aside, and the next run puts it back (:func:`restore_interrupted_commit`)."""
    (stage / _STAGE_LOCK).unlink(missing_ok=True)  # held until the move is done; not part of the package
    shutil.rmtree(stage / RESUMED, ignore_errors=True)
    if out_dir.exists() and _exchange(stage, out_dir):
        # The previous package now sits at the staging folder's name, without a lock: if the run
        # is stopped before it is gone, the next run clears it as a stopped run's folder.
        _let_go(stage)
        shutil.rmtree(stage, ignore_errors=True)
        return
    old = None
    if out_dir.exists():
        old = out_dir.parent / f".{out_dir.name}{_ASIDE}{os.getpid()}"
        out_dir.rename(old)
    stage.rename(out_dir)
    _let_go(stage)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


#: The name a previous package has while a commit without :func:`_exchange` replaces it.
_ASIDE = ".previous-"
_ASIDE_NAME = regex.compile(r"\.(?P<out>.+)" + regex.escape(_ASIDE) + r"(?P<pid>\d+)")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE); False where the
    system or the file system cannot (another system, an old kernel, some network file systems)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


@functools.cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn  # type: ignore[no-any-return]


def restore_interrupted_commit(out_dir: Path) -> Path | None:
    """Put back the previous package a run left aside when it was killed in the middle of its
    commit (see :func:`commit`), so the next run finds the package, its decisions' history and
    its kept versions where they belong; a leftover of a commit that completed is removed.
    Returns the folder put back, if any. Folders of a run still going are left alone."""
    aside = []
    for entry in sorted(out_dir.parent.iterdir()):  # not glob: an output's name may hold "[" or "*"
        match = _ASIDE_NAME.fullmatch(entry.name)
        if match is not None and match["out"] == out_dir.name and _real_dir(entry) and _ended(int(match["pid"])):
            aside.append(entry)
    restored = None
    if aside and not out_dir.exists():
        restored = max(aside, key=lambda entry: entry.stat().st_mtime)
        restored.rename(out_dir)
        aside.remove(restored)
    for entry in aside:
        shutil.rmtree(entry, ignore_errors=True)
    return restored


def _ended(pid: int) -> bool:
    """Whether the commit of process ``pid`` has ended: the process is gone, or it is this one (a
    commit of an earlier run in it that failed: it commits one run at a time)."""
    return pid == os.getpid() or _gone(pid)


def _gone(pid: int) -> bool:
    """Whether process ``pid`` (on this machine) has ended. Another user's process cannot be asked,
    and elsewhere than POSIX asking is not possible (Windows' os.kill ends the process): taken as
    alive."""
    if fcntl is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _disposition(f: Finding) -> str | None:
    if f.action.removes:
        return "redacted"
    if f.decided:
        return "released"
    return None  # public by the rules (an IP address, an EIN): not a redaction, no log row


def log_rows(results: Iterable[DocumentResult], rules: RuleSet, request_id: str | None,
             first: int = 1) -> Iterator[dict[str, str]]:
    """One row per redaction, release decision or withheld document; never the redacted text.

    Each logged finding gets its row's ``log_id`` as the row is made, so review/ can point at the
    public log. Rows are numbered from ``first`` (the log is written document by document) and made
    one at a time: a mailbox of thousands of messages has tens of thousands."""
    prefix = request_id or "LOG"
    number = first

    def add(row: dict[str, str]) -> dict[str, str]:
        nonlocal number
        row["log_id"] = f"{prefix}-{number:04d}"
        row["request_id"] = request_id or ""
        number += 1
        return row

    for result in results:
        if result.withheld is not None:
            code = result.withheld.code
            # The log's dispositions are redacted / withheld in full / released. A document held
            # back for the officer's manual review is withheld in full from this release, with no
            # exemption claimed yet; the justification says so.
            pending = result.withheld.reason != "decision"
            yield add({
                "document": result.document, "page": "", "location": "whole document",
                "disposition": "withheld in full", "entity_type": "", "exemption_code": code or "",
                "citation": rules.code(code).citation if code and code in rules.codes else "",
                "justification": (f"Pending manual review by the records access officer: {result.withheld.detail}"
                                  if pending else result.withheld.detail),
                "detector": "", "confidence": "", "discretionary": "",
            })
            continue
        for part in result.pages_withheld:
            yield add({
                "document": result.document, "page": str(part.page), "location": f"page {part.page}",
                "disposition": "withheld in full", "entity_type": "", "exemption_code": part.code or "",
                "citation": rules.code(part.code).citation if part.code and part.code in rules.codes else "",
                "justification": part.detail, "detector": "", "confidence": "", "discretionary": "",
            })
        for part in result.parts_withheld:
            yield add({
                "document": result.document, "page": "", "location": part.reason, "disposition": "withheld in full",
                "entity_type": "", "exemption_code": "", "citation": "",
                "justification": f"Pending manual review by the records access officer: {part.detail}",
                "detector": "", "confidence": "", "discretionary": "",
            })
        for f in result.findings:
            disposition = _disposition(f)
            if disposition is None:
                continue
            code = f.code if f.action.removes else None
            spec = rules.code(code) if code else None
            row = add({
                "document": f.document, "page": "" if f.location.page is None else str(f.location.page),
                "location": f.location.describe(), "disposition": disposition, "entity_type": f.entity,
                "exemption_code": code or "", "citation": spec.citation if spec else "",
                "justification": f.justification, "detector": f.detector,
                "confidence": f"{f.confidence:.2f}", "discretionary": "" if spec is None else
                str(spec.discretionary).lower(),
            })
            f.log_id = row["log_id"]
            yield row


def scrub_log(rows: list[dict[str, str]], secrets: list[Secret], rules: RuleSet,
              cache: dict[tuple[str, bool], bool] | None = None, index: SecretIndex | None = None) -> list[str]:
    """Keep redacted values out of the public log: a note that repeats one is replaced by the rule
    set's text, a path that holds one is masked. Returns what was changed, for the manifest.

    ``cache`` (text -> holds a value) and ``index`` (of ``secrets``) may be shared between calls on
    parts of one log."""
    fixed = rule_texts(rules)
    changes: list[str] = []
    cache = {} if cache is None else cache
    index = SecretIndex(secrets) if index is None else index

    def leaks(text: str, by_case: bool = False) -> bool:
        # Rows repeat the same notes and paths: each text checked once. Paths in any case, notes
        # by case (see verify.find_leaks_in_text), as verify.log_free_text reads them again.
        if (text, by_case) not in cache:
            cache[text, by_case] = bool(index.find(text, "log", by_case))
        return cache[text, by_case]

    for row in rows:
        if row["justification"] not in fixed and leaks(row["justification"], by_case=True):
            entity = row["entity_type"]
            row["justification"] = (rules.decide(entity).justification if entity in rules.spec.entities
                                    else "Withheld; the reason given in the review repeats withheld content.")
            changes.append(f"{row['log_id']}: the note repeats a redacted value; the rule set's text is logged")
        # An attachment's name in the location joins its words with underscores ("Jane_Roe_notes.pdf").
        if leaks(path_words(row["location"])):
            row["location"] = _mask(row["location"].replace("_", " "), secrets, lambda t: leaks(path_words(t)))
            changes.append(f"{row['log_id']}: the location names an attachment whose name holds a redacted value; "
                           "masked in the log")
        parts = row["document"].split("/")
        masked = [("[name withheld]" + (Path(p).suffix if i == len(parts) - 1 else ""))
                  if leaks(path_words(p)) else p for i, p in enumerate(parts)]
        if masked != parts:
            row["document"] = "/".join(masked)
            changes.append(f"{row['log_id']}: the document path holds a redacted value; masked in the log")
    return changes


def _mask(text: str, secrets: list[Secret], leaks: Callable[[str], bool]) -> str:
    """``text`` with every redacted value in it replaced by "[withheld]"; wholly replaced if that fails."""
    for secret in secrets:
        pattern = secret_pattern(secret.text)
        if pattern is not None:
            text = regex.compile(pattern.pattern, regex.IGNORECASE, cache_pattern=False).sub("[withheld]", text)
    return "[location withheld]" if leaks(text) else text


def _utf8(text: str) -> bytes:
    """UTF-8 bytes; a lone surrogate (a byte a reader could not decode) is written as its JSON escape
    rather than failing the whole package."""
    return text.encode("utf-8", "backslashreplace")


def write_log(path: Path, rows: Iterable[dict[str, str]]) -> None:
    """The public redaction log (CSV)."""
    with log_writer(path) as write:
        write(rows)


@contextmanager
def log_writer(path: Path) -> Iterator[Callable[[Iterable[dict[str, str]]], None]]:
    """A function that appends rows to the public log, which appears at ``path`` when the block ends."""
    with atomic_writer(path) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        writer = csv.DictWriter(text, fieldnames=LOG_COLUMNS, lineterminator="\n")
        writer.writeheader()

        def write(rows: Iterable[dict[str, str]]) -> None:
            for row in rows:
                writer.writerow({k: row.get(k, "") for k in LOG_COLUMNS})

        yield write
        text.flush()
        text.detach()


def read_log(path: Path) -> Iterator[dict[str, str]]:
    """The rows of a written log, one at a time."""
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _finding_line(f: Finding) -> bytes:
    return _utf8(json.dumps(f.to_json(), ensure_ascii=False, sort_keys=True) + "\n")


@contextmanager
def findings_writer(findings_path: Path, template_path: Path, request_id: str | None,
                    rules: RuleSet) -> Iterator[Callable[[Iterable[Finding]], None]]:
    """A function that appends findings to review/findings.jsonl (one JSON object per finding;
    internal: holds the values) and to the decisions template (every finding as a decision item with
    its current action; valid as a decisions file as is). Both files appear when the block ends.

    Fed document by document by the pass that writes the public log, so a large request's findings
    are not read back from disk once more for these two files (a rerun pays every such pass in full)."""
    with atomic_writer(findings_path) as fj, atomic_writer(template_path) as ft:
        ft.write(_template_text(_template_head(request_id, rules)))

        def write(findings: Iterable[Finding]) -> None:
            for f in findings:
                fj.write(_finding_line(f))
                ft.write(_template_text(_template_item(f)))

        yield write


def _template_text(lines: Iterable[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


def mask(value: str) -> str:
    """A hint that lets the officer recognise a value without the template revealing it."""
    chars = list(value)
    alnum = [i for i, ch in enumerate(chars) if ch.isalnum()]
    keep = {alnum[0], alnum[-1]} if len(alnum) >= 6 else set()
    return "".join(ch if (i in keep or not ch.isalnum()) else "•" for i, ch in enumerate(chars))


def _template_head(request_id: str | None, rules: RuleSet) -> list[str]:
    return [
        f"# Decisions template for request {request_id or '(no request id)'} (rules: {rules.name} {rules.version}).",
        "# Copy this file, keep the items you want to change, and pass it with --decisions.",
        "#   action: release        releases the value",
        "#   action: redact         redacts it (optionally under another code)",
        "#   note: ...              your reason; it appears in the logs",
        "# Other item forms: {text: \"...\", action: redact, code: \"...\"} redacts a term everywhere;",
        "#   {document: path, action: withhold, code: \"...\"} withholds a whole document.",
        "",
    ]


def _template_item(f: Finding) -> tuple[str, str]:
    action = "release" if f.action is Action.KEEP else "redact"
    hint = json.dumps(mask(f.text), ensure_ascii=False)
    current = f"{f.action}" + (f" {f.code}" if f.code else "")
    # JSON strings are valid YAML flow scalars, and much faster to write than yaml.dump per item.
    code = f", code: {json.dumps(f.code)}" if action == "redact" and f.code else ""
    return (f"# {f.document}, {f.location.describe()}: {f.entity} {hint} (now: {current})",
            f"- {{finding: {f.id}, action: {action}{code}}}")


def write_manifest(path: Path, manifest: dict) -> None:
    """manifest.json with sorted keys, so reruns diff cleanly."""
    write_atomically(path, _utf8(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"))
