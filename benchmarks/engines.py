"""Wall time of `analyze` with the local engine and with the Ray engine on the same documents.

Each run is a fresh `storyline analyze` process into a new store, so the Ray figure includes
starting a local Ray instance and its workers (STORYLINE_RAY_WORKERS, 2 by default) and the
Parquet hand-over: the overhead a one-machine user pays. Runs alternate between the engines
and the median of the repeats is printed, with the ratio ray / local and whether both
engines gave the same events.

    python benchmarks/engines.py --documents 2000 --repeats 2 \
        --data ../shared/data/events/gva_longtail/train.jsonl
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from throughput import sample_documents  # noqa: E402 - the sibling benchmark's sampler

from storyline.store import Store  # noqa: E402


def analyze_seconds(engine: str, sample: Path, db: Path) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [sys.executable, "-m", "storyline", "analyze", str(sample), "--db", str(db),
               "--engine", engine, "--parquet", str(db.with_suffix(".parquet")), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def event_partition(db: Path) -> set[frozenset[str]]:
    with Store(db, readonly=True) as store:
        return {frozenset(e["documents"]) for e in store.events()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, nargs="+", required=True,
                        help="JSONL files with a text field (e.g. ../shared/data/events/*/*.jsonl)")
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        sample = workdir / "sample.jsonl"
        n = sample_documents(args.data, args.documents, sample)
        seconds: dict[str, list[float]] = {"local": [], "ray": []}
        for i in range(args.repeats):
            for engine in (("local", "ray") if i % 2 == 0 else ("ray", "local")):
                seconds[engine].append(analyze_seconds(engine, sample, workdir / f"{engine}.db"))
        local, ray = (statistics.median(seconds[e]) for e in ("local", "ray"))
        same = event_partition(workdir / "local.db") == event_partition(workdir / "ray.db")
    print(f"{n} documents, median of {args.repeats}: local {local:.1f} s, ray {ray:.1f} s, "
          f"ratio ray/local {ray / local:.2f}; same events: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
