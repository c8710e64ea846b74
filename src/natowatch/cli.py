"""The ``natowatch`` command: parse arguments, call one function, map errors to exit codes.

Each command imports what it needs when it runs, so ``natowatch build`` on an up-to-date site
does not pay for loading the server, the checker and the progress bar.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from natowatch import __version__
from natowatch.core.errors import NatowatchError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
        return result
    except NatowatchError as error:
        _print_lines("warning", getattr(error, "warnings", ()))
        for line in str(error).splitlines():
            print(f"natowatch: error: {line}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader of stdout went away (``natowatch inspect X | head``): not an error of ours.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except KeyboardInterrupt:
        print("natowatch: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="natowatch",
        description="Turn a folder of news articles into a static archive site.",
    )
    parser.add_argument("--version", action="version", version=f"natowatch {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_parser = commands.add_parser(
        "build",
        help="build the site from an archive folder",
        description="Load every article in SOURCE and write the static site to --out.",
    )
    build_parser.add_argument(
        "source",
        nargs="?",
        default="seeds",
        type=Path,
        help="archive folder with .txt/.md articles (default: seeds)",
    )
    build_parser.add_argument(
        "--out", default="site", type=Path, help="output folder (default: site)"
    )
    build_parser.add_argument(
        "--site-url",
        default=None,
        help="the site's public address for feeds, sitemap and canonical links "
        "(overrides site_url in natowatch.yml)",
    )
    chatter = build_parser.add_mutually_exclusive_group()
    chatter.add_argument(
        "--quiet", "-q", action="store_true", help="print nothing unless something is wrong"
    )
    chatter.add_argument(
        "--verbose", "-v", action="store_true", help="also print the time each stage took"
    )
    build_parser.add_argument(
        "--fresh",
        action="store_true",
        help="ignore the per-article cache (.natowatch-cache/ in SOURCE): a cold build",
    )
    build_parser.add_argument(
        "--keep-going",
        action="store_true",
        help="build what can be read, list what was skipped (also on build-report.html), "
        "and still exit 1",
    )
    build_parser.add_argument(
        "--drafts",
        action="store_true",
        help="also build draft articles (draft: true, or published: false, in front matter)",
    )
    build_parser.set_defaults(run=_run_build)

    inspect_parser = commands.add_parser(
        "inspect",
        help="print one article's record as JSON",
        description=(
            "Print the record the loader makes of FILE as one JSON object on stdout, using the "
            "facts (sources.yml) and dictionary (entities.yml) of the folder it sits in."
        ),
    )
    inspect_parser.add_argument("file", type=Path, help="an article file (.txt or .md)")
    inspect_parser.add_argument(
        "--explain",
        action="store_true",
        help=(
            "instead of the record, print each line of a scraped text with its label, which "
            "step decided it (rules or model) and the features that moved the model most"
        ),
    )
    inspect_parser.set_defaults(run=_run_inspect)

    check_parser = commands.add_parser(
        "check",
        help="validate a built site",
        description=(
            "Check a built site: every page has a title and one h1, every internal link, asset "
            "and anchor resolves, feeds and sitemap parse. Exits 1 when anything is wrong."
        ),
    )
    check_parser.add_argument(
        "site", nargs="?", default="site", type=Path, help="built site folder (default: site)"
    )
    check_parser.set_defaults(run=_run_check)

    new_parser = commands.add_parser(
        "new",
        help="start a new archive folder",
        description=(
            "Create DIR with a natowatch.yml, an entity dictionary, a sources.yml and an example "
            "article, ready for `natowatch build DIR`."
        ),
    )
    new_parser.add_argument("directory", type=Path, help="the folder to create")
    new_parser.set_defaults(run=_run_new)

    serve_parser = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild on every change",
        description=(
            "Build SOURCE into --out, serve it on http://127.0.0.1:PORT/ and rebuild when an "
            "article, sources.yml, entities.yml, natowatch.yml, a template or the stylesheet "
            "changes; open pages reload themselves. The built files are the same as `build` writes."
        ),
    )
    serve_parser.add_argument(
        "source",
        nargs="?",
        default="seeds",
        type=Path,
        help="archive folder with .txt/.md articles (default: seeds)",
    )
    serve_parser.add_argument(
        "--out", default="site", type=Path, help="output folder (default: site)"
    )
    serve_parser.add_argument(
        "--port", default=8000, type=int, help="port on 127.0.0.1 (default: 8000; 0 picks one)"
    )
    serve_parser.add_argument(
        "--site-url",
        default=None,
        help="the site's public address (overrides site_url in natowatch.yml)",
    )
    serve_parser.add_argument(
        "--drafts",
        action="store_true",
        help="also build draft articles (draft: true, or published: false, in front matter)",
    )
    serve_parser.set_defaults(run=_run_serve)
    return parser


def _run_build(args: argparse.Namespace) -> int:
    from natowatch import progress
    from natowatch.build import build

    started = time.perf_counter()
    with progress.article_bar(progress.wanted(args.quiet)) as bar:
        report = build(
            args.source,
            args.out,
            site_url=args.site_url,
            keep_going=args.keep_going,
            fresh=args.fresh,
            progress=bar,
            drafts=args.drafts,
        )
    seconds = time.perf_counter() - started
    _print_lines("warning", report.warnings)
    _print_lines("skipped", report.skipped)
    if args.verbose:
        for stage, spent in report.timings:
            print(f"  {spent:7.2f} s  {stage}", file=sys.stderr)
        print(f"  {report.reused} of {report.files} files unchanged", file=sys.stderr)
    if not args.quiet or report.skipped:
        counts = (
            f"{report.articles} article{'s' if report.articles != 1 else ''} ({report.files} files)"
        )
        summary = (
            f"{report.out_dir}/ is up to date with {counts}: no input changed since it was "
            f"built (checked in {seconds:.2f} s)"
            if report.up_to_date
            else f"Built {counts} into {report.out_dir}/ in {seconds:.2f} s"
        )
        if report.drafts:
            plural = "s" if report.drafts != 1 else ""
            summary += f"; left out {report.drafts} draft{plural} (--drafts builds them)"
        print(
            summary
            + (f"; skipped {len(report.skipped)} (see build-report.html)" if report.skipped else "")
        )
    return EXIT_ERROR if report.skipped else EXIT_OK


def _print_lines(kind: str, problems: Sequence[object]) -> None:
    for problem in problems:
        print(f"natowatch: {kind}: {problem}", file=sys.stderr)


def _run_serve(args: argparse.Namespace) -> int:
    from natowatch.serve import serve

    serve(args.source, args.out, port=args.port, site_url=args.site_url, drafts=args.drafts)
    return EXIT_OK


def _run_new(args: argparse.Namespace) -> int:
    from natowatch.scaffold import new_archive

    for path in new_archive(args.directory):
        print(f"created {path}")
    print(f"Next: add articles to {args.directory}/ and run natowatch build {args.directory}")
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    from natowatch.publish.check import check_site

    problems = check_site(args.site)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {args.site}/")
        return EXIT_ERROR
    print(f"{args.site}/: no problems found")
    return EXIT_OK


def _run_inspect(args: argparse.Namespace) -> int:
    from natowatch.archive.loader import load_file

    if args.explain:
        return _explain(args.file)
    record = load_file(args.file)
    json.dump(record.to_dict(), sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return EXIT_OK


def _explain(path: Path) -> int:
    from natowatch.archive.markdown import split_front_matter, with_file_lines
    from natowatch.archive.sources import FORMATS, read_text
    from natowatch.extract.explain import explain_text, format_explanation

    text = read_text(path)
    if FORMATS.get(path.suffix.lower()) != "text":
        print(f"{path}: not a scraped text (.txt); Markdown is taken as written, line by line")
        return EXIT_OK
    _, content = split_front_matter(text, path)
    sys.stdout.write(format_explanation(explain_text(with_file_lines(text, content))))
    return EXIT_OK
