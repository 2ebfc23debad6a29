"""The main event date of a document: which timex dates it, and how sure that is."""

from __future__ import annotations

import datetime as dt

from storyline.temporal import main_event_date, tag_timexes


def dated(text: str, published: dt.date):
    return main_event_date(text, None, tag_timexes(text, published), published)


def test_a_publication_stamp_inside_the_text_does_not_date_the_event():
    text = ("Police have identified the three found dead in a home as a 6-year-old boy and his "
            "parents. (Published Wednesday, Jan. 21, 2015)\n\n"
            "The bodies were discovered during a welfare check late Tuesday morning.")
    found = dated(text, dt.date(2015, 1, 22))
    assert found.value == "2015-01-20"
    assert found.text == "late Tuesday morning"


def test_a_bare_clock_time_dates_the_event_with_low_confidence():
    published = dt.date(2017, 2, 9)
    clock = dated("A man was shot at 7 p.m. near Oakley Drive, police said.", published)
    weekday = dated("A man was shot Wednesday at 7 p.m. near Oakley Drive.", published)
    assert clock.value == "2017-02-09" and "guess" in clock.reasoning
    assert clock.confidence < weekday.confidence
    assert weekday.value == "2017-02-08"
