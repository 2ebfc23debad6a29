"""How each outlet tells its events: names and titles, loaded terms, whom it cites, tone, omissions.

Reads annotated documents (entities, quotes with speakers) and the claims of their events.

- Names: every mention of a person or organisation, widened to the left over the title and
  capitalised words before it ("CCP General Secretary Xi Jinping", "Chinese President Xi
  Jinping"); the forms an outlet uses are counted per entity (entities of different documents
  meet by name: a one-word name joins the longer name that contains it).
- Loaded terms: phrases of `data/loaded_terms.tsv`, grouped by term family.
- Whom it cites: each quote's speaker is given a kind (official, state media, expert,
  anonymous, other) by the first cue of `data/source_kinds.tsv` found in the speaker's text or
  in the sentence words next to any mention of the speaker entity.
- Tone towards each main actor (named in at least two documents, or the most mentioned):
  the words of `data/tone.tsv` within TONE_WINDOW words of the actor's mentions, in the same
  sentence, are counted; tone = (positive - negative) / (positive + negative + 1), in (-1, 1).
  A rough, explainable indicator: the counted words come back as evidence.
- What it leaves out: the claims of its events that other outlets state and it does not.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from importlib import resources

from storyline.compare.claims import extract_claims, titled_form, titles
from storyline.model import Article, Claim, Entity

TONE_WINDOW = 8  # words either side of a mention
ACTOR_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
NAMED_TYPES = {"PERSON", "ORG"}
MAIN_ACTORS = 6
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "their", "his", "her"}
CITE_CONTEXT = 80  # characters after a mention where "an expert at ..." is looked for
WORD = re.compile(r"[\w'’.-]+")


def _rows(name: str) -> list[list[str]]:
    text = resources.files("storyline.compare").joinpath("data", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


@cache
def loaded_terms() -> list[tuple[str, str, str, re.Pattern[str]]]:
    """(family, term, leaning, pattern), longest terms first so they win over their parts."""
    rows = sorted(_rows("loaded_terms.tsv"), key=lambda r: -len(r[1]))
    return [(family, term, leaning, re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.I))
            for family, term, leaning in rows]


@cache
def source_kinds() -> list[tuple[str, re.Pattern[str]]]:
    return [(kind, re.compile(rf"(?<!\w){re.escape(cue)}(?!\w)", re.I))
            for kind, cue in _rows("source_kinds.tsv")]


@cache
def tone_lexicon() -> dict[str, str]:
    """Word form -> polarity."""
    return {form: polarity for polarity, forms in _rows("tone.tsv")
            for form in forms.split(",")}


def outlet_name(article: Article) -> str:
    """The outlet, or the document itself when the outlet is not known."""
    return article.outlet or f"unknown outlet ({article.id})"


def outlet_framing(articles: list[Article], events: dict[str, list[str]] | None = None,
                   claims: dict[str, list[Claim]] | None = None) -> list[dict]:
    """One framing record per outlet, over the given documents and events.

    `events` maps event id -> member doc ids (default: the documents' `event_id`); `claims`
    the claims already extracted per event (computed here when not given).
    """
    by_id = {a.id: a for a in articles}
    if events is None:
        events = defaultdict(list)
        for article in articles:
            events[article.event_id or f"alone:{article.id}"].append(article.id)
    if claims is None:
        claims = {event: extract_claims([by_id[d] for d in docs if d in by_id])
                  for event, docs in events.items()}
    keys = entity_keys(articles)
    outlets: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        outlets[outlet_name(article)].append(article)
    actors = main_actors(articles, keys)
    records = []
    for outlet, docs in sorted(outlets.items()):
        records.append({
            "outlet": outlet,
            "known": docs[0].outlet is not None,
            "documents": [a.id for a in docs],
            "names": names_used(docs, keys),
            "loaded_terms": terms_used(docs),
            "cites": cited_sources(docs),
            "tone": [tone_towards(docs, actor, keys) for actor in actors],
            "leaves_out": left_out(docs, events, claims),
        })
    return records


def entity_keys(articles: list[Article]) -> dict[str, str]:
    """entity id -> a name shared across documents ("Xi" in one document meets "Xi Jinping")."""
    full_names: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        for entity in article.entities:
            full_names[entity.type].add(entity.name)
    keys = {}
    for article in articles:
        for entity in article.entities:
            keys[entity.id] = _longest_container(entity, full_names[entity.type])
    return keys


def _longest_container(entity: Entity, names: set[str]) -> str:
    name = entity.name.removesuffix("’s").removesuffix("'s")
    if entity.type != "PERSON" or " " in name:
        return name
    longer = [n for n in names if name in n.split()]
    return max(longer, key=len) if len(longer) == 1 else name


def main_actors(articles: list[Article], keys: dict[str, str]) -> list[str]:
    """Actors named in at least two documents, most mentioned first (else the most mentioned)."""
    documents: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for article in articles:
        seen = set()
        for entity in article.entities:
            if entity.type in ACTOR_TYPES:
                mentions[keys[entity.id]] += len(entity.mentions)
                seen.add(keys[entity.id])
        documents.update(seen)
    shared = [n for n, _ in mentions.most_common() if documents[n] >= 2 or len(articles) == 1]
    return shared[:MAIN_ACTORS]


def names_used(docs: list[Article], keys: dict[str, str]) -> dict[str, dict[str, int]]:
    """entity -> {form with its title as written: count} for people and organisations."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for article in docs:
        for entity in article.entities:
            if entity.type not in NAMED_TYPES:
                continue
            for start, end in entity.mentions:
                forms[keys[entity.id]][titled_form(article.text, start, end)] += 1
    return {name: dict(counter.most_common()) for name, counter in sorted(forms.items())}


_TERM_WORD = re.compile(r"\w+")


@cache
def _terms_by_words() -> tuple[dict[tuple[str, ...], tuple[str, str, str]], int, frozenset[str]]:
    """The loaded terms keyed by their lower-cased words, the longest's length, first words."""
    table = {tuple(_TERM_WORD.findall(term.casefold())): (family, term, leaning)
             for family, term, leaning, _ in loaded_terms()}
    return table, max(map(len, table), default=0), frozenset(key[0] for key in table)


def terms_used(docs: list[Article]) -> list[dict]:
    """Loaded terms found (the longest term wins where terms overlap), with where they stand."""
    found: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    table, longest, first_words = _terms_by_words()
    for article in docs:
        words = [(m.start(), m.end(), m.group().casefold())
                 for m in _TERM_WORD.finditer(article.text)]
        i = 0
        while i < len(words):
            if words[i][2] not in first_words:
                i += 1
                continue
            for n in range(min(longest, len(words) - i), 0, -1):
                key = tuple(word for _, _, word in words[i:i + n])
                if key in table:
                    found[table[key]].append(
                        {"doc": article.id, "start": words[i][0], "end": words[i + n - 1][1]})
                    i += n
                    break
            else:
                i += 1
    return [{"family": f, "term": t, "leaning": lean, "count": len(spans), "spans": spans}
            for (f, t, lean), spans in sorted(found.items())]


def cited_sources(docs: list[Article]) -> dict[str, list[dict]]:
    """kind -> the speakers quoted (name, document, span of the quote).

    Speakers the quotes stage could not resolve to a name (a bare "it", "they") are left out.
    """
    cites: dict[str, list[dict]] = defaultdict(list)
    for article in docs:
        entities = {e.id: e for e in article.entities}
        for quote in article.quotes:
            if quote.speaker is None:
                continue
            speaker = quote.speaker
            entity = entities.get(speaker.entity_id or "")
            written = article.text[speaker.start:speaker.end]
            kind = speaker_kind(article, speaker.start, speaker.end, entity)
            if kind == "other" and entity is None and not written[:1].isupper():
                continue
            if kind == "other" and entity is None and written.split()[0].lower() in PRONOUNS:
                continue
            cites[kind].append({"name": entity.name if entity else written,
                                "doc": article.id, "start": quote.start, "end": quote.end})
    return dict(sorted(cites.items()))


def speaker_kind(article: Article, start: int, end: int, entity: Entity | None) -> str:
    """official / state_media / expert / anonymous / other, from the speaker's own words: its
    span, the titles before each mention and an apposition after it ("Yang Jin, an expert")."""
    text = article.text
    spans = [(start, end)] + (entity.mentions if entity else [])
    context = [text[start:end]]
    for s, e in spans:
        context.append(titled_form(text, s, e))
        apposition = text[e:e + CITE_CONTEXT].removeprefix(",").split(",")[0]
        first = apposition.split()[0].lower() if apposition.split() else ""
        if text[e:e + 1] == "," and (first in ("a", "an", "the") or first in titles()):
            context.append(apposition)
    joined = " | ".join(context)
    for kind, pattern in source_kinds():
        if pattern.search(joined):
            return kind
    return "other"


def tone_towards(docs: list[Article], actor: str, keys: dict[str, str]) -> dict:
    """Tone lexicon words near the actor's mentions; see the module docstring for the method."""
    positive: list[str] = []
    negative: list[str] = []
    for article in docs:
        bounds = [(s.start, s.end) for s in article.sentences] or [(0, len(article.text))]
        for entity in article.entities:
            if keys[entity.id] != actor:
                continue
            for start, end in entity.mentions:
                for word in _window(article.text, start, end, bounds):
                    polarity = tone_lexicon().get(word)
                    if polarity == "positive":
                        positive.append(word)
                    elif polarity == "negative":
                        negative.append(word)
    score = (len(positive) - len(negative)) / (len(positive) + len(negative) + 1)
    return {"actor": actor, "tone": round(score, 3), "positive": dict(Counter(positive)),
            "negative": dict(Counter(negative))}


def _window(text: str, start: int, end: int, bounds: list[tuple[int, int]]) -> list[str]:
    s_start, s_end = next(((a, b) for a, b in bounds if a <= start < b), (0, len(text)))
    before = WORD.findall(text[s_start:start])[-TONE_WINDOW:]
    after = WORD.findall(text[end:s_end])[:TONE_WINDOW]
    return [w.lower().strip(".'’-") for w in before + after]  # "accused." is "accused"


def left_out(docs: list[Article], events: dict[str, list[str]],
             claims: dict[str, list[Claim]]) -> list[dict]:
    """Claims of this outlet's events stated by other outlets but not by this one."""
    own = {a.id for a in docs}
    missing = []
    for event, members in events.items():
        if not own & set(members):
            continue
        for claim in claims.get(event, []):
            if not own & {s.doc for s in claim.support}:
                missing.append({"event": event, "claim": claim.id, "text": claim.text,
                                "status": claim.status,
                                "reported_by": sorted({s.doc for s in claim.support})})
    order = {"corroborated": 0, "conflicting": 1, "single_source": 2}
    return sorted(missing, key=lambda m: order[m["status"]])
