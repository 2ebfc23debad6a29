"""The document model every stage reads and enriches.

Plain dataclasses. Every span is a pair of character offsets into `Article.text`, so each
annotation points back to its evidence. Readers produce `RawRecord`s (or `IngestError`s),
cleaning turns a record into an `Article`, and later stages add sentences, entities,
dates, quotes and events to it.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal


def content_hash(text: str) -> str:
    """Stable fingerprint of a document's input, used to skip unchanged documents on re-runs."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class RawRecord:
    """One article as a reader found it, before cleaning.

    `text` is plain text; `html` is set instead for web pages. `verbatim` marks records whose
    id and text must be kept exactly as given (JSON/JSONL input), so gold offsets still apply.
    Metadata fields hold what the input itself declared (JSON fields, HTML meta, feed entry).
    """

    source: str
    text: str | None = None
    html: str | None = None
    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    language: str | None = None
    byline: str | None = None
    verbatim: bool = False
    input_format: str = "text"

    @property
    def fingerprint(self) -> str:
        return content_hash(repr((self.text, self.html, self.id, self.title, self.url,
                                  self.published, self.outlet, self.language)))


@dataclass
class IngestError:
    """A file, record or URL that could not be read; reported, never fatal.

    `level` "warning" means the record was still produced but the user must know
    (e.g. the file was decoded as Windows-1252, or invalid bytes were replaced).
    """

    source: str
    error: str
    level: Literal["error", "warning"] = "error"


@dataclass
class Edit:
    """One change cleaning made to the raw text, so a user can audit it.

    `action` is "removed" (boilerplate), "moved" (into a metadata field) or "reflowed"
    (hard line breaks joined). Offsets refer to the raw input text.
    """

    rule: str
    action: Literal["removed", "moved", "reflowed"]
    text: str
    start: int
    end: int
    field: str | None = None


@dataclass
class Evidence:
    """Where a metadata value came from: the rule or input field, the text it read, how sure."""

    value: str
    source: str
    text: str | None = None
    confidence: float = 1.0


@dataclass
class Sentence:
    start: int
    end: int


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str


@dataclass
class Entity:
    """A named entity of one document with all its mentions."""

    id: str
    name: str
    type: str
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Timex:
    """A TIMEX3 temporal expression; `value` follows TimeML (2022-06-15, 2022-W24, P3D, PAST_REF).

    `anchor` says what a relative value was resolved against (e.g. "dct" or the text of an
    earlier timex), so a user can check the reasoning.
    """

    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str | None
    mod: str | None = None
    anchor: str | None = None
    confidence: float = 1.0


@dataclass
class Speaker:
    """Who a quote is attributed to: the source as written there ("he", "the Chinese president")
    and the document entity it resolves to, when one does."""

    start: int
    end: int
    name: str | None = None
    entity_id: str | None = None


@dataclass
class Quote:
    """A direct or reported statement: the content span (without quotation marks), its cue
    ("said", "according to") and its speaker, if the text names one. `direct` means the whole
    content is quoted; reported speech with a quoted phrase in it is not direct."""

    start: int
    end: int
    text: str
    direct: bool
    cue: str | None = None
    speaker: Speaker | None = None

    def __post_init__(self) -> None:
        if isinstance(self.speaker, dict):  # read back from JSON
            self.speaker = Speaker(**self.speaker)


@dataclass
class ClaimSupport:
    """One sentence (or quote) of one document that states a claim."""

    doc: str
    start: int
    end: int
    outlet: str | None = None


@dataclass
class Claim:
    """An atomic statement of one event and the spans of every document that states it.

    `status`: "corroborated" (two or more independent outlets; copies count once),
    "single_source", or "conflicting" (another claim gives the same fact a different value;
    its ids are in `conflicts_with`).
    """

    id: str
    text: str
    status: Literal["corroborated", "single_source", "conflicting"]
    support: list[ClaimSupport] = field(default_factory=list)
    conflicts_with: list[str] = field(default_factory=list)


@dataclass
class EventDate:
    """When a document's (or an event's) main event happened, with evidence and reasoning.

    `value` is ISO (2022-06-15) or a partial TIMEX3 value (XXXX-05-09); None when unknown.
    """

    value: str | None
    confidence: float
    reasoning: str
    start: int | None = None
    end: int | None = None
    text: str | None = None


@dataclass
class EventRecord:
    """Who did what to whom in one sentence (PLOVER-style), with the sentence as evidence.

    `action` is a PLOVER top-level category (CONSULT, ASSAULT, ...), `mode` a finer kind
    ("phone call", "visit"); `cue` and `start`/`end` are the words that signalled the action.
    """

    doc_id: str
    action: str
    cue: str
    start: int
    end: int
    sentence: tuple[int, int]
    mode: str | None = None
    actor: str | None = None
    target: str | None = None
    date: str | None = None
    place: str | None = None

    def __post_init__(self) -> None:
        self.sentence = tuple(self.sentence)  # stored as a JSON list


@dataclass
class Event:
    """One real-world event instance and the documents that report it.

    `merges` keeps why documents were joined (closest pair, similarity, shared names, date
    gap); `disagreeing_dates` the member dates that lost the vote, with their documents.
    """

    id: str
    title: str
    documents: list[str]
    date: str | None = None
    date_confidence: float = 0.0
    disagreeing_dates: list[dict[str, Any]] = field(default_factory=list)
    type: str | None = None
    mode: str | None = None
    participants: list[dict[str, Any]] = field(default_factory=list)
    location: str | None = None
    merges: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Story:
    """Events linked by shared main actors over time, with a dated timeline."""

    id: str
    title: str
    events: list[str]
    timeline: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Flags:
    duplicate_of: str | None = None
    duplicate_kind: str | None = None
    duplicate_similarity: float | None = None
    machine_translation: bool = False
    machine_translation_score: float = 0.0
    machine_translation_evidence: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False


@dataclass
class Article:
    """A cleaned article: the text every offset refers to, its metadata and annotations."""

    id: str
    source: str
    text: str
    fingerprint: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    input_format: str = "text"
    flags: Flags = field(default_factory=Flags)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    event_date: EventDate | None = None
    quotes: list[Quote] = field(default_factory=list)
    records: list[EventRecord] = field(default_factory=list)  # kept for the event stages
    event_id: str | None = None

    def to_contract(self) -> dict[str, Any]:
        """The document object of the SPEC's output contract, plus audit fields."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "byline": self.byline,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "flags": asdict(self.flags),
            "timexes": [asdict(t) for t in self.timexes],
            "event_date": asdict(self.event_date) if self.event_date else None,
            "quotes": [asdict(q) for q in self.quotes],
            "entities": [
                {"id": e.id, "name": e.name, "type": e.type,
                 "mentions": [list(m) for m in e.mentions]}
                for e in self.entities
            ],
            "sentences": [[s.start, s.end] for s in self.sentences],
            "event_id": self.event_id,
            "metadata_evidence": {k: asdict(v) for k, v in self.evidence.items()},
            "cleaning": [asdict(e) for e in self.edits],
        }
