"""Clean a plain-text article: pull out its metadata lines and site furniture, reflow hard wraps.

Real article files carry their title on the first line, then echoes of it, a byline, a
dateline, the page URL, and at the end share/comment widgets and an author bio. Each such line
is moved into a metadata field or removed, and every change is recorded as an `Edit` so a user
can audit it. Everything else is body and is kept word for word: paragraphs are only re-joined
where a file was hard-wrapped. Phrase lists and the outlet table live in `clean/data/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from storyline.model import Edit, Evidence

HEAD_LINES = 12  # metadata lines are looked for among the first non-empty lines only
TAIL_LINES = 8  # ...and among the last ones
MAX_HEADLINE_CHARS = 200
SENTENCE_MIN_WORDS = 10  # a line this long that ends in a full stop is a lead, not a headline
_TERMINAL = re.compile(r"[.!?…:;][\"”’»)\]]*$")
WRAPPED_SHARE = 0.5  # share of long lines that end mid-sentence in a hard-wrapped file

_SPACES = re.compile(r"\s+")
_URL_LINE = re.compile(r"^\s*<?(https?://\S+?)>?\s*$")
_BYLINE = re.compile(r"^\s*by\s*:?\s*(?P<names>.*?)\s*$", re.IGNORECASE)
_NAME = re.compile(r"^(?:[A-Z][\w.'’-]*|de|da|van|von|der|bin|al|del|la|le)$")
_DATE_LABEL = re.compile(
    r"^\(?\s*(?P<label>published(?: on)?|posted(?: on)?|updated(?: on)?|last modified|"
    r"last updated|date|first published)?\s*:?\s*(?P<date>.+?)\s*\)?\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_SENTENCE_INSIDE = re.compile(r"[.!?][\"”’]?\s+[A-Z]")
_HEADING_MARK = re.compile(r"^ {0,3}#{1,6}(?:\s+|$)")  # Markdown "# Title"
_HEADING_CLOSE = re.compile(r"\s+#+\s*$")  # optional closing "## Title ##"
_CLOSERS = "\"”’»)]'"
_LAST_WORD = re.compile(r"(\S+)\.$")
# A wire dateline opening a lead: "KYIV, Ukraine (AP) —", "STOCKHOLM, Jan 9 (Reuters) -".
_DATELINE = re.compile(
    r"^[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*"  # the place, in capitals
    r"(?:,\s+[^—–()\n]{1,40}?)?\s*(?:\([^()\n]{1,40}\)\s*)?(?:—|–|--?)\s"
)
_BULLETS = "•·-*–—▪►>"
_ZONE_SUFFIX = re.compile(r"\s+(?:UTC|GMT|[A-Z]{2,4}T|[+-]\d\d:?\d\d)$")
# Date-line layouts common in English news, tried before dateparser (slow to start).
COMMON_DATE_LAYOUTS = (
    "%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%b %d, %Y %H:%M", "%B %d, %Y %H:%M",
    "%b %d, %Y %I:%M %p", "%B %d, %Y %I:%M %p", "%d %B %Y %H:%M", "%Y-%m-%d", "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S", "%A, %B %d, %Y", "%a, %b %d, %Y", "%A %d %B %Y",
)


@dataclass
class Line:
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def words(self) -> int:
        return len(self.stripped.split())


@dataclass
class CleanedText:
    """The body text of an article and what cleaning took out of it."""

    text: str
    title: str | None = None
    byline: str | None = None
    url: str | None = None
    evidence: dict[str, Evidence] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)


@cache
def _boilerplate() -> tuple[frozenset[str], tuple[str, ...]]:
    lines, prefixes = set(), []
    for row in _data_rows("boilerplate.tsv"):
        kind, phrase = row.split("\t", 1)
        (lines.add(_norm(phrase)) if kind == "line" else prefixes.append(_norm(phrase)))
    return frozenset(lines), tuple(prefixes)


@cache
def outlet_table() -> dict[str, str]:
    return dict(row.split("\t", 1) for row in _data_rows("outlets.tsv"))


@cache
def _bio_pattern() -> re.Pattern[str]:
    roles = sorted(_data_rows("bio_roles.txt"), key=len, reverse=True)
    return re.compile(
        r"^(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s+is\s+(?:an?|the)\s+"
        r"(?:[\w-]+\s+){0,3}?(?:" + "|".join(map(re.escape, roles)) + r")\b"
        r"[^.]*?\b(?:for|at|with)\s+(?P<outlet>(?:[Tt]he\s+)?[A-Z][\w&'’.-]*"
        r"(?:\s+(?:of|the|and|&|[A-Z][\w&'’.-]*))*)"
    )


def _data_rows(name: str) -> list[str]:
    text = resources.files("storyline.clean").joinpath("data", name).read_text("utf-8")
    return [r for r in text.splitlines() if r.strip() and not r.startswith("#")]


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().strip(_BULLETS + " ").casefold()


def outlet_for_url(url: str) -> str | None:
    """The outlet a URL belongs to, from the domain table; None for unknown hosts."""
    host = (urlsplit(url).hostname or "").lower()
    table = outlet_table()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        if (candidate := ".".join(parts[i:])) in table:
            return table[candidate]
    return None


def split_lines(raw: str) -> list[Line]:
    lines, pos = [], 0
    for chunk in raw.splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        lines.append(Line(pos, pos + len(body), body))
        pos += len(chunk)
    return lines


def looks_like_headline(line: str) -> bool:
    """A first line is a title unless it is running text: several sentences, or a lead sentence.

    A Markdown heading ("# Title") is a title by its markup; otherwise a line that ends in a
    full stop and opens with a dateline or is long is the article's first sentence.
    """
    text = heading_text(line)
    if not 0 < len(text) <= MAX_HEADLINE_CHARS or _SENTENCE_INSIDE.search(text):
        return False
    if _HEADING_MARK.match(line):
        return True
    return not (ends_sentence(text)
                and (len(text.split()) >= SENTENCE_MIN_WORDS or _DATELINE.match(text)))


def heading_text(line: str) -> str:
    """A line without a Markdown heading marker ("# Airport opens" → "Airport opens")."""
    if _HEADING_MARK.match(line):
        return _HEADING_CLOSE.sub("", _HEADING_MARK.sub("", line.strip(), count=1)).strip()
    return line.strip()


def ends_sentence(text: str) -> bool:
    """True if text ends in a full stop that closes a sentence (not "U.S." or "Gen.")."""
    text = text.rstrip(_CLOSERS + " ")
    if not text.endswith(".") or text.endswith(".."):
        return False
    match = _LAST_WORD.search(text)
    last = (match[1] if match else "").lstrip(_CLOSERS + "(\"“‘«").lower()
    return len(last) > 1 and "." not in last and last not in abbreviations()


@cache
def abbreviations() -> frozenset[str]:
    """Words that end with a period without ending a sentence ("gen", "mr"), lower case."""
    return frozenset(r.strip().lower() for r in _data_rows("abbreviations.txt"))


def is_boilerplate(line: str) -> bool:
    text = _norm(line)
    exact, prefixes = _boilerplate()
    if text in exact or text.rstrip(":.") in exact:
        return True
    return len(text) <= 160 and text.startswith(prefixes)


def parse_date_line(line: str) -> tuple[datetime, str] | None:
    """A header/footer line that is only a date (optionally labelled): its datetime and label."""
    text = line.strip()
    if len(text) > 80 or not _YEAR.search(text):
        return None
    match = _DATE_LABEL.match(text)
    if not match:
        return None
    label, date_text = (match["label"] or "").lower(), match["date"]
    if sum(ch.isalpha() for ch in date_text) > 24:  # running text, not a date
        return None
    parsed = parse_datetime(date_text)
    return (parsed, label) if parsed else None


def parse_datetime(text: str) -> datetime | None:
    """A date string as written in news pages and feeds; None if it is not one."""
    try:
        return parsedate_to_datetime(text)  # RFC 2822: "Thu, 08 Feb 2024 16:25:52 GMT"
    except (TypeError, ValueError, IndexError):
        pass
    plain = _ZONE_SUFFIX.sub("", text.replace(".", "")).strip()
    for layout in COMMON_DATE_LAYOUTS:
        try:
            return datetime.strptime(plain, layout)
        except ValueError:
            continue
    import dateparser  # seconds to start up: only for layouts the list above does not know

    return dateparser.parse(
        text, languages=None, settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"}
    )


def parse_byline_names(text: str) -> list[str] | None:
    """Names of a byline fragment ("Yang Sheng, Wan Hengyi and Cui Fandi"), or None if not names."""
    parts = [p.strip() for p in re.split(r",|\band\b|&|;", text) if p.strip()]
    if not parts:
        return []
    for part in parts:
        words = part.split()
        if not 1 <= len(words) <= 5 or not all(_NAME.match(w) for w in words):
            return None
    return parts


def clean_plain_text(raw: str, *, known_title: str | None = None) -> CleanedText:
    """Split a raw article into body text, metadata with evidence, and an audit trail."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = split_lines(raw)
    result = CleanedText(text="")
    removed: dict[int, Edit] = {}

    def take(i: int, rule: str, action: str, field_name: str | None = None) -> None:
        line = lines[i]
        removed[i] = Edit(rule, action, line.text, line.start, line.end, field_name)  # type: ignore[arg-type]

    content = [i for i, line in enumerate(lines) if line.stripped]
    if not content:
        return result
    _take_title(lines, content, known_title, result, take)
    head = [i for i in content[:HEAD_LINES] if i not in removed]
    head = head[: next((k for k, i in enumerate(head) if lines[i].words >= 12), len(head))]
    _take_header_lines(lines, head, result, take)
    _take_tail_lines(lines, [i for i in content if i not in removed], result, take)
    for i in content:
        if i not in removed and is_boilerplate(lines[i].text):
            take(i, "boilerplate-phrase", "removed")
    result.text, reflows = _body_paragraphs(lines, removed)
    result.edits = sorted([*removed.values(), *reflows], key=lambda e: e.start)
    return result


def _take_title(lines, content, known_title, result, take) -> None:
    """The declared title, or else a headline first line; a line that is all the text stays."""
    first = lines[content[0]]
    if known_title:
        result.title = known_title
        result.evidence["title"] = Evidence(known_title, "metadata")
        if _norm(heading_text(first.text)) == _norm(known_title):
            take(content[0], "title-line", "moved", "title")
    elif len(content) > 1 and looks_like_headline(first.text):
        result.title = heading_text(first.text)
        result.evidence["title"] = Evidence(result.title, "first-line", first.stripped, 0.9)
        take(content[0], "title-line", "moved", "title")
    if result.title:
        title = _norm(result.title)
        for i in content[1:HEAD_LINES]:
            if _norm(heading_text(lines[i].text)) == title:
                take(i, "title-echo", "removed")


def _take_header_lines(lines, head, result, take) -> None:
    byline_open = False
    for i in head:
        text = lines[i].stripped
        if byline_open and (names := parse_byline_names(text)):
            _add_byline(result, names, text)
            take(i, "byline", "moved", "byline")
            byline_open = text.endswith((",", " and", "&"))
            continue
        byline_open = False
        if (match := _BYLINE.match(text)) and len(text) <= 80:
            names = parse_byline_names(match["names"])
            if names is not None:
                _add_byline(result, names, text)
                take(i, "byline", "moved", "byline")
                byline_open = not names or text.endswith((",", " and", "&"))
                continue
        if _take_common_line(lines, i, result, take, place="header"):
            continue


def _take_tail_lines(lines, kept, result, take) -> None:
    """Walk back from the end over furniture: widgets, bio, signature, stray short lines."""
    for i in reversed(kept[-TAIL_LINES:]):
        text = lines[i].stripped
        if is_boilerplate(text):
            take(i, "boilerplate-phrase", "removed")
        elif bio := _bio_pattern().match(text):
            result.byline = result.byline or bio["name"]
            result.evidence.setdefault("byline", Evidence(bio["name"], "author-bio", text, 0.8))
            result.evidence.setdefault(
                "outlet", Evidence(bio["outlet"].strip(), "author-bio", text, 0.8)
            )
            take(i, "author-bio", "moved", "byline")
        elif _take_common_line(lines, i, result, take, place="footer"):
            continue
        elif lines[i].words <= 4 and not _TERMINAL.search(text):
            take(i, "signature-or-short-line", "removed")
        else:
            break


def _take_common_line(lines, i, result, take, *, place: str) -> bool:
    """URL and date lines, which may stand in a header or a footer."""
    text = lines[i].stripped
    if match := _URL_LINE.match(text):
        url = match[1]
        if not result.url:
            result.url = url
            result.evidence["url"] = Evidence(url, f"{place}-url-line", text)
            if outlet := outlet_for_url(url):
                result.evidence["outlet"] = Evidence(outlet, "url-host", url, 0.95)
        take(i, "url-line", "moved", "url")
        return True
    if dated := parse_date_line(text):
        when, label = dated
        confidence = {"": 0.85, "published": 0.95, "published on": 0.95,
                      "first published": 0.95, "posted": 0.9, "posted on": 0.9,
                      "date": 0.9}.get(label, 0.75)  # "updated"/"last modified" may be later
        value = when.date().isoformat()
        current = result.evidence.get("published")
        if current is not None and current.value == value:  # two lines agree
            confidence = max(confidence, current.confidence) + 0.05
        if current is None or confidence > current.confidence:
            source = f"{place}-date-line" + (f":{label}" if label else "")
            result.evidence["published"] = Evidence(value, source, text, min(0.99, confidence))
        take(i, "date-line", "moved", "published")
        return True
    return False


def _add_byline(result: CleanedText, names: list[str], text: str) -> None:
    if not names:
        return
    joined = names if not result.byline else [*result.byline.split(", "), *names]
    result.byline = _join_names(joined)
    previous = result.evidence.get("byline")
    raw = f"{previous.text} {text}" if previous and previous.text else text
    result.evidence["byline"] = Evidence(result.byline, "byline-line", raw, 0.95)


def _join_names(names: list[str]) -> str:
    names = [n for part in names for n in re.split(r"\s+and\s+|,\s*", part) if n]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _body_paragraphs(lines: list[Line], removed: dict[int, Edit]) -> tuple[str, list[Edit]]:
    """Paragraphs of the kept lines; a hard-wrapped file has its lines re-joined."""
    blocks: list[list[Line]] = [[]]
    for i, line in enumerate(lines):
        if i in removed or not line.stripped:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    body = [line for block in blocks for line in block]
    long_lines = [line for line in body if len(line.stripped) >= 40]
    wrapped = len(long_lines) >= 5 and (
        sum(not _TERMINAL.search(line.stripped) for line in long_lines)
        >= WRAPPED_SHARE * len(long_lines)
    )
    paragraphs, edits = [], []
    for block in blocks:
        if not wrapped:
            paragraphs.extend(line.stripped for line in block)
            continue
        current: list[Line] = []
        for line in block:
            current.append(line)
            if _TERMINAL.search(line.stripped):
                paragraphs.append(_join_wrapped(current, edits))
                current = []
        if current:
            paragraphs.append(_join_wrapped(current, edits))
    return "\n\n".join(paragraphs), edits


def _join_wrapped(lines: list[Line], edits: list[Edit]) -> str:
    text = lines[0].stripped
    for line in lines[1:]:
        text += line.stripped if text.endswith("-") else " " + line.stripped
    if len(lines) > 1:
        raw = "\n".join(line.text for line in lines)
        edits.append(Edit("reflow-hard-wrap", "reflowed", raw, lines[0].start, lines[-1].end))
    return text
