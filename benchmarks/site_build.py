"""Build time of the guidance site, with the real records and with 10x synthetic records.

Run: NO_MKDOCS_2_WARNING=1 .venv/bin/python benchmarks/site_build.py [--factor 10] [--repeat 2]

For each project it prints: records and pages, the time to load and check the records, to format the
bibliography, to generate the pages (pure Python, no MkDocs), and the wall time of a full
`mkdocs build --strict` in a fresh process (the best of --repeat runs). The synthetic project copies
the real one and adds factor-1 copies of every CMO, evidence record, recommendation and checklist item
under new ids (checklist items also under new titles, which must be unique), with every
cross-reference pointing into its own copy (each copy also gets its own vocabulary tags and its own
stated CMO links, so the programme theory map grows with the records instead of joining every copy to
every other). Two schema limits that only hold for the real paper (CMO numbers up to 22, reference
numbers up to 81) are lifted in the copy's schemas. Growth is linear when the time per page stays
about the same. Kept out of CI: it measures this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from forumguide.records.load import load_guidance  # noqa: E402
from forumguide.site.citations import Bibliography  # noqa: E402
from forumguide.site.pages import build_pages  # noqa: E402

SITE_SOURCES = ("mkdocs.yml", "docs", "hooks", "overrides", "schema", "guidance", "checklist")


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in SITE_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, target / name)
    return target


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _shifted(cmo_id: str, k: int) -> str:
    """The id of CMO `cmo_id` in copy k (cmo-7-1 -> cmo-107-1 for k=1), so stated links stay in their copy."""
    major, *rest = cmo_id.removeprefix("cmo-").split("-")
    return "-".join(["cmo", str(int(major) + 100 * k), *rest])


def multiply(root: Path, factor: int) -> None:
    """Add factor-1 copies of the records of the project at `root`, each copy self-contained."""
    schema = root / "schema"
    cmo_schema = json.loads((schema / "cmo.schema.json").read_text(encoding="utf-8"))
    cmo_schema["properties"]["number"]["pattern"] = r"^[0-9]+(\.[0-9]+)?$"
    (schema / "cmo.schema.json").write_text(json.dumps(cmo_schema, indent=2), encoding="utf-8")
    ev_schema = json.loads((schema / "evidence.schema.json").read_text(encoding="utf-8"))
    ev_schema["properties"]["source_ref"].pop("maximum", None)
    (schema / "evidence.schema.json").write_text(json.dumps(ev_schema, indent=2), encoding="utf-8")

    vocab_path = root / "guidance" / "vocabulary.yaml"
    vocab = _read(vocab_path)
    tags = list(vocab["tags"])
    cmos = {p: _read(p) for p in sorted((root / "guidance" / "cmos").glob("*.yaml"))}
    evidence = {p: _read(p) for p in sorted((root / "guidance" / "evidence").glob("*.yaml"))}
    recs = {p: _read(p) for p in sorted((root / "guidance" / "recommendations").glob("*.yaml"))}
    items = {p: _read(p) for p in sorted((root / "checklist" / "items").glob("*.yaml"))}

    for k in range(1, factor):
        tag = {t["id"]: f"{t['id']}-x{k}" for t in tags}
        vocab["tags"].extend({**t, "id": tag[t["id"]], "label": f"{t['label']} ({k})"} for t in tags)
        ev_id: dict[str, str] = {}
        for path, e in evidence.items():
            copy = dict(e)
            if e["kind"] == "publication":
                copy["source_ref"] = e["source_ref"] + 100 * k
                copy["id"] = f"ref-{copy['source_ref']}"
            elif e["kind"] == "interview":
                copy["participant"] = e["participant"] + 10 * k
                copy["id"] = f"{e['role'].replace(' ', '-')}-{copy['participant']}"
            else:
                copy["id"] = f"{e['id']}-x{k}"
            ev_id[e["id"]] = copy["id"]
            _write(path.with_name(f"{copy['id']}.yaml"), copy)
        cmo_id: dict[str, str] = {}
        for path, c in cmos.items():
            major, _, minor = c["number"].partition(".")
            number = str(int(major) + 100 * k) + (f".{minor}" if minor else "")
            copy = {
                **c,
                "id": "cmo-" + number.replace(".", "-"),
                "number": number,
                "context_tags": [tag[t] for t in c["context_tags"]],
                "outcomes": [{**o, "tags": [tag[t] for t in o["tags"]]} for o in c["outcomes"]],
                "evidence": [ev_id[e] for e in c["evidence"]],
                "leads_to": [{**r, "cmo": _shifted(r["cmo"], k)} for r in c.get("leads_to", [])],
            }
            cmo_id[c["id"]] = copy["id"]
            _write(path.with_name(f"{copy['id']}.yaml"), copy)
        rec_id: dict[str, str] = {}
        for path, r in recs.items():
            copy = {**r, "id": f"{r['id']}-x{k}", "cmos": [cmo_id[c] for c in r["cmos"]]}
            rec_id[r["id"]] = copy["id"]
            _write(path.with_name(f"{copy['id']}.yaml"), copy)
        for path, i in items.items():
            copy = {
                **i,
                "id": f"{i['id']}-x{k}",
                "title": f"{i['title']} ({k})",
                "order": i["order"] + 1000 * k,
                "recommendations": [rec_id[r] for r in i["recommendations"]],
            }
            _write(path.with_name(f"{copy['id']}.yaml"), copy)
    _write(vocab_path, vocab)


def timed(fn, repeat: int = 1):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def mkdocs_build(root: Path) -> tuple[int, int]:
    out = root / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {root}:\n{result.stdout}{result.stderr}")
    return len(list(out.rglob("*.html"))), len(result.stderr.splitlines())


def measure(root: Path, repeat: int) -> dict:
    load_s, g = timed(lambda: load_guidance(root, use_cache=False), repeat)
    bib_s, bib = timed(lambda: Bibliography(g), repeat)
    gen_s, pages = timed(lambda: build_pages(g, bibliography=bib), repeat)
    build_s, (html, _) = timed(lambda: mkdocs_build(root), repeat)
    return {
        "records": len(g.cmos)
        + len(g.evidence)
        + len(g.recommendations)
        + len(g.checklist)
        + len(g.theory_areas),
        "cmos": len(g.cmos),
        "evidence": len(g.evidence),
        "recs": len(g.recommendations),
        "items": len(g.checklist),
        "pages": len(pages),
        "html": html,
        "load": load_s,
        "bib": bib_s,
        "gen": gen_s,
        "build": build_s,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement; the best is shown")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        real = copy_project(Path(tmp) / "real")
        rows.append(("1x (real records)", measure(real, args.repeat)))
        big = copy_project(Path(tmp) / "big")
        multiply(big, args.factor)
        rows.append((f"{args.factor}x (synthetic)", measure(big, args.repeat)))

    print(
        f"{'project':<20} {'CMOs':>5} {'evid.':>6} {'recs':>5} {'items':>6} {'gen. pages':>10} {'HTML':>6}"
        f" {'load+check':>10} {'bibliog.':>9} {'generate':>9} {'mkdocs build':>13} {'build/page':>11}"
    )
    for name, m in rows:
        print(
            f"{name:<20} {m['cmos']:>5} {m['evidence']:>6} {m['recs']:>5} {m['items']:>6} {m['pages']:>10} {m['html']:>6}"
            f" {m['load']:>9.2f}s {m['bib']:>8.2f}s {m['gen']:>8.2f}s {m['build']:>12.2f}s {1000 * m['build'] / m['html']:>9.1f}ms"
        )
    (_, small), (_, large) = rows
    print()
    print(
        f"HTML pages x{large['html'] / small['html']:.1f}; generation time x{large['gen'] / small['gen']:.1f};"
        f" full build time x{large['build'] / small['build']:.1f} (includes ~fixed start-up: Python, MkDocs, theme)"
    )
    fixed = (small["build"] * large["html"] - large["build"] * small["html"]) / (
        large["html"] - small["html"]
    )
    per_page = (large["build"] - small["build"]) / (large["html"] - small["html"])
    print(f"Straight-line fit through both builds: {fixed:.2f}s fixed + {1000 * per_page:.1f}ms per page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
