"""What an event says about itself: title, date with confidence, participants, place, type.

Built from the member documents' annotations only: the headline of the document closest to
the group's centre; the PLOVER action (and mode) the members' leads report most, from their
sentence records; a vote over the days the members give for that action (each member's own
event date and the days its text names, scored by the words next to them, so a follow-up
about an arrest still dates the shooting; disagreeing dates are kept with the documents
that give them); the names the members' leads mention most, and the place their leads name
most.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict
from functools import cache
from importlib.resources import files

from storyline.events.profiles import PLACE_TYPES, Profile, anchored_day, lead_end
from storyline.events.records import records_of
from storyline.model import Article
from storyline.temporal.dating import day_is_guessed

PARTICIPANT_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
MAX_PARTICIPANTS = 8
LOOK_BACK_DAYS = 60
# Scores of a document's candidate days (see `incident_days`).
OWN_WEIGHT = 0.6
UNDATED_CONFIDENCE = 0.3  # as much as the publication date alone gets in the time layer
MENTION_WEIGHT = 0.2
TIME_OF_DAY_WEIGHT = 0.3
POSITION_WEIGHT = 0.5
CUE_REACH = 120
CUE_WEIGHTS = {"action": 1.0, "follow_up": -0.8, "report": -0.2}
LEAD_RECORD_SENTENCES = 5
MAX_RECORDS = 12
VOTE_MARGIN = 0.3
UNLIKELY_WEIGHT = 0.3
UNLIKELY_AGE_DAYS = 300


def headline(article: Article) -> str:
    """The article's title, else its first sentence (cut at a word if very long)."""
    if article.title:
        return article.title.strip()
    first = article.text[article.sentences[0].start:article.sentences[0].end] if (
        article.sentences) else article.text.strip().split("\n", 1)[0]
    first = " ".join(first.split())
    return first if len(first) <= 200 else first[:200].rsplit(" ", 1)[0] + " …"


def central_member(profiles: list[Profile]) -> int:
    """Index of the member whose words are closest to the group's summed words."""
    if len(profiles) == 1:
        return 0
    centre: Counter[str] = Counter()
    for profile in profiles:
        centre.update(profile.terms)

    def closeness(profile: Profile) -> float:
        norm = math.sqrt(sum(w * w for w in profile.terms.values())) or 1.0
        return sum(w * centre[t] for t, w in profile.terms.items()) / norm

    return max(range(len(profiles)), key=lambda i: (closeness(profiles[i]), -i))


def _full_day(value: str | None) -> dt.date | None:
    if not value or len(value) < 10 or not value[:4].isdigit():
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def incident_days(article: Article, action: str | None = None) -> dict[dt.date, float]:
    """Each day the document could date its event by, scored by what the words next to it say.

    The candidates are the document's own event date and every day its text names within
    `LOOK_BACK_DAYS` before the publication. A day next to a cue of the event's action ("shot
    late Thursday") scores up; next to a later step ("charged Wednesday", "identified Monday")
    or the telling of it ("police said Monday") it scores down; a time of day ("at 9:55
    p.m. Sunday") says an incident is being told; early mentions weigh more than late ones.
    """
    own = article.event_date
    found, published = anchored_day(article), _full_day(article.published)
    if found is None and published is None:
        return {}
    cues = _cue_spans(article, action)
    starts = [s.start for s in article.sentences]
    if found is None:  # the lead names no day ("last month"): the publication day, weakly
        scores = {published: OWN_WEIGHT * UNDATED_CONFIDENCE}
    else:
        own_timex = next((t for t in article.timexes if t.start == own.start), None)
        scores = {found: OWN_WEIGHT * own.confidence + (
            _cue_score(article, cues, starts, own.start, own.end or own.start)
            if own_timex is not None and not day_is_guessed(own_timex) else 0.0)}
    published = published or found
    for timex in article.timexes:
        day = _full_day(timex.value) if timex.type in ("DATE", "TIME") else None
        if day is None or not -1 <= (published - day).days <= LOOK_BACK_DAYS:
            continue
        position = bisect.bisect_right(starts, timex.start) / (len(starts) or 1)
        score = MENTION_WEIGHT - POSITION_WEIGHT * position
        if not day_is_guessed(timex):  # "at 7 p.m." next to "shot" says nothing of the day
            score += _cue_score(article, cues, starts, timex.start, timex.end) + (
                TIME_OF_DAY_WEIGHT if "T" in timex.value else 0.0)
        scores[day] = max(score, scores.get(day, score))
    return scores


def _cue_spans(article: Article, action: str | None) -> list[tuple[int, int, str]]:
    """Where the event's action, its later steps and its telling are mentioned."""
    spans = [(r.start, r.end, "action") for r in (records_of(article) if action else [])
             if r.action == action]
    pattern, roles = dating_cues()
    spans += [(m.start(), m.end(), roles[m.group().lower()])
              for m in pattern.finditer(article.text)]
    return sorted(spans)


def _cue_score(article: Article, cues: list[tuple[int, int, str]], starts: list[int],
               start: int, end: int) -> float:
    """The weight of the cue nearest to a date in its sentence (within `CUE_REACH` chars)."""
    index = bisect.bisect_right(starts, start) - 1
    if index < 0:
        return 0.0
    sentence = article.sentences[index]
    nearest = (CUE_REACH + 1, "")
    for cue_start, cue_end, role in cues[bisect.bisect_left(cues, (sentence.start,)):]:
        if cue_start >= sentence.end:
            break
        if role == "separator":
            if cue_start >= end:
                break  # "Friday after a shooting": what follows is another happening
            continue
        distance = cue_start - end if cue_start >= end else start - cue_end
        if role == "report" and cue_start >= end and distance > 1:
            continue  # "shot Monday, police said": the date belongs to what was said
        nearest = min(nearest, (distance, role))
    if nearest[0] > CUE_REACH:
        return 0.0
    return CUE_WEIGHTS[nearest[1]]


@cache
def dating_cues() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over the cues of `data/dating_cues.tsv` and the role of each."""
    text = files("storyline.events").joinpath("data", "dating_cues.tsv").read_text("utf-8")
    roles = dict(line.split("\t") for line in text.splitlines()
                 if line.strip() and not line.startswith("#"))
    alternatives = sorted(roles, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b",
                      re.IGNORECASE), roles


def event_type(articles: list[Article]) -> dict:
    """The action the members' headlines and leads report most (a record with a mode counts
    twice: "phone call" says more than "support"), its mode, and those lead records."""
    records = [r for a in articles for r in records_of(a, LEAD_RECORD_SENTENCES)]
    if not records:
        return {"type": None, "mode": None, "records": []}
    votes: Counter[str] = Counter()
    for record in records:
        votes[record.action] += 2 if record.mode else 1
    action = votes.most_common(1)[0][0]
    modes = Counter(r.mode for r in records if r.action == action and r.mode)
    chosen = [r for r in records if r.action == action][:MAX_RECORDS]
    return {
        "type": action,
        "mode": modes.most_common(1)[0][0] if modes else None,
        "records": [asdict(r) for r in chosen],
    }


def event_date(articles: list[Article], action: str | None = None) -> dict:
    """The day the members' candidate days add up to most; ties go to the earlier day.

    Each member votes for its best-scored day (`incident_days`) and, with less weight, for
    its other days within `VOTE_MARGIN` of it, so a follow-up that names the incident's day
    second helps the members that date the incident first. The days other members put
    first are kept as disagreeing dates, with the documents that give them.
    """
    votes: dict[dt.date, float] = defaultdict(float)
    backers: dict[dt.date, list[Article]] = defaultdict(list)
    firsts: dict[dt.date, list[str]] = defaultdict(list)
    for article in articles:
        scores = incident_days(article, action)
        if not scores:
            continue
        best = max(scores.values())
        firsts[max(scores, key=lambda d: (scores[d], -d.toordinal()))].append(article.id)
        for day, score in scores.items():
            weight = (score - best + VOTE_MARGIN) * _plausibility(article, day)
            if weight > 0:
                votes[day] += weight
                backers[day].append(article)
    if not votes:
        return {"date": None, "date_confidence": 0.0, "disagreeing_dates": []}
    chosen = max(votes, key=lambda d: (votes[d], len(backers[d]), -d.toordinal()))
    certainty = sum(a.event_date.confidence for a in backers[chosen]) / len(backers[chosen])
    return {
        "date": chosen.isoformat(),
        "date_confidence": round(min(1.0, certainty) * votes[chosen] / sum(votes.values()), 3),
        "disagreeing_dates": [
            {"date": day.isoformat(), "documents": firsts[day], "weight": round(votes[day], 3)}
            for day in sorted(firsts) if day != chosen
        ],
    }


def _plausibility(article: Article, day: dt.date) -> float:
    """Less weight for a day after the publication or long before it (a year-old "Halloween")."""
    published = _full_day(article.published)
    if published is None:
        return 1.0
    gap = (published - day).days
    return UNLIKELY_WEIGHT if gap < -1 or gap > UNLIKELY_AGE_DAYS else 1.0


def participants_and_place(articles: list[Article]) -> tuple[list[dict], str | None]:
    """Names the members put in their leads (then anywhere), and the main place of the leads.

    A name counts twice for a member whose headline or lead names it, once if only its body
    does, so page furniture ("Most read", a columnist's name) ranks below the event's actors.
    """
    weight: Counter[str] = Counter()
    members: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    places: Counter[str] = Counter()
    for article in articles:
        split = lead_end(article)
        for entity in article.entities:
            in_lead = any(s < split for s, _ in entity.mentions)
            if entity.type in PARTICIPANT_TYPES:
                weight[entity.name] += (2 if in_lead else 1) + 0.01 * len(entity.mentions)
                members[entity.name] += 1
                kinds.setdefault(entity.name, entity.type)
            if entity.type in PLACE_TYPES and in_lead:
                places[entity.name] += 1
    people = [{"name": name, "type": kinds[name], "documents": members[name]}
              for name, _ in weight.most_common(MAX_PARTICIPANTS)]
    return people, places.most_common(1)[0][0] if places else None
