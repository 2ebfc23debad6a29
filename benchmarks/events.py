"""Time and memory of the event grouping on already-annotated documents (default 5,000 and 10,000).

The documents are synthesised like a news stream of many look-alike incidents: each event
has a date, a town from a shared pool, named people and a few words of its own, and one to
four reports written from a Zipf-distributed common vocabulary, with entities and an event
date as the annotators would set them. Each size runs in its own process (so its peak memory
is its own) and the grouping is timed, several times; the median is printed with the ratio to
the first size; CPU time is printed beside the wall time, as it suffers less from a busy machine.
Grouping is not quadratic if 10,000 documents take at most 2.5 × the time of
5,000, and memory grows linearly.

    python benchmarks/events.py --sizes 5000 10000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
from datetime import date, timedelta

from storyline.model import Article, Entity, EventDate, Sentence

FIRST = ["James", "Maria", "Jose", "Aisha", "Wei", "Olga", "Marcus", "Fatima", "Liam", "Sofia",
         "Kwame", "Elena", "Ravi", "Mei", "Omar", "Grace", "Pedro", "Nina", "Tariq", "Hana"]
LAST = ["Rivera", "Smith", "Nguyen", "Okafor", "Kowalski", "Haddad", "Bell", "Moreno", "Ito",
        "Jensen", "Baker", "Singh", "Costa", "Novak", "Reyes", "Walker", "Khan", "Silva"]

MEASURE = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from events import synthetic_articles
from storyline.events import group_articles
from storyline.events.profiles import stop_words
articles = synthetic_articles(int(sys.argv[1]), int(sys.argv[2]))
stop_words("en")  # spaCy's import is a fixed cost, not grouping: paid before the clock
start, start_cpu = time.perf_counter(), time.process_time()
groups = group_articles(articles)
seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "events": len(groups)}))
"""


def synthetic_articles(n: int, seed: int = 1) -> list[Article]:
    """`n` annotated reports of about n/2 synthetic incidents."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(20_000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    towns = [f"Town{i}" for i in range(max(50, n // 40))]
    articles: list[Article] = []
    event = 0
    while len(articles) < n:
        event += 1
        day = date(2013, 1, 1) + timedelta(days=rng.randrange(4 * 365))
        town = rng.choice(towns)
        people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 3))]
        own = [f"e{event}x{k}" for k in range(5)]
        for report in range(min(rng.choice((1, 1, 2, 2, 3, 4)), n - len(articles))):
            articles.append(_report(f"d{len(articles):06}", rng, day, town, people, own,
                                    vocabulary, weights, report))
    return articles


def _report(doc_id, rng, day, town, people, own, vocabulary, weights, report) -> Article:
    words = rng.choices(vocabulary, weights, k=120) + rng.sample(own, 3)
    rng.shuffle(words)
    names = [town, *people]
    parts = [f"{people[0]} shot in {town}.", " ".join(words[:40]) + f" {town} police.",
             " ".join(words[40:80]) + " " + " ".join(people) + ".", " ".join(words[80:]) + "."]
    text, sentences, entities = "", [], {}
    for part in parts:
        start = len(text)
        text += part + " "
        sentences.append(Sentence(start, start + len(part)))
    for k, name in enumerate(names):
        at, mentions = text.find(name), []
        while at >= 0:
            mentions.append((at, at + len(name)))
            at = text.find(name, at + 1)
        entities[name] = Entity(f"e{k}", name, "GPE" if name == town else "PERSON", mentions)
    published = day + timedelta(days=report + rng.randint(0, 1))
    return Article(
        id=doc_id, source=f"synthetic/{doc_id}", text=text, fingerprint=doc_id,
        published=published.isoformat(), language="en", sentences=sentences,
        entities=list(entities.values()),
        event_date=EventDate(day.isoformat(), 0.85, "synthetic"),
    )


def measure(size: int, seed: int) -> dict:
    here = str(__import__("pathlib").Path(__file__).parent)
    run = subprocess.run([sys.executable, "-c", MEASURE, str(size), str(seed), here],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    results = {}
    for _ in range(args.repeats):
        for size in args.sizes:
            results.setdefault(size, []).append(measure(size, seed=1))
    first = args.sizes[0]

    def median(size: int, key: str) -> float:
        return statistics.median(r[key] for r in results[size])

    print(f"{'documents':>10} {'events':>7} {'seconds':>8} {'CPU s':>8} {'peak MB':>8} "
          f"{'time ratio':>10} {'CPU ratio':>9} {'memory ratio':>12}")
    for size in args.sizes:
        print(f"{size:>10} {results[size][0]['events']:>7} {median(size, 'seconds'):>8.2f} "
              f"{median(size, 'cpu'):>8.2f} {median(size, 'peak_mb'):>8.0f} "
              f"{median(size, 'seconds') / median(first, 'seconds'):>10.2f} "
              f"{median(size, 'cpu') / median(first, 'cpu'):>9.2f} "
              f"{median(size, 'peak_mb') / median(first, 'peak_mb'):>12.2f}")
    growth = args.sizes[-1] / first
    print(f"target: time ratio at most {1.25 * growth:.2f} for {growth:.1f} × the documents "
          f"(2.5 when they double); memory ratio near {growth:.1f} or below")


if __name__ == "__main__":
    main()
