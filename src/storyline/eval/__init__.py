"""Scoring storyline against human-labelled data, and the JSONL reader the scorers share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class DataError(ValueError):
    """A data file an evaluation cannot use; the message names the file, the line and why."""


def read_jsonl(path: str | Path, fields: tuple[str, ...], kind: str) -> list[dict[str, Any]]:
    """The records of a JSONL data file, each checked for the fields the scorer reads.

    A wrong file (another data set, a garbled line, an empty file) is a user's mistake that
    deserves one clear line rather than a traceback deep inside the scoring.
    """
    records = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise DataError(f"{path}, line {number}: not JSON ({error.msg})") from None
                missing = [f for f in fields if f not in record] if isinstance(
                    record, dict) else list(fields)
                if missing:
                    raise DataError(
                        f"{path}, line {number}: no {', '.join(repr(f) for f in missing)}; "
                        f"expected {kind} with {', '.join(fields)}")
                records.append(record)
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
                        ) from None
    if not records:
        raise DataError(f"{path}: no records; expected {kind} with {', '.join(fields)}")
    return records
