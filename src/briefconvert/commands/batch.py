"""``briefconvert batch INPUT... --to FMTS --out-dir DIR``: parallel,
resumable batch conversion with a JSON-lines report (see briefconvert.batch)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..cli import Parser, add_conversion_options

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

EPILOG = """\
INPUT is a file, a folder (searched recursively for --ext files), a glob
("briefs/**/*.pdf", quoted) or @list.txt (one INPUT per line).  The input tree
is mirrored under --out-dir: briefs/2024/a.pdf given as "briefs" becomes
DIR/2024/a.epub.

Every input gets one JSON line in the report (default DIR/briefconvert-report.jsonl):
input sha256, options digest, tool version, status (ok, failed, timeout,
skipped), error, outputs, diagnostic counts, seconds and peak memory.  Run the
same command again and only what is missing or changed is converted: an input
is skipped when its outputs exist and its hash, the options and the version
match the report (inputs that failed are skipped too until they change, or
with --retry-failed).  A killed batch (even kill -9) resumes where it stopped;
outputs are written atomically, never torn.

examples:
  briefconvert batch briefs/ --to epub,html --out-dir out/
  briefconvert batch "archive/**/*.pdf" @new.txt --to all --out-dir site/ -j 4
  briefconvert batch briefs/ --to epub --out-dir out/ --html-report out/report.html
  briefconvert batch briefs/ --to epub --out-dir out/ --dask local
  briefconvert batch /shared/briefs --to epub --out-dir /shared/out --scheduler tcp://10.0.0.5:8786

exit codes: 0 every input converted, 1 some failed (or timed out), 2 usage error, 130 interrupted
"""


def build_parser() -> argparse.ArgumentParser:
    from ..batch.api import DEFAULT_TIMEOUT, default_jobs

    p = Parser(
        prog="briefconvert batch",
        description="Convert many briefs in parallel, resumably, with a report.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, globs or @list.txt")
    p.add_argument(
        "-t", "--to", default="html", metavar="FMT[,FMT...]",
        help="output formats: html, epub, docx, txt, md, json, or all (default: html)",
    )  # fmt: skip
    p.add_argument(
        "-o", "--out-dir", required=True, metavar="DIR", help="where the outputs go (mirroring the inputs)"
    )
    p.add_argument("--version", action="version", version=f"briefconvert {__version__}")
    p.add_argument("-q", "--quiet", action="store_true", help="print failures only")
    g = p.add_argument_group("running")
    g.add_argument(
        "-j", "--jobs", type=int, default=default_jobs(), metavar="N",
        help=f"documents converted at once (default: the CPU count, {default_jobs()})",
    )  # fmt: skip
    g.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help=f"give up on a document after this long (default {DEFAULT_TIMEOUT:g}; 0 for none)",
    )  # fmt: skip
    g.add_argument(
        "--memory-limit", type=int, default=2048, metavar="MB",
        help="address space of each worker process (default 2048; 0 for none)",
    )  # fmt: skip
    g.add_argument("--force", action="store_true", help="convert everything again, ignoring the report")
    g.add_argument(
        "--retry-failed", action="store_true", help="try again the inputs that failed in an earlier run"
    )
    g.add_argument(
        "--ext", default="html,htm,xhtml,pdf", metavar="EXT[,EXT...]",
        help="file extensions taken from folders and globs (default: html,htm,xhtml,pdf)",
    )  # fmt: skip
    g.add_argument("--worker-setup", help=argparse.SUPPRESS)  # MODULE:FUNCTION run in each worker (tests)
    g = p.add_argument_group("report")
    g.add_argument(
        "--report", metavar="FILE", help="the JSON-lines report (default: DIR/briefconvert-report.jsonl)"
    )
    g.add_argument("--html-report", metavar="FILE", help="also write a browsable summary page")
    g = p.add_argument_group("Dask cluster (needs the briefconvert[dask] extra)")
    where = g.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the jobs on this Dask scheduler")
    where.add_argument(
        "--dask", choices=("local",),
        help="'local': start a Dask LocalCluster of --jobs worker processes here",
    )  # fmt: skip
    g.add_argument(
        "--allowed-failures", type=int, default=1, metavar="N",
        help="with --dask local: Dask workers a document may kill before it is given up (default 1)",
    )  # fmt: skip
    add_conversion_options(p)  # as for a single file
    return p


def _usage(message: str) -> int:
    print(f"briefconvert batch: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _check(args: argparse.Namespace) -> str | None:
    if args.jobs < 1:
        return "--jobs must be 1 or more"
    if args.timeout < 0:
        return "--timeout must be 0 (none) or more"
    if args.memory_limit < 0:
        return "--memory-limit must be 0 (none) or more"
    if args.width < 0:
        return "--width must be 0 or more"
    if args.allowed_failures < 0:
        return "--allowed-failures must be 0 or more"
    if args.worker_setup:
        from ..batch.worker import load_setup

        try:
            load_setup(args.worker_setup)
        except (ImportError, AttributeError, ValueError) as exc:
            return f"--worker-setup {args.worker_setup}: {exc}"
    return None


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Any]:
    """None (the local pool), or a Dask client."""
    if not (args.scheduler or args.dask):
        yield None
        return
    from ..batch import dask as batch_dask

    if args.scheduler:
        with batch_dask.remote_client(args.scheduler) as client:
            yield client
    else:
        with batch_dask.local_client(args.jobs, allowed_failures=args.allowed_failures) as client:
            yield client


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    problem = _check(args)
    if problem:
        return _usage(problem)
    from ..batch import BatchUsageError, run
    from ..batch.inputs import parse_extensions
    from ..batch.progress import make_progress
    from ..cli import convert_options

    try:
        extensions = parse_extensions(args.ext)
        options = convert_options(args, "<stem>", False)
        with _executor(args) as executor:
            summary = run(
                args.inputs,
                to=args.to,
                out_dir=args.out_dir,
                options=options,
                executor=executor,
                jobs=args.jobs,
                timeout=args.timeout,
                memory_limit=args.memory_limit * 1024 * 1024 if args.memory_limit else None,
                report=args.report,
                html_report=args.html_report,
                force=args.force,
                retry_failed=args.retry_failed,
                extensions=extensions,
                progress=make_progress(quiet=args.quiet),
                worker_setup=args.worker_setup,
            )
    except BatchUsageError as exc:
        return _usage(str(exc))
    except ImportError as exc:
        if args.scheduler or args.dask:
            return _usage(f"Dask needs the optional extra: pip install 'briefconvert[dask]' ({exc})")
        raise
    except OSError as exc:
        if args.scheduler:
            return _usage(f"cannot reach the Dask scheduler {args.scheduler}: {exc}")
        raise
    except KeyboardInterrupt:
        print("briefconvert batch: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    if not args.quiet:
        for line in summary.lines():
            print(line, file=sys.stderr)
        report = Path(args.report) if args.report else Path(args.out_dir) / "briefconvert-report.jsonl"
        print(f"report: {report}", file=sys.stderr)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if summary.failures else EXIT_OK
