"""The ``redact`` command: a thin client of :mod:`redactor.api`.

Exceptions become exit codes in one place, :meth:`RedactGroup.invoke`.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import textwrap
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .api import BatchOptions, BatchResult, TimeLimit, run_batch
from .errors import ExitCode, RedactError
from .executors import default_jobs
from .models import Action, DocumentResult
from .report import package_summary
from .rules import available_rule_sets, load_rules
from .verify import scan_folder, verify_package


class RedactGroup(click.Group):
    """Turns :class:`RedactError` into its exit code and a message on stderr; bugs into code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except RedactError as exc:
            click.echo(f"redact: error: {exc}{_notes(exc)}", err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt as exc:
            click.echo(f"redact: interrupted; nothing was released{_notes(exc)}", err=True)
            ctx.exit(int(ExitCode.INTERRUPTED))
        except BrokenPipeError:
            # The reader of our output went away (`redact rules show ... | head`): not a bug.
            # Point stdout at devnull so the interpreter's final flush does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(int(ExitCode.INTERNAL_ERROR))
        except Exception:
            click.echo("redact: internal error (a bug; nothing was released). Details:\n"
                       + traceback.format_exc(), err=True)
            ctx.exit(int(ExitCode.INTERNAL_ERROR))


def _notes(exc: BaseException) -> str:
    """What the run added on its way out (where its analysis was kept), one line each."""
    return "".join(f"\nredact: {note}" for note in getattr(exc, "__notes__", ()))


def verbosity_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """-q/--quiet and -v/--verbose, spelled the same on every command."""
    fn = click.option("-v", "--verbose", count=True, help="More detail on stderr (repeat for debug).")(fn)
    fn = click.option("-q", "--quiet", is_flag=True, help="Print only errors and the final status line.")(fn)
    return fn


def _setup_logging(quiet: bool, verbose: int) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else
                                         logging.WARNING)
    logging.basicConfig(level=level, format="redact: %(levelname)s: %(message)s", stream=sys.stderr, force=True)
    # presidio and spaCy are chatty at INFO; their warnings still show.
    for name in ("presidio-analyzer", "presidio_analyzer", "spacy"):
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


@click.group(cls=RedactGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redact")
def cli() -> None:
    """Redact exempt content from public records and package them for release.

    \b
    redact scan  ./request-123            # review report only, nothing released
    redact batch ./request-123            # -> ./request-123-disclosure/
    redact batch ./request-123 --decisions appeal-1.yaml
    redact report ./request-123-disclosure
    redact verify ./request-123-disclosure
    redact rules list
    """


def run_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options `batch` and `scan` share, spelled the same on both."""
    for option in reversed([
        click.argument("folder", type=click.Path(path_type=Path, file_okay=False)),
        click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
                     help="Output folder (default: FOLDER-disclosure beside the input)."),
        click.option("--rules", default=None,
                     help="Rule set name (see `redact rules list`) or path to a YAML rule file."),
        click.option("--decisions", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
                     help="Decisions file from a review or an appeal."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                     help="Documents processed in parallel on this machine [default: all cores, "
                          f"{default_jobs()} here]."),
        click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="Where documents are processed: this machine, or a dask.distributed cluster "
                          "(see README: Large requests)."),
        click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
                     help="With --executor dask: the address of the cluster's scheduler."),
        click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
                     help="Read scanned pages and images with Tesseract: where needed, on every page, or never "
                          "(documents with such pages are then withheld)."),
        click.option("--document-timeout", type=click.FloatRange(min=0), default=TimeLimit().base / 60,
                     show_default=True, metavar="MINUTES",
                     help="Stop a document still being processed after this long (plus a minute per PDF page, "
                          "three per MB of other files) and withhold it for manual review; 0: no limit. Applies "
                          "with two jobs or more on this machine."),
    ]):
        fn = option(fn)
    return fn


class _ProgressBar:
    """Documents and pages done, rate and time left, on stderr; only when stderr is a terminal and
    not with -q (a log file or a pipe gets no bar). -v adds a line per document."""

    def __init__(self, quiet: bool, verbose: int) -> None:
        self.show = not quiet and sys.stderr.isatty()
        self.verbose = verbose
        self.pages = 0
        self.bar: Any = None

    def start(self, documents: int) -> None:
        if self.show:
            from tqdm import tqdm

            # A terminal that reports no size (a bare pseudo-terminal) would get no bar at all from tqdm.
            sized = os.get_terminal_size(sys.stderr.fileno()).columns > 0
            self.bar = tqdm(total=documents, unit="doc", file=sys.stderr, dynamic_ncols=sized,
                            ncols=None if sized else 100, nrows=None if sized else 24, smoothing=0.1,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} documents, {postfix} "
                                       "[{elapsed}<{remaining}, {rate_fmt}]")
            self.bar.set_postfix_str("0 pages", refresh=False)

    def looked(self, done: int, of: int) -> None:
        # Before any document is done: the documents are first read for the values each removes.
        if self.bar is not None:
            # Shown at the bar's pace, not at every document; the last always.
            self.bar.set_postfix_str(f"reading ahead {done}/{of}", refresh=done == of)
            self.bar.update(0)

    def done(self, result: DocumentResult) -> None:
        self.pages += result.pages
        if self.verbose:
            status = result.status if result.withheld is None else f"withheld ({result.withheld.reason})"
            line = f"  {result.document}: {len(result.findings)} findings, {status}"
            if self.bar is not None:
                self.bar.write(line, file=sys.stderr)
            else:
                click.echo(line, err=True)
        if self.bar is not None:
            rate = self.pages / max(self.bar.format_dict["elapsed"], 1e-6)
            self.bar.set_postfix_str(f"{self.pages} pages ({rate:.1f}/s)", refresh=False)
            self.bar.update(1)
            if self.bar.n >= self.bar.total:
                self.bar.close()
                self.bar = None


@cli.command()
@run_options
@click.option("--dry-run", is_flag=True, help="Say what would be redacted; write nothing.")
@verbosity_options
def batch(folder: Path, out_dir: Path | None, rules: str | None, decisions: Path | None, jobs: int | None,
          executor: str, scheduler: str | None, ocr: str, document_timeout: float, dry_run: bool, quiet: bool,
          verbose: int) -> None:
    """Detect, redact, verify and package every record in FOLDER.

    \b
    Example:
      redact batch sample_records/request-001
      redact batch ./request-123 --out /srv/releases/request-123 --decisions review.yaml
      redact batch /shared/request-123 --executor dask --scheduler tcp://10.0.0.5:8786

    Exit codes: 0 clean; 3 finished but documents were withheld for manual
    review; 2 bad usage (also: the Dask scheduler cannot be reached); 4 bad
    input/output folder; 5 bad request.yaml, rules or decisions;
    6 a leak was found (the document was withheld); 1 internal error.
    """
    _run(folder, BatchOptions(out_dir=out_dir, rules=rules, decisions=decisions, jobs=jobs or default_jobs(),
                              executor=executor, scheduler=scheduler, dry_run=dry_run, ocr=ocr,
                              time_limit=_time_limit(document_timeout)), quiet, verbose)


@cli.command()
@run_options
@verbosity_options
def scan(folder: Path, out_dir: Path | None, rules: str | None, decisions: Path | None, jobs: int | None,
         executor: str, scheduler: str | None, ocr: str, document_timeout: float, quiet: bool, verbose: int) -> None:
    """Detect only: write the review report, findings and decisions template; release nothing.

    The output folder gets review/ and manifest.json but no release/. Open
    review/report.html, record decisions, then run `redact batch` with them.
    A scan into an existing package is a new version (the previous one is kept
    under versions/).

    \b
    Example:
      redact scan sample_records/request-001
      redact scan ./request-123 --decisions review.yaml

    Exit codes as for `redact batch`.
    """
    _run(folder, BatchOptions(out_dir=out_dir, rules=rules, decisions=decisions, jobs=jobs or default_jobs(),
                              executor=executor, scheduler=scheduler, ocr=ocr, scan=True,
                              time_limit=_time_limit(document_timeout)), quiet, verbose)


def _time_limit(minutes: float) -> TimeLimit | None:
    return TimeLimit(base=minutes * 60) if minutes else None


def _run(folder: Path, options: BatchOptions, quiet: bool, verbose: int) -> None:
    """What `batch` and `scan` share: run, print the summary, exit with the run's code."""
    _setup_logging(quiet, verbose)
    result = run_batch(folder, options, progress=_ProgressBar(quiet, verbose))
    _print_summary(result, quiet)
    click.get_current_context().exit(int(result.exit_code))


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
def report(folder: Path) -> None:
    """Summarise a finished package in the terminal: withheld documents, counts, changes.

    Reads only the package's own files (manifest.json, review/), so it works
    on any package `redact batch` or `redact scan` wrote, including a kept
    version under versions/N.

    \b
    Example:
      redact report sample_records/request-001-disclosure
    """
    click.echo(package_summary(folder))


def _print_summary(result: BatchResult, quiet: bool) -> None:
    docs = result.results.light  # statuses and outputs; findings stay on disk
    released = sum(1 for r in docs if r.status == "released")
    redacted, review, kept = (result.count(a) for a in (Action.REDACT, Action.REVIEW, Action.KEEP))
    if result.dry_run:
        affected = sum(1 for c in result.results.counts if any(a.removes and n for a, n in c.items()))
        click.echo(f"Would redact {redacted + review} items in {affected} documents "
                   f"({review} flagged for review, {kept} found and kept as public); "
                   f"{len(result.withheld)} of {len(docs)} documents would be withheld for manual review. "
                   "Nothing was written.")
        return
    if not quiet:
        req = result.request.request_id or "(no request id)"
        click.echo(f"redact {__version__}: request {req}, rules {result.rules.name} {result.rules.version}, "
                   f"package version {result.version}" + (" (scan: nothing released)" if result.scan else ""))
        if result.scan:
            click.echo(f"Documents: {len(docs)} scanned, {len(result.withheld)} would be withheld.")
        else:
            click.echo(f"Documents: {len(docs)} processed, {released} released, {len(result.withheld)} withheld.")
        click.echo(f"Findings: {redacted} redacted, {review} redacted pending review, {kept} kept as public.")
        if result.withheld:
            click.echo("Withheld from release/ (listed in manifest.json):")
            for w in result.withheld:
                click.echo(f"  {w.document}: {w.reason}: {w.detail}")
    leak_docs = [r.document for r in docs if r.leaks] + [leak.file for leak in result.leaks]
    if leak_docs:
        click.echo(f"LEAK: verification found redacted values in: {', '.join(sorted(set(leak_docs)))}")
    elif not quiet and not result.scan:
        click.echo("Verification: no redacted value found in release/.")
    if not quiet and result.version > 1:
        click.echo(f"Changes since version {result.version - 1}: {len(result.changes) or 'none'} "
                   f"(review/changes.csv; version {result.version - 1} kept in versions/{result.version - 1}/)")
    click.echo(f"{'Review package' if result.scan else 'Disclosure package'}: {result.out_dir}")
    if not quiet:
        if not result.scan:
            click.echo(f"  release/  what goes to the requester ({released} documents + redaction_log.csv)")
        click.echo("  review/   report.html (open in a browser), findings, decisions template"
                   + ("" if result.scan else ", draft response letter") + " (internal)")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@verbosity_options
def verify(folder: Path, quiet: bool, verbose: int) -> None:
    """Re-check a disclosure package for leaks, or any folder of PDFs for bad redactions; exits 6 on a problem.

    A package (a folder `redact batch` wrote) is searched for every value its
    findings removed, and its PDFs for live text under dark boxes. Any other
    folder has its PDFs checked for live text under dark boxes, highlights
    and unapplied Redact annotations.

    \b
    Example:
      redact verify ./request-123-disclosure
      redact verify ./scans-from-the-clerk
    """
    _setup_logging(quiet, verbose)
    is_package = (folder / "manifest.json").is_file() and (folder / "review" / "findings.jsonl").is_file()
    problems = verify_package(folder) if is_package else scan_folder(folder)
    ctx = click.get_current_context()
    if problems:
        for leak in problems:
            what = f"finding {leak.finding_id} ({leak.entity})" if leak.finding_id != "-" else leak.entity
            click.echo(f"LEAK: {leak.file}: {what}")
        ctx.exit(int(ExitCode.LEAK_DETECTED))
    click.echo(f"Verified {folder}: " + ("no redacted value found in release/." if is_package
                                         else "no live text under a dark box in its PDFs."))


@cli.group()
def rules() -> None:
    """List and show exemption rule sets."""


@rules.command("list")
def rules_list() -> None:
    """List the installed rule sets.

    \b
    Example:
      redact rules list
    """
    for name in available_rule_sets():
        rs = load_rules(name)
        click.echo(f"{name:<16} {rs.version:<12} {rs.spec.status:<9} {rs.spec.title}")


@rules.command("show")
@click.argument("name")
def rules_show(name: str) -> None:
    """Show a rule set's codes and what each entity type maps to.

    NAME is an installed rule set or a path to a YAML rule file.

    \b
    Example:
      redact rules show massachusetts
    """
    rs = load_rules(name)
    spec = rs.spec
    click.echo(f"{spec.title} ({spec.name} {spec.version}, {spec.status}; {spec.jurisdiction})")
    click.echo(f"Law: {spec.law}")
    click.echo(textwrap.fill(f"Notice: {spec.notice}", width=100, subsequent_indent="  "))
    click.echo("\nCodes (write them as shown; aliases in brackets):")
    for key, code in rs.codes.items():
        flags = [] if code.discretionary else ["mandatory"]
        if code.uncertain:
            flags.append("uncertain")
        aliases = f" [{', '.join(code.aliases)}]" if code.aliases else ""
        click.echo(f"  {key:<14} {code.title}{aliases}")
        click.echo(f"  {'':<14} {code.citation}; verification {code.verification}"
                   + (f"; {', '.join(flags)}" if flags else ""))
    click.echo("\nEntity types:")
    for entity, rule in spec.entities.items():
        target = f"{rule.action} {rule.code or ''}".strip()
        click.echo(f"  {entity:<20} {target:<16} {rule.justification}")
        for role, rr in rule.roles.items():
            click.echo(f"  {'':<20}   if {role}: {rr.action} {rr.code or ''}")
    click.echo(f"\nAlways-redact terms without a code use {spec.custom_term_code}.")


def _terminated(signum: int, frame: object) -> None:
    # SIGTERM (a service manager, `kill`) ends the run like Ctrl-C: workers stopped, the staging
    # folder removed, nothing released.
    raise KeyboardInterrupt


def run() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminated)
    cli(prog_name="redact")
