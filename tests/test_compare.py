"""Outlet comparison: claims and their status, conflicts, the cited summary, framing.

The seed tests run the three seed reports of the 2022-06-15 Xi-Putin call through the real
pipeline; the crafted pairs are hand-built documents with the annotations the pipeline gives.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from storyline.compare import claims, compare_event, outlet_framing
from storyline.model import Article, Entity, Flags, Quote, Sentence, Timex
from storyline.pipeline import analyze
from storyline.store import Store

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"
CALL_OF_2022_06_15 = ("000", "001", "004")


@pytest.fixture(scope="module")
def seed_call(tmp_path_factory: pytest.TempPathFactory) -> list[Article]:
    """The three seed reports of the 2022-06-15 call, analysed by the pipeline."""
    folder = tmp_path_factory.mktemp("seeds")
    for path in EXAMPLES.glob("*.txt"):
        if path.name[:3] in CALL_OF_2022_06_15:
            shutil.copy(path, folder / path.name)
    analyze([str(folder)], db=folder / "s.db")
    with Store(folder / "s.db", readonly=True) as store:
        return sorted(store.articles(), key=lambda a: a.id)


@pytest.fixture(scope="module")
def seed_corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Article]:
    """All five seed reports (two events), analysed by the pipeline: a larger unit set."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in EXAMPLES.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    analyze([str(folder)], db=folder / "c.db")
    with Store(folder / "c.db", readonly=True) as store:
        return sorted(store.articles(), key=lambda a: a.id)


def _docs(claim) -> set[str]:
    return {s.doc[:3] for s in claim.support}


def test_support_on_sovereignty_and_security_is_corroborated_by_the_three_reports(seed_call):
    claims = compare_event(seed_call).claims
    texts = {a.id: a.text for a in seed_call}
    matching = [c for c in claims if any(
        "sovereignty and security" in texts[s.doc][s.start:s.end] for s in c.support)]
    best = max(matching, key=lambda c: len(_docs(c)))
    assert best.status == "corroborated"
    assert _docs(best) == {"000", "001", "004"}
    for support in best.support:
        assert support.end > support.start
        assert texts[support.doc][support.start:support.end].strip()


def test_the_147_billion_trade_figure_is_single_source(seed_call):
    claims = compare_event(seed_call).claims
    (trade,) = [c for c in claims if "$147 billion" in c.text]
    assert trade.status == "single_source"
    assert _docs(trade) == {"001"}


def test_the_epoch_times_naming_of_xi_is_shown_against_the_others(seed_call):
    framing = {o["outlet"]: o for o in outlet_framing(seed_call)}
    epoch = framing["The Epoch Times"]["names"]["Xi Jinping"]
    assert any("General Secretary Xi Jinping" in form for form in epoch)
    others = [o["names"].get("Xi Jinping", {}) for name, o in framing.items()
              if name != "The Epoch Times"]
    assert all(any("President Xi" in form for form in forms) for forms in others)
    assert not any("General Secretary" in form for forms in others for form in forms)


def test_summary_has_three_to_five_cited_sentences_across_outlets(seed_call):
    comparison = compare_event(seed_call)
    texts = {a.id: a.text for a in seed_call}
    assert 3 <= len(comparison.summary) <= 5
    assert len({s["doc"] for s in comparison.summary}) >= 2
    for sentence in comparison.summary:
        assert texts[sentence["doc"]][sentence["start"]:sentence["end"]] == sentence["text"]
    lead = comparison.summary[0]
    (claim,) = [c for c in comparison.claims
                if (lead["doc"], lead["start"]) in {(s.doc, s.start) for s in c.support}][:1]
    assert claim.status == "corroborated"


def test_seed_outlets_cite_experts_and_state_media_and_use_their_loaded_terms(seed_call):
    framing = {o["outlet"]: o for o in outlet_framing(seed_call)}
    global_times = framing["Global Times"]
    assert {"Cui Heng", "Yang Jin"} <= {c["name"] for c in global_times["cites"]["expert"]}
    unknown = next(o for name, o in framing.items() if not o["known"])
    assert "CCTV" in {c["name"] for c in unknown["cites"]["state_media"]}
    epoch_terms = {t["term"] for t in framing["The Epoch Times"]["loaded_terms"]}
    assert {"invasion", "special military operation"} <= epoch_terms
    assert "crisis" in {t["term"] for t in global_times["loaded_terms"]}


def test_a_readout_from_a_government_is_an_official_source(seed_corpus):
    kremlin_readout = next(o for o in outlet_framing(seed_corpus) if "003_" in o["outlet"])
    assert "Kremlin" in {c["name"] for c in kremlin_readout["cites"]["official"]}
    assert "CCTV" in {c["name"] for c in kremlin_readout["cites"]["state_media"]}


def test_contract_output_is_plain_json_with_the_spec_fields(seed_call):
    claims, summary = compare_event(seed_call).contract()
    text = json.dumps({"claims": claims, "summary": summary})
    first = json.loads(text)["claims"][0]
    assert set(first) == {"id", "text", "status", "support", "conflicts_with"}
    assert set(first["support"][0]) == {"doc", "start", "end", "outlet"}
    assert set(json.loads(text)["summary"][0]) == {"text", "doc", "start", "end"}


# Crafted pairs -----------------------------------------------------------------------------

def crafted(doc_id: str, text: str, outlet: str | None, *, dates: dict[str, str] | None = None,
            names: dict[str, str] | None = None, copy_of: str | None = None,
            event: str | None = None) -> Article:
    """A document with what the annotate stage would give it: sentences, names, dated timexes."""
    article = Article(id=doc_id, source=doc_id, text=text, fingerprint=doc_id, outlet=outlet,
                      flags=Flags(duplicate_of=copy_of), event_id=event)
    article.sentences = [Sentence(m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]", text)]
    for n, (name, kind) in enumerate((names or {}).items()):
        mentions = [m.span() for m in re.finditer(re.escape(name), text)]
        article.entities.append(Entity(f"{doc_id}:e{n}", name, kind, mentions))
    for phrase, value in (dates or {}).items():
        start = text.index(phrase)
        article.timexes.append(Timex(start, start + len(phrase), phrase, "DATE", value))
    return article


def test_a_paraphrase_of_the_same_fact_is_aligned_and_corroborated():
    first = crafted("a", "Police in Lyon arrested three men after the robbery of a jewellery "
                    "store on the Rue de la République. The shop owner was not hurt.",
                    "Outlet A", names={"Lyon": "GPE"})
    second = crafted("b", "Three men were detained by police following the robbery of a "
                     "jewelry shop in Lyon. The mayor praised the quick response.",
                     "Outlet B", names={"Lyon": "GPE"})
    claims = compare_event([first, second]).claims
    (robbery,) = [c for c in claims if "robbery" in c.text]
    assert {s.doc for s in robbery.support} == {"a", "b"}
    assert robbery.status == "corroborated"
    owner = next(c for c in claims if "owner" in c.text)
    assert owner.status == "single_source"


def test_a_figure_conflict_is_found():
    first = crafted("a", "The navy confiscated 14 AK-47 rifles from the pirates' boats near "
                    "the Gulf of Aden.", "Outlet A", names={"Gulf of Aden": "LOC"})
    second = crafted("b", "Six AK-47 rifles were confiscated by the navy from the pirates' boats "
                     "in the Gulf of Aden.", "Outlet B", names={"Gulf of Aden": "LOC"})
    claims = compare_event([first, second]).claims
    assert [c.status for c in claims] == ["conflicting", "conflicting"]
    assert claims[0].conflicts_with == [claims[1].id]
    assert claims[1].conflicts_with == [claims[0].id]


def test_a_date_conflict_is_found():
    first = crafted("a", "Putin and Xi met in Moscow on May 9 for the Victory Day parade.",
                    "Outlet A", dates={"May 9": "XXXX-05-09"},
                    names={"Putin": "PERSON", "Xi": "PERSON", "Moscow": "GPE"})
    second = crafted("b", "Xi and Putin met in Moscow on May 8 before the Victory Day parade.",
                     "Outlet B", dates={"May 8": "2024-05-08"},
                     names={"Putin": "PERSON", "Xi": "PERSON", "Moscow": "GPE"})
    claims = compare_event([first, second]).claims
    assert {c.status for c in claims} == {"conflicting"}


def test_an_unresolved_year_does_not_make_a_date_conflict():
    first = crafted("a", "Putin and Xi met in Moscow on May 9 for the Victory Day parade.",
                    "Outlet A", dates={"May 9": "XXXX-05-09"}, names={"Moscow": "GPE"})
    second = crafted("b", "Xi and Putin met in Moscow on May 9 at the Victory Day parade.",
                     "Outlet B", dates={"May 9": "2024-05-09"}, names={"Moscow": "GPE"})
    (claim,) = compare_event([first, second]).claims
    assert claim.status == "corroborated"


REPORT = ("Officials said the dam near Kherson was breached early on Tuesday, flooding "
          "dozens of villages downstream.")


def test_a_repost_does_not_make_a_claim_corroborated():
    original = crafted("a", REPORT, "Outlet A")
    repost = crafted("b", REPORT, "Outlet B", copy_of="a")
    (claim,) = compare_event([original, repost]).claims
    assert {s.doc for s in claim.support} == {"a", "b"}
    assert claim.status == "single_source"


def test_two_documents_of_one_outlet_count_once():
    morning = crafted("a", REPORT, "Outlet A")
    evening = crafted("b", "Officials said the dam near Kherson was breached on Tuesday, "
                      "flooding dozens of villages.", "Outlet A")
    (claim,) = compare_event([morning, evening]).claims
    assert claim.status == "single_source"
    other = crafted("c", REPORT, "Outlet C")
    (claim,) = compare_event([morning, evening, other]).claims
    assert claim.status == "corroborated"


def test_two_different_events_never_conflict():
    first = crafted("a", "Putin and Xi met in Moscow on May 9 for the Victory Day parade.",
                    "Outlet A", dates={"May 9": "2024-05-09"}, names={"Moscow": "GPE"},
                    event="e1")
    second = crafted("b", "Xi and Putin met in Moscow on May 8 for the Victory Day parade.",
                     "Outlet B", dates={"May 8": "2023-05-08"}, names={"Moscow": "GPE"},
                     event="e2")
    for event in ([first], [second]):
        assert all(c.status != "conflicting" for c in compare_event(event).claims)
    framing = outlet_framing([first, second], {"e1": ["a"], "e2": ["b"]})
    assert all(o["leaves_out"] == [] for o in framing)


def test_an_outlet_is_told_what_the_others_report_and_it_leaves_out():
    shared = "The ceasefire between the two sides began at midnight and has held so far."
    first = crafted("a", shared + " Both armies pulled back heavy artillery from the border.",
                    "Outlet A")
    second = crafted("b", shared + " Both armies withdrew heavy artillery from the border area.",
                     "Outlet B")
    third = crafted("c", shared, "Outlet C")
    framing = {o["outlet"]: o for o in outlet_framing([first, second, third],
                                                      {"e": ["a", "b", "c"]})}
    (missing,) = framing["Outlet C"]["leaves_out"]
    assert "artillery" in missing["text"] and missing["status"] == "corroborated"
    assert framing["Outlet A"]["leaves_out"] == []


def test_every_claim_of_an_event_has_its_own_id():
    first = claims.Unit("a", "Outlet A", "a", 0, 40, "The bridge reopened on Monday.", 0)
    second = claims.Unit("b", "Outlet B", "b", 0, 40, "The bridge opened again Monday.", 0)
    found, _ = claims._claims([[first], [first, second], [second, first]])
    assert len(found) == 2 and len({c.id for c in found}) == 2


def test_tone_counts_lexicon_words_near_the_actor():
    friendly = crafted("a", "Analysts praised Ruritania for its constructive support of the "
                       "peace talks.", "Outlet A", names={"Ruritania": "GPE"})
    hostile = crafted("b", "Critics accused Ruritania of aggression and threats against its "
                      "neighbours.", "Outlet B", names={"Ruritania": "GPE"})
    framing = {o["outlet"]: o for o in outlet_framing([friendly, hostile], {"e": ["a", "b"]})}
    tone = {name: o["tone"][0] for name, o in framing.items()}
    assert tone["Outlet A"]["actor"] == "Ruritania" and tone["Outlet A"]["tone"] > 0
    assert tone["Outlet B"]["tone"] < 0
    assert "accused" in tone["Outlet B"]["negative"]


def test_tone_words_are_whole_words_not_stems():
    neutral = crafted("a", "Ruritania and Warsaw held warm talks on their respective "
                      "chargers.", "Outlet A", names={"Ruritania": "GPE"})
    ending = crafted("b", "Critics said Ruritania was accused.", "Outlet B",
                     names={"Ruritania": "GPE"})
    framing = {o["outlet"]: o for o in outlet_framing([neutral, ending], {"e": ["a", "b"]})}
    assert framing["Outlet A"]["tone"][0]["positive"] == {}
    assert framing["Outlet A"]["tone"][0]["negative"] == {}
    assert framing["Outlet B"]["tone"][0]["negative"] == {"accused": 1}


def test_a_sentence_stating_two_claims_pairs_with_each_report_that_states_one():
    both = crafted("a", "Police say Luann Johnson, 66, of Burnsville, was killed on Wednesday "
                   "night outside the Sam's Club store in Bloomington.", "Outlet A",
                   names={"Luann Johnson": "PERSON", "Burnsville": "GPE", "Bloomington": "GPE"})
    victim = crafted("b", "Luann Johnson, a 66-year-old retired nurse from Burnsville, was "
                     "killed by a drunk driver.", "Outlet B",
                     names={"Luann Johnson": "PERSON", "Burnsville": "GPE"})
    place = crafted("c", "The crash happened on Wednesday night outside the Sam's Club store in "
                    "Bloomington.", "Outlet C", names={"Bloomington": "GPE"})
    found = compare_event([both, victim, place]).claims
    assert sorted(sorted(s.doc for s in c.support) for c in found) == [["a", "b"], ["a", "c"]]
    assert {c.status for c in found} == {"corroborated"}


def test_two_ages_of_the_same_kind_of_person_conflict():
    charged = crafted("a", "A 16-year-old boy and a 17-year-old girl were charged with murder "
                      "in the death of Javon Wilson.", "Outlet A", names={"Javon Wilson": "PERSON"})
    statement = crafted("b", "The congressman said a 17-year-old girl and a 15-year-old boy "
                        "forced their way into the home and the boy shot Javon Wilson.",
                        "Outlet B", names={"Javon Wilson": "PERSON"})
    found = compare_event([charged, statement]).claims
    assert {c.status for c in found} == {"conflicting"}
    units = [claims.units_of(a, a.id)[0] for a in (charged, statement)]
    assert claims.value_conflict(*units) == "figure: 16 vs 15 (year-o:boy)"  # not the girl's


def test_two_reports_of_when_it_happened_conflict_on_the_day():
    happened = crafted("a", "The shooting happened Friday, June 3 in the evening in the 9500 "
                       "block of Page Avenue.", "Outlet A", dates={"Friday, June 3": "2016-06-03"})
    occurred = crafted("b", "According to authorities, Jones and his two brothers were home "
                       "alone on June 1 when the tragedy occurred.", "Outlet B",
                       dates={"June 1": "2016-06-01"}, names={"Jones": "PERSON"})
    found = compare_event([happened, occurred]).claims
    assert {c.status for c in found} == {"conflicting"}
    assert claims.similarity(*(claims.units_of(a, a.id)[0] for a in (happened, occurred)),
                             values=False) < claims.CONFLICT  # their words barely meet


# Reading a sentence ------------------------------------------------------------------------

def _units(text: str) -> list[claims.Unit]:
    """The units of a one-sentence document."""
    article = crafted("a", text, "Outlet A")
    article.sentences = [Sentence(0, len(text))]
    return claims.units_of(article, "a")


def test_a_number_word_joined_to_what_it_counts_reads_as_the_figure():
    (spelled,) = _units("A two-year-old girl died after the shooting on Harrison Street.")
    (digits,) = _units("A 2-year-old girl died after the shooting on Harrison Street.")
    assert [(f.value, f.key) for f in spelled.figures] == [(2.0, "year-o:girl")]  # whose age
    assert spelled.words == digits.words


def test_a_dateline_is_no_part_of_the_claim():
    (unit,) = _units("LITTLE ROCK, Ark. (KTHV) – A two-year-old is dead after an overnight "
                     "shooting in the city.")
    assert {"littl", "rock", "ark", "kthv"}.isdisjoint(unit.words)
    assert {"kill", "shoot", "overni"} <= set(unit.words)


def test_irregular_forms_and_paraphrases_meet():
    word = claims.normal_word
    assert word("fled") == word("flees") == word("escaped")
    assert word("children") == word("child") == word("juveniles")
    assert word("shot") == word("shooting") == word("gunfire")
    assert word("homicide") == word("killed") == word("died")
    assert word("got") is None  # a light verb says nothing of the claim


def test_the_attribution_of_a_reported_statement_weighs_less():
    text = "Police Chief Tom Baker said the gunman fled the scene in a stolen car."
    article = crafted("a", text, "Outlet A")
    start = text.index("the gunman")
    article.quotes.append(Quote(start, len(text) - 1, text[start:-1], False, cue="said"))
    (unit,) = claims.units_of(article, "a")
    assert unit.words["suspec"] == 1.0 and unit.words["car"] == 1.0
    assert unit.words["polic"] == unit.words["baker"] == claims.ATTRIBUTION_WEIGHT


def test_an_un_participle_is_read_as_a_denial():
    (unloaded,) = _units("Murphy told detectives he believed the gun was unloaded.")
    (not_loaded,) = _units("Murphy told detectives he believed the gun wasn't loaded.")
    (unveiled,) = _units("The police chief unveiled a plan to curb gun violence.")
    assert unloaded.negated and not_loaded.negated and not unveiled.negated
    assert unloaded.words == not_loaded.words


def test_a_denial_weighs_down_the_match_with_what_it_denies():
    (denied,) = _units("The victim has not been identified by the county coroner's office.")
    (stated,) = _units("The victim was identified by the county coroner's office on Monday.")
    (also_denied,) = _units("The victim had not yet been identified by the county coroner.")
    assert denied.negated and also_denied.negated and not stated.negated
    assert claims.alignment_score(denied, stated) == pytest.approx(
        claims.similarity(denied, stated) * claims.POLARITY_MISMATCH)
    assert claims.alignment_score(denied, also_denied) == claims.similarity(denied, also_denied)


def test_a_clock_time_gives_its_day_and_hour():
    text = "Officers responded to calls of a shooting at 10 p.m. Tuesday on West Highland Avenue."
    article = crafted("a", text, "Outlet A", names={"West Highland Avenue": "FAC"})
    start = text.index("10 p.m. Tuesday")
    article.timexes.append(Timex(start, start + 15, "10 p.m. Tuesday", "TIME", "2016-06-28T22:00"))
    article.sentences = [Sentence(0, len(text))]
    (unit,) = claims.units_of(article, "a")
    assert unit.dates == {"2016-06-28"}
    assert {"@06-28", "@T22"} <= set(unit.words)
    assert not any(f.value == 10 for f in unit.figures)  # the hour is no figure


def test_the_pair_model_reads_shared_words_openings_and_best_matches():
    assert len(claims.pair_weights()[1]) == len(claims.PAIR_FEATURES)
    probability = claims.pair_probability
    # similarity, log(1 + shared words), both lead, length ratio, worse and better rank
    plain = [0.35, 1.1, 0.0, 0.5, 0.6, 1.0]
    assert probability([0.5, *plain[1:]]) > probability(plain)
    assert probability([0.35, 1.8, *plain[2:]]) > probability(plain)
    assert probability([*plain[:2], 1.0, *plain[3:]]) > probability(plain)
    assert probability([*plain[:4], 1.0, 1.0]) > probability(plain)
    assert probability([0.05, 0.7, 0.0, 0.5, 0.1, 0.2]) < 0.05


def test_units_of_one_report_meet_many_shared_words_with_the_other_report(seed_call):
    """The 2022-06-15 call: each report's opening states the call, and they align."""
    found = compare_event(seed_call).claims
    texts = {a.id: a.text for a in seed_call}
    openings = {a.id: min(u.start for u in claims.units_of(a, a.id)) for a in seed_call}
    opening_claims = [c for c in found
                      if sum(s.start == openings[s.doc] for s in c.support) >= 2]
    assert opening_claims, [texts[d][openings[d]:openings[d] + 80] for d in texts]


# Comparing only the pairs that can align ------------------------------------------------------

def test_candidate_pairs_hold_every_pair_that_can_reach_the_threshold(seed_corpus):
    units = claims.event_units(seed_corpus, claims.source_keys(seed_corpus))
    every = [(i, j) for i in range(len(units)) for j in range(i + 1, len(units))
             if units[i].doc != units[j].doc]
    for threshold, values in ((claims.CANDIDATE, True), (claims.CONFLICT, False)):
        candidates = set(claims.candidate_pairs(units, threshold, values=values))
        reaching = {(i, j) for i, j in every
                    if claims.similarity(units[i], units[j], values=values) >= threshold}
        assert reaching <= candidates
        assert len(candidates) < len(every) / 3


def test_claims_are_those_of_comparing_every_pair(seed_call, monkeypatch):
    indexed = compare_event(seed_call).claims

    def every_pair(units, threshold, values=True):
        return [(i, j) for i in range(len(units)) for j in range(i + 1, len(units))
                if units[i].doc != units[j].doc]

    monkeypatch.setattr(claims, "candidate_pairs", every_pair)
    assert compare_event(seed_call).claims == indexed
