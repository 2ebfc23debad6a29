"""What an event says about itself: title, date with confidence, participants, place, type.

Built from the member documents' annotations only: the headline of the document closest to
the group's centre; the PLOVER action (and mode) the members' leads report most, from their
sentence records; a confidence-weighted vote over the members' incident days (each member's
event date, moved back to the day a sentence about that action gives, as follow-ups do;
disagreeing dates are kept with the documents that give them); the names the members' leads
mention most, and the place their leads name most.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import asdict

from storyline.events.profiles import PLACE_TYPES, Profile, anchored_day, lead_end
from storyline.events.records import sentence_records
from storyline.model import Article

PARTICIPANT_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
MAX_PARTICIPANTS = 8
LOOK_BACK_SENTENCES = 8
LOOK_BACK_DAYS = 4
ACTION_LOOK_BACK_DAYS = 60
LEAD_RECORD_SENTENCES = 5
MAX_RECORDS = 12
MOVED_WEIGHT = 0.6
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


def incident_day(article: Article, action: str | None = None) -> dt.date | None:
    """The document's event date, moved back to an earlier day the text gives for the event.

    A follow-up (an arrest, a trial) names the day of the incident in a sentence about it
    ("shot ... on Nov. 13"): the earliest day in a sentence with a cue of the event's action
    within `ACTION_LOOK_BACK_DAYS` wins. Otherwise a report dated by "Friday" (the day of
    writing) often names the day of the incident a few words on ("shot late Thursday"): the
    earliest such day in the lead within a few days wins.
    """
    found = anchored_day(article)
    if found is None:
        return None
    if action:
        sentences = {r.sentence for r in sentence_records(article) if r.action == action}
        told = [
            day for t in article.timexes
            if t.type in ("DATE", "TIME") and (day := _full_day(t.value))
            and 0 < (found - day).days <= ACTION_LOOK_BACK_DAYS
            and any(s <= t.start < e for s, e in sentences)
        ]
        if told:
            return min(told)
    end = (article.sentences[LOOK_BACK_SENTENCES].start
           if len(article.sentences) > LOOK_BACK_SENTENCES else len(article.text))
    earlier = [
        day for t in article.timexes
        if t.start < end and t.type in ("DATE", "TIME") and (day := _full_day(t.value))
        and 0 < (found - day).days <= LOOK_BACK_DAYS
    ]
    return min(earlier, default=found)


def event_type(articles: list[Article]) -> dict:
    """The action the members' headlines and leads report most (a record with a mode counts
    twice: "phone call" says more than "support"), its mode, and those lead records."""
    records = [r for a in articles for r in sentence_records(a, LEAD_RECORD_SENTENCES)]
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
    """Confidence-weighted vote over the members' incident days; ties go to the earlier day.

    A day moved back from a document's own event date (a follow-up naming the incident's
    day) counts `MOVED_WEIGHT` of a vote, so the members that date the incident in their
    lead outvote it, while a lone follow-up still gets the incident's day.
    """
    votes: dict[str, float] = defaultdict(float)
    supporters: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        day = incident_day(article, action)
        if day is not None and article.event_date:
            weight = article.event_date.confidence * _plausibility(article, day)
            votes[day.isoformat()] += weight * (MOVED_WEIGHT if day != anchored_day(article) else 1)
            supporters[day.isoformat()].append(article.id)
    if not votes:
        return {"date": None, "date_confidence": 0.0, "disagreeing_dates": []}
    best = max(votes, key=lambda d: (votes[d], len(supporters[d]), -_ordinal(d)))
    total = sum(votes.values())
    mean = votes[best] / len(supporters[best])
    return {
        "date": best,
        "date_confidence": round(min(1.0, mean) * votes[best] / total, 3),
        "disagreeing_dates": [
            {"date": day, "documents": supporters[day], "weight": round(votes[day], 3)}
            for day in sorted(votes) if day != best
        ],
    }


def _plausibility(article: Article, day: dt.date) -> float:
    """Less weight for a day after the publication or long before it (a year-old "Halloween")."""
    published = _full_day(article.published)
    if published is None:
        return 1.0
    gap = (published - day).days
    return UNLIKELY_WEIGHT if gap < -1 or gap > UNLIKELY_AGE_DAYS else 1.0


def _ordinal(day: str) -> int:
    return dt.date.fromisoformat(day).toordinal()


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
