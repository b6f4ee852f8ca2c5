"""What the guidance cache costs and saves.

Run: .venv/bin/python benchmarks/cache.py [--runs N]
Prints, for the real records: the content key (SHA-256 of every record, schema and package file), a
read of the cache file (JSON parse, checks, model), loading and checking the records without the
cache, formatting the bibliography, and the whole `forumguide score` command in a fresh process with
the cache and without it. Uses a temporary cache folder, so your own cache is left alone. Kept out of
CI: it measures this machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from timing import summary, timed  # noqa: E402  (benchmarks/timing.py)

from forumguide.records import cache  # noqa: E402
from forumguide.records.load import load_guidance  # noqa: E402
from forumguide.site.citations import Bibliography  # noqa: E402

EXAMPLE = ROOT / "examples" / "northbrook-2026.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp
        inputs = cache._inputs(ROOT)
        size = sum(path.stat().st_size for _, path in inputs)
        print(f"key inputs: {len(inputs)} files, {size / 1000:.0f} kB")
        summary(
            "content key (read and SHA-256 every input)",
            timed(lambda: cache.key(ROOT), args.runs * 5),
            unit="ms",
        )
        g = load_guidance(ROOT)  # writes the cache file
        current = cache.key(ROOT)
        print(f"cache file: {cache._file(current).stat().st_size / 1000:.0f} kB")
        summary(
            "read the cache file (parse, check, build the model)",
            timed(lambda: cache.read(current), args.runs * 5),
            unit="ms",
        )
        summary(
            "load_guidance with a current cache (key + read)",
            timed(lambda: load_guidance(ROOT), args.runs * 5),
            unit="ms",
        )
        summary(
            "load and check the records (no cache)",
            timed(lambda: load_guidance(ROOT, use_cache=False), args.runs),
            unit="ms",
        )
        summary("format the bibliography (no cache)", timed(lambda: Bibliography(g), args.runs), unit="ms")
        exe = str(ROOT / ".venv" / "bin" / "forumguide")
        cmd = [exe, "score", str(EXAMPLE), "--path", str(ROOT)]
        subprocess.run(cmd, check=True, capture_output=True)
        summary(
            "forumguide score (fresh process, cache current)",
            timed(lambda: subprocess.run(cmd, check=True, capture_output=True), args.runs),
            unit="ms",
        )
        off = {**os.environ, "FORUMGUIDE_NO_CACHE": "1"}
        summary(
            "forumguide score (fresh process, FORUMGUIDE_NO_CACHE=1)",
            timed(lambda: subprocess.run(cmd, check=True, capture_output=True, env=off), args.runs),
            unit="ms",
        )


if __name__ == "__main__":
    main()
