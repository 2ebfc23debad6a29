"""The benchmark scripts run on a small fixture of the shared data's format."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import throughput  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "events" / "seeds.jsonl"


def test_throughput_benchmark_prints_the_ratio(capsys):
    throughput.main(["--sizes", "3", "--data", str(FIXTURE)])
    printed = capsys.readouterr().out
    row = printed.splitlines()[1].split()
    assert row[0] == "3" and 0 < float(row[3]) < 10
    assert "ratio" in printed


def test_page_timing_benchmark_serves_every_page(capsys):
    import web_pages

    web_pages.main(["--articles", "60", "--repeats", "1"])
    printed = capsys.readouterr()
    assert "HTTP" not in printed.err  # no page failed
    assert "slowest median" in printed.out and "/events/ev1" in printed.out


def test_engine_benchmark_compares_local_and_ray_on_the_same_documents(capsys):
    import pytest

    pytest.importorskip("ray")
    import engines

    engines.main(["--documents", "3", "--data", str(FIXTURE)])
    printed = capsys.readouterr().out
    assert printed.startswith("3 documents") and "ratio ray/local" in printed
    assert "same events: yes" in printed
