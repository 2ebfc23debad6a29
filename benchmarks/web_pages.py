"""Server time of every web page on a store of many articles (default 10,000).

The store is synthesised from the sample articles (varied ids, outlets, dates, names) and
written through the store's own API, so no NLP runs; then `storyline serve` answers each page
several times over loopback and the median and worst times are printed.

    python benchmarks/web_pages.py --articles 10000
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from storyline.model import Article, Entity, Sentence, Timex
from storyline.store import Store

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "articles"
NAMES = ["Xi Jinping", "Vladimir Putin", "Yuri Ushakov", "NATO", "Beijing", "Moscow", "Ukraine"]
OUTLETS = [f"Outlet {i}" for i in range(30)]
BUDGET_MS = 300


def synthetic_articles(n: int, seed: int = 1):
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    first_day = date(2022, 1, 1)
    for i in range(n):
        text = texts[i % len(texts)] + f"\n\nSerial note {i}: {rng.choice(NAMES)} on Monday."
        day = first_day + timedelta(days=rng.randrange(730))
        entities = []
        for number, name in enumerate(NAMES, 1):
            mentions = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
            if mentions:
                entities.append(Entity(f"s{i}:e{number}", name, "PERSON", mentions))
        monday = text.rindex("Monday")
        yield Article(
            id=f"s{i:06}", source=f"synthetic/{i}.txt", text=text, fingerprint=str(i),
            title=f"Synthetic article {i} about {rng.choice(NAMES)}", outlet=rng.choice(OUTLETS),
            published=day.isoformat(), language="en",
            sentences=[Sentence(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)],
            entities=entities,
            timexes=[Timex(monday, monday + 6, "Monday", "DATE", day.isoformat())],
        )


def build_store(path: Path, n: int) -> None:
    with Store(path) as store:
        run = store.begin_run(["synthetic"])
        batch = []
        for article in synthetic_articles(n):
            batch.append(article)
            if len(batch) == 500:
                store.write_articles(run, batch)
                batch = []
        if batch:
            store.write_articles(run, batch)
        events = [{"id": f"ev{k}", "title": f"Event {k}", "date": f"2022-{k % 12 + 1:02}-15",
                   "documents": [f"s{j:06}" for j in range(k * 3, min(n, k * 3 + 3))]}
                  for k in range(n // 3)]
        store.write_events(events, replace_all=True)
        store.finish_run(run, {"added": n})


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", str(db),
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/api/summary", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("storyline serve did not start")


def time_pages(base: str, n: int, repeats: int) -> list[tuple[str, float, float]]:
    middle = f"s{n // 2:06}"
    pages = ["/", "/search", "/search?q=Ushakov", "/search?outlet=Outlet+3",
             "/search?from=2022-06-01&to=2022-06-30", "/search?entity=Yuri+Ushakov",
             f"/search?q=Putin&page={max(1, n // 200)}", f"/articles/{middle}", "/events/ev1",
             "/api/documents?limit=100", f"/api/documents/{middle}", "/api/events",
             "/api/summary"]
    rows = []
    for page in pages:
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(base + page, timeout=60) as response:
                    response.read()
            except urllib.error.HTTPError as error:
                print(f"{page}: HTTP {error.code}", file=sys.stderr)
                times.append(float("inf"))
                continue
            times.append((time.perf_counter() - began) * 1000)
        rows.append((page, statistics.median(times), max(times)))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "pages.db"
        began = time.perf_counter()
        build_store(db, args.articles)
        print(f"store of {args.articles} articles built in {time.perf_counter() - began:.1f} s")
        process, base = serve(db)
        try:
            rows = time_pages(base, args.articles, args.repeats)
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"{'page':<45} {'median ms':>10} {'max ms':>8}")
    for page, median, worst in rows:
        print(f"{page:<45} {median:>10.1f} {worst:>8.1f}")
    slowest = max(median for _, median, _ in rows)
    verdict = "within" if slowest <= BUDGET_MS else "OVER"
    print(f"slowest median {slowest:.1f} ms: {verdict} the {BUDGET_MS} ms budget")


if __name__ == "__main__":
    main()
