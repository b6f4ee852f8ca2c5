"""The `forumguide` command: a thin adapter over the core."""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from . import __version__
from .records.paths import find_root
from .records.problems import InvalidGuidance, Problem

# Heavier modules (schema checking, the cache, templates, WeasyPrint) are imported by the commands that
# use them, so that `forumguide report` can start its render worker before importing them.


def _root(arg: str | None) -> Path:
    return Path(arg).resolve() if arg else find_root()


def print_problems(problems: list[Problem], out=None) -> None:
    """Errors one per line; identical warnings grouped so that a long list of expected ones stays short."""
    out = out or sys.stderr
    for p in problems:
        if p.severity == "error":
            print(str(p), file=out)
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        if p.severity == "warning":
            grouped[p.message].append(p)
    for message, group in grouped.items():
        if len(group) == 1:
            print(str(group[0]), file=out)
        else:
            names = ", ".join(Path(p.file).stem for p in group)
            print(f"warning: {len(group)} records: {message}\n  {names}", file=out)


def cmd_validate(args: argparse.Namespace) -> int:
    from .records import export
    from .records.load import load

    root = _root(args.path)
    report = load(root)
    print_problems(report.problems)
    if report.ok:
        g = report.guidance
        c = export.counts(g)
        print(
            f"OK: {c['theory_areas']} theory areas, {c['cmos']} CMOs, {c['publications']} references, "
            f"{c['interview_participants']} interview participants, {c['recommendations']} recommendations, "
            f"{c['checklist_items']} checklist items; {len(report.warnings)} warnings."
        )
        return 0
    print(f"{len(report.errors)} problem(s) found in {root}; nothing was changed.", file=sys.stderr)
    return 1


def _write(text: str, target: str | None) -> None:
    if target and target != "-":
        Path(target).write_text(text, encoding="utf-8")
        print(f"Wrote {target}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def cmd_export(args: argparse.Namespace) -> int:
    from .records import export
    from .records.load import load_guidance

    g = load_guidance(_root(args.path))
    data = export.csl_items(g) if args.format == "csl-json" else export.export_document(g)
    _write(export.dumps(data), args.output)
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from .audit import scoring
    from .records import export
    from .report.text import render_comparison, render_text

    root, g, data = _guidance_and_scoring(args)
    files = _read_answers(
        args.answers, root, data, "the answers could not be scored; nothing was changed.", show_warnings=False
    )
    if files is None:
        return 1
    scored = []
    for name, checked in zip(args.answers, files, strict=True):
        warnings = [
            f"{p.field}: {p.message}" if p.field != "(whole file)" else p.message for p in checked.warnings
        ]
        scored.append((name, checked.data, scoring.score(data, checked.data), warnings))
    if args.format == "json":
        documents = [
            {
                "file": name,
                "guidance_version": g.version,
                "answers": {
                    k: answers[k] for k in ("organisation", "forum", "assessors", "date", "guidance_version")
                },
                "assessment": scoring.assessment_method(data, answers)["id"],
                "result": result,
                "warnings": warnings,
            }
            for name, answers, result, warnings in scored
        ]
        _write(export.dumps(documents[0] if len(documents) == 1 else documents), None)
    elif len(scored) == 1:
        _, answers, result, warnings = scored[0]
        sys.stdout.write(render_text(g, answers, result, warnings))
    else:
        sys.stdout.write(
            render_comparison(data, [(name, answers, result) for name, answers, result, _ in scored])
        )
    return 0


def _guidance_and_scoring(args: argparse.Namespace):
    """(project folder, checked guidance, scoring data): where every command on answers files starts."""
    from .audit.scoring import scoring_data
    from .records.load import load_guidance

    root = _root(args.path)
    g = load_guidance(root)
    return root, g, scoring_data(g)


def _read_answers(
    paths: list[str], root: Path, data: dict, failed: str, *, show_warnings: bool = True
) -> list | None:
    """Each answers file read and checked against the scoring data, in order (warnings printed as each
    is read, unless the command shows them itself); at the first that cannot be used, its problems and
    `failed` are printed and None is returned."""
    from .audit.answers import read_answers_file

    files = []
    for path in paths:
        checked = read_answers_file(Path(path), root, data)
        if not checked.ok:
            print_problems(checked.problems)
            print(f"{path}: {failed}", file=sys.stderr)
            return None
        if show_warnings:
            print_problems(checked.warnings)
        files.append(checked)
    return files


def _checked_answers(path: str, root: Path, data: dict):
    """One answers file's data, or None (its problems printed)."""
    files = _read_answers([path], root, data, "the answers could not be used; nothing was written.")
    return None if files is None else files[0].data


def cmd_report(args: argparse.Namespace) -> int:
    from .speedups import RenderProcess

    worker = None if args.html else RenderProcess()  # first: it loads WeasyPrint while we check the answers
    try:
        from .report import board_html

        root, g, data = _guidance_and_scoring(args)
        answers = _checked_answers(args.answers, root, data)
        previous = _checked_answers(args.previous, root, data) if args.previous else None
        if answers is None or (args.previous and previous is None):
            return 1
        html = board_html(g, answers, previous)
        if worker is None:
            Path(args.output).write_text(html, encoding="utf-8")
        else:
            Path(args.output).write_bytes(worker.render(html))
    finally:
        if worker is not None:
            worker.cancel()
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    from .audit import action_files, actions, scoring

    root, g, data = _guidance_and_scoring(args)
    answers = _checked_answers(args.answers, root, data)
    if answers is None:
        return 1
    plan = actions.plan(g, data, answers, scoring.score(data, answers))
    if args.framework:
        try:
            plan = actions.for_framework(g, plan, args.framework)
        except actions.UnknownFramework as exc:
            print(f"forumguide: {exc}", file=sys.stderr)
            return 2
    if args.format == "xlsx":
        if not args.output:
            print("forumguide: --format xlsx needs -o FILE", file=sys.stderr)
            return 2
        title = f"Action plan: {answers.get('forum', '')}"
        if args.framework:
            title += f" ({g.framework_by_id[args.framework].short_title})"
        Path(args.output).write_bytes(action_files.to_xlsx(g, plan, title, answers["date"], args.framework))
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        _write(action_files.to_csv(g, plan, args.framework), args.output)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    import datetime

    from .audit.answers_template import blank_answers_json, blank_answers_yaml
    from .records.load import load_guidance

    g = load_guidance(_root(args.path))
    fmt = args.format or ("json" if args.output and args.output.lower().endswith(".json") else "yaml")
    if args.output and args.output != "-" and Path(args.output).exists() and not args.force:
        print(
            f"forumguide: {args.output} already exists; nothing was written (use --force to replace it).",
            file=sys.stderr,
        )
        return 1
    date = (
        args.date or datetime.date.today().isoformat()
    )  # the day the audit starts; the file says to change it
    _write((blank_answers_json if fmt == "json" else blank_answers_yaml)(g, date), args.output)
    return 0


def _value_text(value, labels: dict[str, str]) -> str:
    if value is None:
        return "not answered"
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value) or "not answered"
    return labels.get(value, value)


def cmd_merge(args: argparse.Namespace) -> int:
    from .audit import scoring
    from .audit.answers import check_document, dump_answers
    from .audit.merge import Source, merge
    from .records.yamlsource import Document

    root, g, data = _guidance_and_scoring(args)
    files = _read_answers(args.answers, root, data, "the answers could not be used; nothing was written.")
    if files is None:
        return 1
    sources = [
        Source(file=Path(path).name, answers=checked.data)
        for path, checked in zip(args.answers, files, strict=True)
    ]
    merged = merge(data, sources, args.rule)
    labels = {
        **scoring.rating_labels(data),
        **{o["id"]: o["label"] for q in data["profile"] for o in q["options"]},
    }
    check = check_document(Document(file=args.output or "merged answers", data=merged.answers), root, data)
    if not check.ok:
        print_problems(check.problems)
        print(
            "The merged answers break a limit of the answers file (see above); shorten the text in one of the "
            "files and merge again. Nothing was written.",
            file=sys.stderr,
        )
        return 1

    rule_text = {"lowest": "the lowest rating given", "unresolved": "left unanswered, to be settled"}[
        args.rule
    ]
    out = sys.stderr
    print(
        f"Merged {len(sources)} files ({', '.join(s.file for s in sources)}); "
        f"{len(merged.disagreements)} disagreement(s), settled by rule '{args.rule}' ({rule_text}).",
        file=out,
    )
    questions = {q["id"]: q["question"] for q in data["profile"]}
    for d in merged.disagreements:
        what = f"{g.item_by_id[d.item].title} ({d.item})" if d.item else f"Profile: {questions[d.question]}"
        print(f"  {what}", file=out)
        for by, value in d.views:
            print(f"    {by}: {_value_text(value, labels)}", file=out)
        print(
            f"    → {'left unanswered, to settle' if d.chosen is None else _value_text(d.chosen, labels)}",
            file=out,
        )
    for detail in merged.details:
        views = "; ".join(
            f"{by}: {value if not isinstance(value, dict) else ', '.join(f'{k} {v}' for k, v in value.items())}"
            for by, value in detail.views
        )
        print(
            f"  {g.item_by_id[detail.item].title if detail.item in g.item_by_id else detail.item}: "
            f"{detail.part} differs ({views}); the first was kept.",
            file=out,
        )
    fmt = args.format or ("json" if args.output and args.output.lower().endswith(".json") else "yaml")
    header = (
        f"Merged by `forumguide merge` from {', '.join(s.file for s in sources)} (rule: {args.rule}).\n"
        "Settle a disagreement by editing the rating below; `merge` keeps the record of who said what."
    )
    _write(dump_answers(merged.answers, fmt, header), args.output)
    return 0


def cmd_checklist_pdf(args: argparse.Namespace) -> int:
    from .records.load import load_guidance
    from .report.documents import blank_checklist_pdf

    Path(args.output).write_bytes(blank_checklist_pdf(load_guidance(_root(args.path))))
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0


def cmd_guidance_pdf(args: argparse.Namespace) -> int:
    from .records.load import load_guidance
    from .report.documents import guidance_pdf

    Path(args.output).write_bytes(guidance_pdf(load_guidance(_root(args.path))))
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0


def cmd_pages(args: argparse.Namespace) -> int:
    from .records.load import load_guidance
    from .site.pages import write_pages

    root = _root(args.path)
    written = write_pages(
        load_guidance(root), root, Path(args.outdir), directory_urls=not args.no_directory_urls
    )
    print(f"Wrote {len(written)} files to {args.outdir}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from .records.load import load_guidance
    from .server import Limits, serve
    from .site.sitebuild import build_site, is_stale

    root = _root(args.path)
    load_guidance(root)  # refuse to serve invalid guidance, with every problem listed
    site_dir = None
    if not args.api_only:
        site_dir = Path(args.site_dir).resolve() if args.site_dir else root / "site"
        if args.rebuild or is_stale(root, site_dir):
            print(f"Building the site into {site_dir} ...", file=sys.stderr)
            build_site(root, site_dir)
    processes = max(1, args.workers)
    # The CPUs are shared between the serving processes' render processes unless told otherwise.
    render = args.render_workers or max(1, Limits().workers // processes)
    limits = Limits(workers=render, allowed_origins=tuple(args.allow_origin))
    where = f"http://{args.host}:{args.port}/"
    print(
        f"Serving {'the report service' if args.api_only else 'the guidance site and report service'} on {where} "
        f"with {processes} serving process{'es' if processes > 1 else ''} and {render} render process"
        f"{'es' if render > 1 else ''} each (Ctrl+C to stop). Answers sent for reports are not stored or logged.",
        file=sys.stderr,
    )
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve(root, site_dir, args.host, args.port, limits, processes=processes)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="forumguide", description=__doc__)
    parser.add_argument("--version", action="version", version=f"forumguide {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check every record and report all problems")
    p.add_argument("path", nargs="?", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export", help="write the open data as JSON or CSL-JSON")
    p.add_argument("--format", choices=["json", "csl-json"], default="json")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "score", help="score a self-audit (answers file, YAML or JSON); several files are compared in a table"
    )
    p.add_argument("answers", nargs="+", help="answers file(s) (- reads standard input)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("report", help="write the board report (PDF) for an answers file")
    p.add_argument("answers", help="answers file (- reads standard input)")
    p.add_argument("-o", "--output", required=True, help="PDF file to write")
    p.add_argument("--previous", help="answers file of the previous audit, to show change")
    p.add_argument("--html", action="store_true", help="write the report's HTML instead of PDF")
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("actions", help="write the action plan as CSV or XLSX")
    p.add_argument("answers", help="answers file (- reads standard input)")
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("-o", "--output", help="file to write (default: standard output, CSV only)")
    p.add_argument(
        "--framework",
        metavar="ID",
        help="only the actions on items linked to this framework (e.g. osa-illegal-content), "
        "with the provisions each bears on",
    )
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_actions)

    p = sub.add_parser(
        "init", help="write a blank answers file to fill in by hand (every item, with its question)"
    )
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument(
        "--format", choices=["yaml", "json"], help="default: yaml, or json for an -o file ending .json"
    )
    p.add_argument("--date", help="date of the audit, YYYY-MM-DD (default: today)")
    p.add_argument("--force", action="store_true", help="replace the output file if it exists")
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("merge", help="combine several assessors' answers files and list where they disagree")
    p.add_argument("answers", nargs="+", help="answers files (two or more), YAML or JSON")
    p.add_argument("-o", "--output", help="merged file to write (default: standard output)")
    p.add_argument(
        "--rule",
        choices=["lowest", "unresolved"],
        default="lowest",
        help="a disputed rating becomes the lowest given (default), or is left unanswered to be settled",
    )
    p.add_argument(
        "--format", choices=["yaml", "json"], help="default: yaml, or json for an -o file ending .json"
    )
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("checklist-pdf", help="write a blank checklist PDF for paper use")
    p.add_argument("-o", "--output", required=True, help="PDF file to write")
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_checklist_pdf)

    p = sub.add_parser("guidance-pdf", help="write the whole guidance as one PDF for circulation")
    p.add_argument("-o", "--output", required=True, help="PDF file to write")
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_guidance_pdf)

    p = sub.add_parser(
        "pages", help="write the site's generated Markdown pages and open data (for any site engine)"
    )
    p.add_argument(
        "outdir", help="folder to write into (e.g. a docs folder); existing generated files are replaced"
    )
    p.add_argument(
        "--no-directory-urls",
        action="store_true",
        help="the site engine serves page.html rather than page/ (affects diagram links only)",
    )
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_pages)

    p = sub.add_parser("serve", help="serve the site, the online checklist and the report service")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--site-dir", help="where the built site lives (default: site/ in the project)")
    p.add_argument("--rebuild", action="store_true", help="rebuild the site even if it looks up to date")
    p.add_argument("--api-only", action="store_true", help="serve only /api/* (no site build)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="serving processes sharing the port (default 1); the service keeps no state between requests",
    )
    p.add_argument(
        "--render-workers",
        type=int,
        help="PDF render processes per serving process (default: CPUs, at most 4, shared between serving processes)",
    )
    p.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="another origin (e.g. https://guide.example.org) whose pages may post answers; "
        "the site's own origin always may",
    )
    p.add_argument("--path", help="project folder (default: the checkout you are in)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InvalidGuidance as exc:
        print_problems(exc.problems)
        print(
            "The guidance records have errors; run `forumguide validate` for the full list.", file=sys.stderr
        )
        return 1
    except FileNotFoundError as exc:
        print(f"forumguide: {exc}", file=sys.stderr)
        return 2


def run() -> None:
    """The `forumguide` console script: main(), then a quick exit (speedups.exit_now) for every
    command but `serve`, which exits the ordinary way so that its worker pool is shut down as usual."""
    from .speedups import exit_now

    code = main()
    if sys.argv[1:2] == ["serve"]:
        sys.exit(code)
    exit_now(code)


if __name__ == "__main__":
    run()
