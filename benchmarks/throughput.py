"""Throughput of the whole `analyze` against bare `nlp.pipe` on the same texts.

Each measurement runs in its own process (so peak memory is its own), with the spaCy model
loaded before the clock starts. Runs alternate between the two, several times, and the
median is reported, since the machines are shared and noisy; the ratio is given in wall time
and in the process's CPU time, which other load on the machine disturbs much less.

    python benchmarks/throughput.py --sizes 1000 5000 --repeats 3 --data \
        ../shared/data/events/gva_longtail/train.jsonl ../shared/data/events/ecbplus/train.jsonl
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

MEASURE = r"""
import json, resource, sys, time
STAGES = json.loads(sys.argv[4])
from storyline.nlp import load_model
from storyline.settings import Settings
mode, data, db = sys.argv[1:4]
settings = Settings()
nlp = load_model(settings.model)
texts = [json.loads(line)["text"] for line in open(data, encoding="utf-8")]
start, cpu_start = time.perf_counter(), time.process_time()
if mode == "bare":
    for _ in nlp.pipe(texts, batch_size=settings.nlp_batch_size):
        pass
    stages = {}
else:
    import storyline.pipeline as pipeline
    stages = {stage: 0.0 for stage in STAGES}
    def timed(stage, function):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                stages[stage] += time.perf_counter() - began
        return wrapper
    for stage, names in STAGES.items():
        for name in names:
            if hasattr(pipeline, name):
                setattr(pipeline, name, timed(stage, getattr(pipeline, name)))
    pipeline.analyze([data], db=db, settings=settings)
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": peak_mb,
                  "documents": len(texts),
                  "stages": stages}))
"""
# Functions of storyline.pipeline whose time is reported as a share of the whole run.
STAGES = {
    "clean": ["clean_record"],
    "time": ["tag_timexes", "main_event_date"],
    "quotes": ["extract_quotes"],
    "reposts": ["fingerprint_text", "mark_reposts"],
    "events": ["assign_events"],
    "compare": ["compare_events"],
    "store": ["_write_batch"],
}


def sample_documents(data: list[Path], size: int, out: Path) -> int:
    """The first `size` documents with text of the JSONL files, in order, as input records."""
    written = 0
    with out.open("w", encoding="utf-8") as sink:
        for path in data:
            for line in path.open(encoding="utf-8"):
                record = json.loads(line)
                if not record.get("text"):
                    continue
                doc_id = record.get("doc_id") or record.get("id") or str(written)
                sink.write(json.dumps({"id": f"{doc_id}-{written}", "text": record["text"]}) + "\n")
                written += 1
                if written == size:
                    return written
    return written


def measure(mode: str, data: Path, workdir: Path) -> dict:
    db = workdir / f"bench-{mode}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, mode, str(data), str(db), json.dumps(STAGES)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(data: list[Path], sizes: list[int], repeats: int) -> Iterator[dict]:
    """One row of figures per size, yielded as soon as it is measured."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in sizes:
            sample = workdir / f"sample-{size}.jsonl"
            n = sample_documents(data, size, sample)
            runs: dict[str, list[dict]] = {"bare": [], "pipeline": []}
            for i in range(repeats):
                for mode in (("bare", "pipeline") if i % 2 == 0 else ("pipeline", "bare")):
                    runs[mode].append(measure(mode, sample, workdir))
            bare = statistics.median(r["seconds"] for r in runs["bare"])
            full = statistics.median(r["seconds"] for r in runs["pipeline"])
            bare_cpu = statistics.median(r["cpu_seconds"] for r in runs["bare"])
            full_cpu = statistics.median(r["cpu_seconds"] for r in runs["pipeline"])
            yield {
                "documents": n,
                "bare_docs_per_s": n / bare,
                "pipeline_docs_per_s": n / full,
                "ratio": bare / full,
                "cpu_ratio": bare_cpu / full_cpu,
                "bare_peak_mb": max(r["peak_mb"] for r in runs["bare"]),
                "pipeline_peak_mb": max(r["peak_mb"] for r in runs["pipeline"]),
                "repeats": repeats,
                "stage_share": {
                    stage: statistics.median(r["stages"][stage] / r["seconds"]
                                             for r in runs["pipeline"])
                    for stage in STAGES
                },
            }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, nargs="+", required=True,
                        help="JSONL files with a text field (e.g. ../shared/data/events/*/*.jsonl)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{'docs':>6} {'bare doc/s':>11} {'analyze doc/s':>14} {'ratio':>6} {'CPU ratio':>9} "
          f"{'bare MB':>8} {'analyze MB':>11}")
    for row in run(args.data, args.sizes, args.repeats):
        print(f"{row['documents']:>6} {row['bare_docs_per_s']:>11.2f} "
              f"{row['pipeline_docs_per_s']:>14.2f} {row['ratio']:>6.2f} {row['cpu_ratio']:>9.2f} "
              f"{row['bare_peak_mb']:>8.0f} {row['pipeline_peak_mb']:>11.0f}", flush=True)
        shares = ", ".join(f"{stage} {share:.1%}" for stage, share in row["stage_share"].items())
        print(f"{'':>6} share of analyze time: {shares}")
    print("ratio = analyze throughput / bare nlp.pipe throughput (median of repeats, wall time);\n"
          "CPU ratio = the same in CPU seconds of the process, which a busy machine disturbs less")


if __name__ == "__main__":
    main()
