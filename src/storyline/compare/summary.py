"""A short multi-source summary of one event, every sentence cited to its document and span.

Picks three to five claim sentences: corroborated claims first (more independent sources
first, then earlier in their documents), single-source ones after, conflicting ones never
(the output shows the disagreement instead). A sentence too close to one already chosen is
skipped, and so are headlines and the fragments the translation check flagged, unless fewer
than three sentences would be left. The least-used outlet's sentence of each claim is taken,
so the summary reads across outlets.
"""

from __future__ import annotations

from storyline.compare.claims import Unit, similarity
from storyline.model import Claim

MIN_SENTENCES = 3
MAX_SENTENCES = 5
REDUNDANT = 0.3  # similarity above which a sentence repeats one already chosen
MAX_WORDS = 60  # longer sentences make a poor summary line
MIN_WORDS = 8  # shorter ones are headlines or fragments
SENTENCE_END = ".!?\"”’'"


def summarize(claims: list[Claim], units: dict[tuple[str, int], Unit],
              sources: dict[str, str]) -> list[dict]:
    """Up to five cited sentences; `units` maps (doc, start) to the unit of each support."""
    ranked = sorted(
        (c for c in claims if c.status != "conflicting"),
        key=lambda c: (-len({sources[s.doc] for s in c.support}), _position(c, units)),
    )
    chosen: list[Unit] = []
    used_sources: dict[str, int] = {}
    for strict in (True, False):  # relax the sentence shape only if too few were found
        for claim in ranked:
            unit = _pick_unit(claim, units, used_sources, sources, strict)
            if unit is None or unit in chosen or len(chosen) == MAX_SENTENCES or any(
                    similarity(unit, other) >= REDUNDANT for other in chosen):
                continue
            chosen.append(unit)
            used_sources[sources[unit.doc]] = used_sources.get(sources[unit.doc], 0) + 1
        if len(chosen) >= MIN_SENTENCES:
            break
    return [{"text": u.text, "doc": u.doc, "start": u.start, "end": u.end} for u in chosen]


def _position(claim: Claim, units: dict[tuple[str, int], Unit]) -> int:
    return min(units[(s.doc, s.start)].position for s in claim.support)


def _pick_unit(claim: Claim, units: dict[tuple[str, int], Unit], used: dict[str, int],
               sources: dict[str, str], strict: bool) -> Unit | None:
    """The support sentence of the least-used source; whole sentences of readable length."""
    candidates = [units[(s.doc, s.start)] for s in claim.support]
    if strict:
        candidates = [u for u in candidates if _reads_as_sentence(u)]
    if not candidates:
        return None
    return min(candidates, key=lambda u: (used.get(sources[u.doc], 0), u.position))


def _reads_as_sentence(unit: Unit) -> bool:
    words = len(unit.text.split())
    return (MIN_WORDS <= words <= MAX_WORDS and unit.text.rstrip()[-1:] in SENTENCE_END
            and not unit.fragment)
