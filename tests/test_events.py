"""Event grouping, event fields, stories and the incremental `assign_events` over a real store.

The articles here are short real-looking news reports built with their annotations (entities,
event date) set by hand, so the grouping is tested without loading spaCy; the seed articles
go through the whole pipeline in test_eval_events.py.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

from storyline.events import assign_events, describe_events, group_articles
from storyline.events.describe import event_date
from storyline.events.grouping import (
    DEFAULT,
    Config,
    _sorted_rows,
    candidate_pairs,
    idf_weights,
    salient_keys,
    vector,
)
from storyline.events.profiles import anchored_day, build_profile
from storyline.events.stories import link_stories
from storyline.model import Article, Entity, EventDate, Sentence, Timex
from storyline.store import Store
from storyline.temporal import main_event_date, tag_timexes

CALL = (
    "Xi and Putin hold phone call, vow mutual support\n"
    "Chinese President Xi Jinping held a phone call with Russian President Vladimir Putin "
    "on {day}, pledging mutual support on sovereignty and security. "
    "Xi said China is ready to work with Russia on strategic coordination. "
    "The Kremlin said the two leaders discussed trade, energy and the situation in Ukraine."
)
SHOOTING = (
    "{victim} shot dead on {street} in Waterbury\n"
    "WATERBURY, Conn. - Police say {victim}, {age}, was shot and killed on {street} late "
    "{day}. Officers found the victim on the sidewalk near a convenience store. "
    "Detectives are asking witnesses to call the Waterbury police tip line."
)


def article(doc_id: str, text: str, *, published: str | None, event_day: str | None,
            names: dict[str, str], day_text: str | None = None) -> Article:
    """An article with sentences, entities and an event date as the annotators would add."""
    sentences = [
        Sentence(line.start() + part.start(), line.start() + part.end())
        for line in re.finditer(r"[^\n]+", text)
        for part in re.finditer(r"\S.*?(?:\.(?=\s)|\.$|$)", line.group())
    ]
    entities = []
    for n, (name, type_) in enumerate(names.items()):
        mentions = [m.span() for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
        if mentions:
            entities.append(Entity(f"e{n}", name, type_, mentions))
    timexes = []
    if day_text and (at := text.find(day_text)) >= 0 and event_day:
        timexes.append(Timex(at, at + len(day_text), day_text, "DATE", event_day))
    return Article(
        id=doc_id, source=f"test/{doc_id}", text=text, fingerprint=doc_id, published=published,
        language="en", sentences=sentences, entities=entities, timexes=timexes,
        event_date=EventDate(event_day, 0.85 if event_day else 0.0, "set by the test"),
    )


LEADERS = {"Xi Jinping": "PERSON", "Vladimir Putin": "PERSON", "China": "GPE",
           "Russia": "GPE", "Kremlin": "ORG", "Ukraine": "GPE"}


def call_reports(*reports: tuple[str, str, str, str]) -> list[Article]:
    """Reports of a leaders' call: (id, the day as written, published, event day)."""
    return [article(doc_id, CALL.format(day=day), published=published, event_day=event_day,
                    names=LEADERS) for doc_id, day, published, event_day in reports]


def calls() -> list[Article]:
    return call_reports(("call-a", "June 15", "2022-06-15", "2022-06-15"),
                        ("call-b", "Wednesday", "2022-06-16", "2022-06-15"),
                        ("call-c", "Thursday", "2024-02-08", "2024-02-08"))


def shootings() -> list[Article]:
    def report(doc_id, victim, street, age, day, published, event_day):
        text = SHOOTING.format(victim=victim, street=street, age=age, day=day)
        names = {victim: "PERSON", "Waterbury": "GPE", street: "FAC"}
        return article(doc_id, text, published=published, event_day=event_day, names=names)

    return [
        report("wb-1", "Jose Rivera", "Baldwin Street", 24, "Saturday", "2016-03-06",
               "2016-03-05"),
        report("wb-2", "Jose Rivera", "Baldwin Street", 24, "Saturday night", "2016-03-07",
               "2016-03-05"),
        report("wb-3", "Marcus Bell", "Walnut Street", 31, "Friday", "2016-04-09",
               "2016-04-08"),
    ]


def partition(groups) -> set[frozenset[str]]:
    return {frozenset(g.documents) for g in groups}


def test_two_calls_two_years_apart_are_two_events():
    groups = group_articles(calls())
    assert partition(groups) == {frozenset({"call-a", "call-b"}), frozenset({"call-c"})}


def test_a_shooting_and_another_in_the_same_town_a_month_later_are_two_events():
    groups = group_articles(shootings())
    assert partition(groups) == {frozenset({"wb-1", "wb-2"}), frozenset({"wb-3"})}


def test_alike_reports_of_one_day_in_two_cities_are_two_events():
    reports = [
        ("stab", "Leeds", "Police in Leeds arrested two men on Tuesday after a stabbing outside "
         "a pub in the city centre, officers said. One man was taken to hospital."),
        ("shot", "Lyon", "Police in Lyon arrested three people on Tuesday after a shooting near "
         "the main train station, a police spokesman said. Two people were wounded."),
    ]
    articles = [article(doc_id, text, published="2023-03-08", event_day="2023-03-07",
                        names={city: "GPE"}) for doc_id, city, text in reports]
    assert partition(group_articles(articles)) == {frozenset({"stab"}), frozenset({"shot"})}
    blind = replace(DEFAULT, place_conflict=0.0)
    assert partition(group_articles(articles, blind)) == {frozenset({"stab", "shot"})}


def test_every_merge_keeps_its_reason():
    merged = [g for g in group_articles(shootings()) if len(g.documents) == 2][0]
    reason = merged.merges[0].to_dict()
    assert set(reason["documents"]) == {"wb-1", "wb-2"}
    assert reason["similarity"] > 0.3 and reason["date_gap_days"] == 0
    assert "jose rivera" in reason["shared_names"]


def test_grouping_does_not_depend_on_the_order_documents_arrive_in():
    documents = calls() + shootings()
    expected = partition(group_articles(documents))
    for seed in range(5):
        random.Random(seed).shuffle(documents)
        assert partition(group_articles(documents)) == expected


def test_windows_clustered_apart_give_the_one_pass_result_across_month_borders():
    """Scoring and linkage run per calendar month; a call reported on both sides of a month
    border is still one event, whatever order the windows run in."""
    border = call_reports(("end-a", "June 30", "2022-06-30", "2022-06-30"),
                          ("end-b", "Thursday", "2022-07-01", "2022-06-30"),
                          ("end-c", "Friday", "2022-07-01", "2022-07-01"))
    documents = calls() + shootings() + border
    windows: list[int] = []

    def backwards(function, tasks):
        windows.append(len(tasks))
        return [function(*arguments) for arguments in tasks][::-1]

    def outcome(groups):
        return sorted((g.documents, [m.to_dict() for m in g.merges]) for g in groups)

    one_pass = group_articles(documents)
    assert outcome(group_articles(documents, run_tasks=backwards)) == outcome(one_pass)
    assert windows[0] >= 3  # pairs scored in several months
    assert frozenset({"end-a", "end-b", "end-c"}) in partition(one_pass)


def test_candidates_skip_index_keys_held_by_too_many_documents():
    documents = [build_profile(a) for a in calls() + shootings()]
    idf = idf_weights(documents)
    vectors = [vector(p, idf) for p in documents]
    wide = candidate_pairs(documents, vectors, Config())
    narrow = candidate_pairs(documents, vectors, Config(max_postings=1, week_keys=False))
    assert (0, 1) in wide and narrow == []


def candidates_as_written(profiles, vectors, config: Config) -> set[tuple[int, int]]:
    """The candidate rule read plainly, with dicts and a Counter: each document reads its
    rarest keys' postings within the budget and keeps the others sharing the most keys
    (ties: the one met first)."""
    keys, postings = [], defaultdict(list)
    for i, (profile, vec) in enumerate(zip(profiles, vectors, strict=True)):
        top = salient_keys(vec, config)
        day = (profile.date or profile.published) if config.week_keys else None
        weeks = [day.toordinal() // 7 + shift for shift in (-1, 0, 1)] if day else []
        keys.append(top + [(term, week) for term in top for week in weeks])
        for key in top + [(term, weeks[1]) for term in top if weeks]:
            postings[key].append(i)
    pairs = set()
    for i, own in enumerate(keys):
        lists = [postings[k] for k in own if 0 < len(postings.get(k, ())) <= config.max_postings]
        by_length = sorted(range(len(lists)), key=lambda k: len(lists[k]))
        read = [k for n, k in enumerate(by_length)
                if sum(len(lists[m]) for m in by_length[: n + 1]) <= config.candidate_budget]
        shared = Counter(j for k in sorted(read) for j in lists[k] if j != i)
        pairs |= {(min(i, j), max(i, j)) for j, _ in shared.most_common(config.max_candidates)}
    return pairs


def test_the_candidate_index_finds_the_pairs_the_rule_describes():
    """The array-based search equals the plain reading when budget, postings cap and
    candidate cap all bind."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from events import synthetic_articles

    profiles = [build_profile(a) for a in synthetic_articles(300, seed=7)]
    idf = idf_weights(profiles)
    vectors = [vector(p, idf) for p in profiles]
    for config in (Config(), Config(candidate_budget=40, max_candidates=3, max_postings=12),
                   Config(week_keys=False, max_candidates=5)):
        found = candidate_pairs(profiles, vectors, config)
        assert found == sorted(candidates_as_written(profiles, vectors, config))
        assert found and all(i < j for i, j in found)


def test_rows_too_wide_to_pack_are_still_sorted_together():
    wide = np.array([2**40, 5, 2**40, 0], dtype=np.int64)
    narrow = np.array([3, 9, 1, 7], dtype=np.int64)
    for first in (wide, narrow):
        rows = _sorted_rows(first, narrow[::-1].copy(), np.arange(4))
        expected = sorted(zip(first.tolist(), narrow[::-1].tolist(), range(4), strict=True))
        assert list(zip(*(r.tolist() for r in rows), strict=True)) == expected


def test_a_weekday_is_resolved_against_the_dateline():
    text = "Published: Jun 16, 2022\nXi held a phone call with Putin on Wednesday afternoon."
    found = Article(
        id="d", source="d", text=text, fingerprint="d",
        timexes=[Timex(11, 23, "Jun 16, 2022", "DATE", "2022-06-16"),
                 Timex(56, 75, "Wednesday afternoon", "TIME", "XXXX-WXX-3TAF")],
        event_date=EventDate("XXXX-WXX-3", 0.3, "weekday only", start=56, end=75),
    )
    assert anchored_day(found).isoformat() == "2022-06-15"


def dated(doc_id: str, text: str, published: str) -> Article:
    """An article dated by the real tagger and main-event dating (sentences split by hand)."""
    found = article(doc_id, text, published=published, event_day=None, names={})
    day = dt.date.fromisoformat(published)
    found.timexes = tag_timexes(text, day)
    found.event_date = main_event_date(text, None, found.timexes, day)
    return found


def test_a_follow_up_about_an_arrest_dates_its_event_by_the_shooting():
    follow_up = dated("arrest", (
        "A former sheriff's deputy was arrested Monday in connection with the death of a "
        "2-year-old boy. The boy was shot some time before 9:15 p.m. on Nov. 13, according "
        "to the arrest affidavit."), "2016-11-22")
    assert follow_up.event_date.value == "2016-11-21"  # the document's own lead date
    assert event_date([follow_up], "ASSAULT")["date"] == "2016-11-13"


def test_an_earlier_day_named_in_passing_does_not_move_the_event():
    report = dated("gift", (
        "A 6-year-old girl was shot and killed Tuesday evening in Pinetown. Deputies say the "
        "boy was showing the girls a shotgun he got for Christmas when the gun went off, "
        "killing her."), "2017-01-04")
    assert event_date([report], "ASSAULT")["date"] == "2017-01-03"


def test_the_day_a_statement_was_made_yields_to_the_day_of_the_shots():
    report = dated("statement", (
        "Authorities Saturday said two people were killed and two others were wounded when a "
        "gunman opened fire on a group in Long Beach. Shots were fired in the 6500 block of "
        "North Rose Avenue just before 10 p.m. Friday."), "2013-09-21")
    assert report.event_date.value == "2013-09-21"
    assert event_date([report], "ASSAULT")["date"] == "2013-09-20"


def test_a_condition_report_is_dated_by_the_shooting_it_names():
    report = dated("condition", (
        "A 12-year-old boy remained in critical condition Friday after a shooting that also "
        "injured three other people. Zaire Thomas was shot in the back and the leg Thursday "
        "night, his mother told reporters."), "2015-07-31")
    assert event_date([report], "ASSAULT")["date"] == "2015-07-30"


def test_event_has_title_date_participants_place_and_disagreeing_dates():
    reports = shootings()[:2]
    reports[1].event_date = EventDate("2016-03-06", 0.3, "publication date only")
    event = describe_events(reports, group_articles(reports))[0]
    assert event.date == "2016-03-05" and 0 < event.date_confidence < 1
    assert event.disagreeing_dates == [
        {"date": "2016-03-06", "documents": ["wb-2"], "weight": 0.3}]
    assert event.title.startswith("Jose Rivera shot dead")
    assert event.participants[0]["name"] == "Jose Rivera"
    assert event.location in {"Waterbury", "Baldwin Street"}
    assert event.documents == ["wb-1", "wb-2"] and event.merges


def test_stories_link_events_of_the_same_main_actors_in_date_order():
    documents = calls() + shootings()
    events = describe_events(documents, group_articles(documents))
    stories = link_stories(events)
    assert len(stories) == 1
    story = stories[0]
    assert [item["date"] for item in story.timeline] == ["2022-06-15", "2024-02-08"]
    assert story.title.startswith(("Xi Jinping – Vladimir Putin", "Vladimir Putin – Xi Jinping"))


def test_assign_events_writes_events_and_keeps_ids_when_new_documents_arrive(tmp_path):
    first, later = calls()[:1] + shootings()[:1], calls()[1:] + shootings()[1:]
    with Store(tmp_path / "s.db") as store:
        store.write_articles(store.begin_run(["first"]), first)
        assert assign_events(store) == 2
        before = {e["id"]: e["documents"] for e in store.events()}
        event_of = {a.id: a.event_id for a in store.articles()}
        store.write_articles(store.begin_run(["later"]), later)
        assert assign_events(store) == 4
        after = {a.id: a.event_id for a in store.articles()}
        assert after["call-b"] == event_of["call-a"] == after["call-a"]
        assert after["wb-2"] == event_of["wb-1"] == after["wb-1"]
        assert set(before) < {e["id"] for e in store.events()}
        assert all(e["merges"] is not None for e in store.events())
        assert store.stories() and store.stories()[0]["events"]


RUSSIAN_CALL = (
    "Си Цзиньпин провёл телефонный разговор с Путиным\n"
    "Председатель КНР Си Цзиньпин 15 июня провёл телефонный разговор с президентом России "
    "Владимиром Путиным. Китай готов вместе с Россией поддерживать друг друга в вопросах "
    "суверенитета и безопасности, заявил Си Цзиньпин. Стороны обсудили Украину."
)


def test_names_of_other_scripts_map_to_the_english_names():
    from storyline.events.names import known_names

    found = [(name, text[s:e]) for text in ["Си Цзиньпин и Путин", "习近平同普京通电话", "Poutine"]
             for name, _, s, e in known_names(text)]
    assert found == [("Xi Jinping", "Си Цзиньпин"), ("Vladimir Putin", "Путин"),
                     ("Xi Jinping", "习近平"), ("Vladimir Putin", "普京"),
                     ("Vladimir Putin", "Poutine")]


def test_a_russian_report_of_the_call_joins_the_english_reports_of_that_call():
    russian = article("call-ru", RUSSIAN_CALL, published="2022-06-15",
                      event_day="2022-06-15", names={})
    russian.language = "ru"
    groups = group_articles(calls() + [russian])
    assert frozenset({"call-a", "call-b", "call-ru"}) in partition(groups)


def test_sentence_records_say_who_did_what_to_whom_with_their_sentence():
    from storyline.events.records import sentence_records

    call = calls()[0]
    records = [r for r in sentence_records(call) if r.mode == "phone call"]
    assert len(records) == 2, "the headline's call and the lead's call"
    record = records[1]
    assert record.action == "CONSULT" and record.cue == "phone call"
    assert record.actor == "Xi Jinping" and record.target == "Vladimir Putin"
    assert record.date == "2022-06-15"
    start, end = record.sentence
    assert call.text[start:end].startswith("Chinese President Xi Jinping held a phone call")
    assert call.text[record.start:record.end] == "phone call"


def test_a_record_of_an_undated_weekday_has_no_date_rather_than_a_partial_one():
    from storyline.events.records import sentence_records

    (call,) = call_reports(("call-x", "Wednesday", None, "XXXX-WXX-3"))
    assert {r.date for r in sentence_records(call)} == {None}


def test_a_month_named_march_is_no_protest_and_a_death_alone_no_assault():
    from storyline.events.records import sentence_records

    text = ("Climber dies on glacier\nA British climber died on the glacier in March 2013, "
            "rescuers said. Protesters will march to parliament on Friday.")
    at = text.index("March 2013")
    report = replace(article("glacier", text, published="2013-03-10", event_day="2013-03-09",
                             names={}),
                     timexes=[Timex(at, at + len("March 2013"), "March 2013", "DATE", "2013-03")])
    assert [(r.action, r.cue) for r in sentence_records(report)] == [
        ("PROTEST", "Protesters"), ("PROTEST", "march")]


def test_events_get_the_type_and_mode_their_leads_report():
    reports = shootings()[:2]
    event = describe_events(reports, group_articles(reports))[0]
    assert event.type == "ASSAULT" and event.mode == "shooting"
    assert all(r["action"] == "ASSAULT" for r in event.records)


def test_event_benchmark_prints_time_and_memory_ratios(capsys):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    import events as benchmark

    benchmark.main(["--sizes", "40", "80", "--repeats", "1"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[0] == "40" and lines[2].split()[0] == "80"
    assert float(lines[2].split()[5]) > 0 and float(lines[2].split()[6]) > 0  # time, CPU ratios


def test_an_empty_store_has_no_events(tmp_path):
    with Store(tmp_path / "empty.db") as store:
        assert assign_events(store) == 0
        assert store.events() == [] and store.stories() == []


def test_a_story_that_changes_replaces_the_old_one(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.write_articles(store.begin_run(["calls"]), calls()[:1] + calls()[2:])
        assign_events(store)
        first = store.stories()
        visit = article("call-d", CALL.format(day="March 21"), published="2023-03-21",
                        event_day="2023-03-21", names=LEADERS)
        store.write_articles(store.begin_run(["more"]), [visit] + shootings())
        assign_events(store)
        stories = store.stories()
        assert len(first) == 1 and len(first[0]["events"]) == 2
        assert len(stories) == 1 and stories[0]["id"] != first[0]["id"]
        assert [item["date"] for item in stories[0]["timeline"]] == [
            "2022-06-15", "2023-03-21", "2024-02-08"]
