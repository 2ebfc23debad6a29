"""The `storyline` command as a user runs it, in a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "articles"


def storyline(*args: str, stdin: str | None = None, cwd: Path | None = None):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "storyline", *args], input=stdin, cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    run = storyline("analyze", str(EXAMPLES), "--db", str(tmp / "s.db"), "--json",
                    str(tmp / "out.json"), "--report", str(tmp / "report.html"))
    return run, tmp


def test_analyze_prints_a_summary_and_writes_json_and_report(analysed):
    run, tmp = analysed
    assert run.returncode == 0, run.stderr
    assert "5 added" in run.stderr
    assert "Global Times" in run.stderr and "documents by outlet" in run.stderr
    output = json.loads((tmp / "out.json").read_text())
    assert len(output["documents"]) == 5 and output["errors"] == []
    assert (tmp / "report.html").stat().st_size > 10_000


@pytest.mark.parametrize("fmt", ["json", "jsonl", "parquet"])
def test_export_formats(analysed, fmt):
    _, tmp = analysed
    out = tmp / f"export.{fmt}"
    run = storyline("export", "--db", str(tmp / "s.db"), "--format", fmt, "--out", str(out))
    assert run.returncode == 0, run.stderr
    if fmt == "json":
        assert len(json.loads(out.read_text())["documents"]) == 5
    elif fmt == "jsonl":
        assert len(out.read_text().splitlines()) == 5
    else:
        assert pq.read_table(out).num_rows == 5


def test_jsonl_on_stdin(tmp_path):
    records = "\n".join(json.dumps({"id": f"s{i}", "text": f"Record {i} came in on stdin."})
                        for i in range(3))
    run = storyline("analyze", "-", "--db", str(tmp_path / "s.db"), "--json",
                    str(tmp_path / "o.json"), "--quiet", stdin=records)
    assert run.returncode == 0, run.stderr
    ids = [d["id"] for d in json.loads((tmp_path / "o.json").read_text())["documents"]]
    assert sorted(ids) == ["s0", "s1", "s2"]


def test_since_leaves_out_older_documents_and_says_so(tmp_path):
    records = "\n".join(json.dumps({"id": f"d{day}", "published": f"2024-02-{day:02d}",
                                     "text": f"Report number {day} of the council meeting."})
                         for day in (1, 7, 8, 9))
    records += "\n" + json.dumps({"id": "undated", "text": "A report without a date."})
    run = storyline("analyze", "-", "--db", str(tmp_path / "s.db"), "--since", "2024-02-08",
                    "--json", str(tmp_path / "o.json"), "--quiet", stdin=records)
    assert run.returncode == 0, run.stderr
    ids = [d["id"] for d in json.loads((tmp_path / "o.json").read_text())["documents"]]
    assert sorted(ids) == ["d8", "d9", "undated"]
    assert "2 published before --since, left out" in run.stderr
    bad = storyline("analyze", "-", "--db", str(tmp_path / "s.db"), "--since", "8 Feb",
                    stdin=records)
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_load_without_a_parquet_folder_is_a_clear_error(tmp_path):
    run = storyline("load", "--parquet", str(tmp_path / "missing"), "--db", str(tmp_path / "s.db"))
    assert run.returncode == 2 and "no Parquet folder" in run.stderr


def test_export_without_a_store_is_a_clear_error(tmp_path):
    run = storyline("export", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "x"))
    assert run.returncode == 2 and "no store" in run.stderr


def test_help_teaches_the_commands():
    run = storyline("--help")
    assert run.returncode == 0
    for command in ("analyze", "export", "report"):
        assert command in run.stdout
    assert "Example" in storyline("analyze", "--help").stdout


def test_eval_time_prints_tempeval_figures_on_a_fixture_of_the_data_format():
    fixture = ROOT / "tests" / "fixtures" / "time" / "timex_sample.jsonl"
    run = storyline("eval", "time", "--data", str(fixture), "--errors", "2")
    assert run.returncode == 0, run.stderr
    assert "relaxed P/R/F1" in run.stdout and "value P/R/F1" in run.stdout
    assert run.stdout.splitlines()[3].startswith("overall")


def test_eval_claims_prints_alignment_figures_on_a_fixture():
    fixture = ROOT / "tests" / "fixtures" / "claims" / "smoke.jsonl"
    run = storyline("eval", "claims", "--gold", str(fixture))
    assert run.returncode == 0, run.stderr
    assert "alignment  P" in run.stdout and "status     accuracy" in run.stdout


def test_export_to_standard_output_and_report_readable_like_the_json(analysed):
    _, tmp = analysed
    run = storyline("export", "--db", str(tmp / "s.db"), "--format", "jsonl", "--out", "-")
    assert run.returncode == 0, run.stderr
    assert len([json.loads(line) for line in run.stdout.splitlines()]) == 5
    assert not (Path.cwd() / "-").exists()
    parquet = storyline("export", "--db", str(tmp / "s.db"), "--format", "parquet", "--out", "-")
    assert parquet.returncode == 2 and "standard output" in parquet.stderr
    report = storyline("report", "--db", str(tmp / "s.db"), "--out", str(tmp / "again.html"))
    assert report.returncode == 0, report.stderr
    mode = (tmp / "again.html").stat().st_mode & 0o777
    assert mode == (tmp / "out.json").stat().st_mode & 0o777 and mode & 0o044


@pytest.mark.parametrize("line, says", [
    ("{not json", "line 1: not JSON"),
    (json.dumps({"id": "a", "text": "Wrong data set."}), "no 'doc_id', 'timexes'"),
    ("", "no records"),
])
def test_eval_on_a_wrong_data_file_is_one_clear_line(tmp_path, line, says):
    data = tmp_path / "data.jsonl"
    data.write_text(line + "\n")
    run = storyline("eval", "time", "--data", str(data))
    assert run.returncode == 2 and says in run.stderr
    assert "Traceback" not in run.stderr


def test_mistakes_are_said_before_the_run_not_after_it(tmp_path):
    missing_folder = storyline("analyze", str(EXAMPLES), "--db", str(tmp_path / "s.db"),
                               "--json", str(tmp_path / "no" / "out.json"))
    assert missing_folder.returncode == 2 and "no folder" in missing_folder.stderr
    no_model = storyline("analyze", str(EXAMPLES), "--db", str(tmp_path / "s.db"),
                         "--model", "xx_no_such_model")
    assert no_model.returncode == 2 and "xx_no_such_model" in no_model.stderr
    assert not (tmp_path / "s.db").exists()
    (tmp_path / "notes.txt").write_text("Not a store.")
    not_a_store = storyline("report", "--db", str(tmp_path / "notes.txt"))
    assert not_a_store.returncode == 2 and "not a SQLite database" in not_a_store.stderr


def test_a_run_that_reads_nothing_exits_with_status_1(tmp_path):
    missing = storyline("analyze", str(tmp_path / "nowhere"), "--db", str(tmp_path / "s.db"))
    assert missing.returncode == 1 and "no such file or directory" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = storyline("analyze", str(tmp_path / "empty"), "--db", str(tmp_path / "s.db"))
    assert empty.returncode == 1 and "no input files found" in empty.stderr
