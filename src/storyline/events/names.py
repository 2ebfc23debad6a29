"""Name variants: frequent actors written in other languages and scripts (Путин, 普京, Poutine).

The table `data/name_variants.tsv` maps each variant to the English name the entity
recogniser gives in English articles, so a Russian or Chinese report of a call shares its
participants' names with the English reports of the same call. Variants in scripts without
spaces (Chinese, Japanese) match anywhere; others match as whole words.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@cache
def variant_table() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """One pattern over every variant and the (English name, type) each stands for."""
    table: dict[str, tuple[str, str]] = {}
    text = files("storyline.events").joinpath("data", "name_variants.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, type_, variants = line.split("\t")
        for variant in variants.split(","):
            table[variant.strip()] = (name, type_)
    alternatives = []
    for variant in sorted(table, key=len, reverse=True):
        escaped = re.escape(variant)
        alternatives.append(escaped if _SPACELESS.search(variant) else rf"\b{escaped}\b")
    return re.compile("|".join(alternatives)), table


def known_names(text: str) -> list[tuple[str, str, int, int]]:
    """(English name, type, start, end) of every variant written in the text."""
    pattern, table = variant_table()
    return [(*table[m.group()], m.start(), m.end()) for m in pattern.finditer(text)]
