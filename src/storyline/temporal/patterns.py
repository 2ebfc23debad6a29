"""Where temporal expressions are: the TIMEX3 extent grammar as a table of named regex rules.

Each rule finds one kind of expression ("month_day": "Feb 08, 2024"; "duration": "two weeks",
"two weeks ago"). The rules are written over word classes (%(MONTH)s, %(NUM)s, %(UNIT)s ...)
filled from the lexicon, compiled once, and run over the whole text; overlapping hits keep
the longest.
Extents follow the TimeML guidelines: determiners and modifiers that are part of the
expression ("the past two months", "early next year") are inside, prepositions are not; in
"three days later" the timex is the duration "three days" and "later" a signal, as TimeBank has it.
Values are the business of `normalise`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from storyline.temporal.lexicon import Lexicon, lexicon

FLAGS = re.IGNORECASE | re.VERBOSE


@dataclass
class Candidate:
    """A stretch of text a rule matched, with the rule's named parts (None when absent)."""

    start: int
    end: int
    kind: str
    parts: dict[str, str | None]
    mod: str | None = None
    attached: list[Candidate] = field(default_factory=list)
    # the span whose clause gives the tense, when not its own ("(4 a.m. Thursday)" in apposition)
    tense_span: tuple[int, int] | None = None

    def part(self, name: str) -> str | None:
        return self.parts.get(name)


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: str


# The extent grammar. Order breaks ties between equally long matches: earlier wins.
RULES: tuple[Rule, ...] = (
    Rule(
        "iso_date",
        r"""%(NS)s(?P<y>(?:1\d|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])
         (?:T(?P<h24>[01]\d|2[0-3]):(?P<mi24>[0-5]\d)(?::(?P<s24>[0-5]\d))?)?(?![\w-])""",
    ),
    Rule(
        "numeric_date",
        r"""%(NS)s(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)
         (?P<y>(?:1\d|20)\d\d|\d\d)(?![\w/]|\.\d)""",
    ),
    Rule(
        "month_day",
        r"""%(WS)s(?:(?P<rel>%(REL)s)\s+)?(?:(?P<wd>%(WEEKDAY_ANY)s),?\s+)?%(CAP)s(?P<month>%(MONTH)s)
         (?:\s+(?:the\s+)?(?P<day>%(DAY)s|%(DAY_WORD)s)(?:,?\s+(?P<y>%(YEAR)s))?
          |(?:,?\s+|\s+of\s+)(?P<year_only>%(YEAR)s|%(SPOKEN_YEAR)s)
          |\s+(?:of\s+)?(?P<yrel>last|this|next)\s+year
          |(?!\s*\d))%(WE)s""",
    ),
    Rule(
        "day_month",
        r"""%(WS)s(?:(?:(?P<rel>%(REL)s)\s+)?(?P<wd>%(WEEKDAY_ANY)s),?\s+)?(?:the\s+)?(?P<day>%(DAY)s|%(DAY_WORD)s)
         (?:\s+of)?\s+%(CAP)s(?P<month>%(MONTH)s)(?:,?\s+(?P<y>%(YEAR)s))?%(WE)s""",
    ),
    Rule(
        "day_of_stretch",
        r"""%(WS)s(?:the\s+)?(?P<ord>%(DAY_WORD)s|\d{1,3}(?:st|nd|rd|th))\s+day(?=\s+of\s+(?!%(MONTH)s\b))""",
    ),
    Rule(
        "ordinal_day",
        r"""%(WS)sthe\s+(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)|%(DAY_WORD)s)%(WE)s""",
    ),
    Rule(
        "year",
        r"""%(NS)s(?:(?P<fiscal>fiscal(?:\s+year)?|calendar(?:\s+year)?|the\s+year|FY)\s*)?
         (?P<y>%(YEAR)s)(?P<after>\s+(?:or\s+later|and\s+beyond|or\s+after|onwards?))?""",
    ),
    Rule("spoken_year", r"""%(WS)s(?:(?P<the>the\s+year)\s+)?(?P<spoken>%(SPOKEN_YEAR)s)%(WE)s"""),
    Rule("decade", r"""%(NS)s(?:the\s+)?(?P<dy>(?:1\d|20)\d0)'?s%(WE)s"""),
    Rule(
        "decade_short", r"""%(WS)sthe\s+(?:'?(?P<short>\d0)'?s|(?P<word>%(DECADE_WORD)s))%(WE)s"""
    ),
    Rule(
        "century",
        r"""%(WS)s(?:the\s+)?(?P<ord>\d{1,2}(?:st|nd|rd|th)|%(DAY_WORD)s)[-\s]+century%(WE)s""",
    ),
    Rule(
        "quarter",
        r"""%(WS)s(?:(?P<det>the|this|that|a)\s+(?!(?:[\w']+\s+)?[\w']+-(?:quarter|half|period)\b))?
         (?:(?P<yrel>this|last|next)\s+year's\s+|(?P<yposs>(?:1\d|20)\d\d)'s\s+)?
         (?P<mods>(?:%(QMOD)s)(?:[\s-]+(?:%(QMOD)s))*[\s-]+)?(?P<unit>quarters?|period|half)
         (?:\s+(?:of|in|for)\s+(?:fiscal\s+|FY\s*)?(?P<y>%(YEAR)s)|\s+(?:of\s+)?(?P<yrel2>this|last|next)\s+year
          |\s+of\s+the\s+(?P<decade>(?:1\d|20)\d0'?s|'?\d0'?s)
          |\s+a\s+year\s+(?P<ago>ago|earlier))?%(WE)s""",
    ),
    Rule(
        "quarter_span",
        r"""%(WS)s(?:the\s+)?(?P<edge>first|last|final)\s+(?P<n>two|three|2|3)\s+quarters
         (?:\s+(?:of|in)\s+(?:fiscal\s+|FY\s*)?(?P<y>%(YEAR)s))?%(WE)s""",
    ),
    Rule(
        "quarter_abbrev",
        r"""%(WS)s(?-i:Q(?P<q>[1-4])|(?P<q2>[1-4])Q)(?:\s*(?P<y>%(YEAR)s))?%(WE)s""",
    ),
    Rule("year_end", r"""%(WS)s(?:the\s+)?(?P<w>year[-\s]end|year's\s+end)%(WE)s"""),
    Rule("year_ago_adj", r"""%(WS)s(?P<w>year-(?:ago|earlier)|year-before|prior-year)%(WE)s"""),
    Rule(
        "deictic",
        r"""%(WS)s(?:(?P<pod_before>%(POD)s)\s+)?(?P<word>the\s+day\s+before\s+yesterday
         |the\s+day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow)(?:\s+(?P<pod>%(POD)s))?%(WE)s""",
    ),
    # "the day after his death", "the night before the vote": a day counted from an event, which
    # the story has just dated; "before"/"after" and the event stay outside, as in TimeBank
    Rule(
        "day_of_event",
        r"""%(WS)sthe\s+(?P<unit>day|%(POD)s)(?=\s+(?P<dir>before|after)\s+(?!(?:%(MONTH)s|%(WEEKDAY)s
         |%(HOLIDAY)s|last|next|this|yesterday|today|tomorrow|\d)\b)(?![a-z]+ing\b)[\w'’])""",
    ),
    Rule(
        "this_pod",
        r"""%(WS)s(?P<rel>this|last|tomorrow|yesterday|that|the\s+same|the\s+next|the\s+following
         |the\s+previous)\s+(?P<pod>%(POD)s)%(WE)s""",
    ),
    Rule("part_of_day", r"""%(WS)s(?P<the>the\s+)?(?P<pod>%(POD)s)%(WE)s"""),
    Rule(
        "weekday",
        r"""%(WS)s(?:(?P<rel>%(REL)s)\s+)?%(CAP)s(?P<wd>%(WEEKDAY)s)(?:\s+(?P<pod>%(POD)s))?%(WE)s""",
    ),
    Rule(
        "relative_unit",
        r"""%(WS)s(?P<rel>%(REL_UNIT)s)\s+(?P<fiscal>fiscal\s+)?
         (?P<unit>week|weekend|month|year|decade|century|day|%(SEASON)s)(?P<orso>\s+or\s+so)?%(WE)s""",
    ),
    Rule(
        "unit_dir",
        r"""%(WS)s(?P<det>the|that)\s+(?P<unit>%(UNIT)s)\s+(?P<dir>(?:before|after|prior)%(CLAUSE_END)s
         |earlier|later)%(WE)s""",
    ),
    Rule(
        "duration",
        r"""%(NS)s(?:(?P<det>the|another|each\s+of\s+the)\s+(?![\w.]+-%(UNIT_ANY)s\b))?
         (?:(?P<rel>past|last|next|first|coming|previous|following|final|latest|remaining|additional
          |initial|ensuing|same|full|entire|whole)\s+)?
         (?P<num>%(NUM)s)(?:\s*(?:to|or|-)\s*(?P<num2>%(NUM)s))?(?P<sep>[\s-]+)
         (?:(?P<adj>more|additional|straight|consecutive|full|trading|business|working|calendar|long
          |odd|plus)\s+)?(?P<unit>%(UNIT_ANY)s)(?P<half>\s+and\s+a\s+half)?(?:-(?P<suffix>old|long))?
         (?P<orso>\s+or\s+so)?(?:\s+(?P<dir>ago|earlier|hence|from\s+now|back|previously
         |(?:before|after|prior)%(CLAUSE_END)s))?%(WE)s""",
    ),
    Rule(
        "units_bare",
        r"""%(WS)s(?:(?P<q>recent|the\s+coming|coming|upcoming|the\s+past|past|the\s+last
         |the\s+next|the\s+early|the\s+ensuing|future|the)\s+)?(?P<unit>%(UNITS)s)
         (?:(?P<long>-long)|\s+(?P<dir>ago)|\s+(?P<ahead>ahead|to\s+come))?%(WE)s""",
    ),
    Rule("set_word", r"""%(WS)s(?P<word>%(SET_WORD)s)%(WE)s"""),
    Rule(
        "set_every",
        r"""%(WS)s(?P<q>every|each)\s+(?:(?P<other>other|single)\s+)?(?:(?P<num>%(NUM)s)\s+)?
         (?P<unit>%(UNIT_ANY)s|%(WEEKDAY)s|%(MONTH)s|%(SEASON)s|%(POD)s)%(WE)s""",
    ),
    Rule(
        "set_freq",
        r"""%(WS)s(?P<freq>once|twice|thrice|(?:\d+|%(ONES)s)\s+times)\s+(?:a|an|per|each|every)\s+
         (?P<unit>%(UNIT)s)%(WE)s""",
    ),
    Rule(
        "set_weekdays",
        r"""%(WS)s(?:(?P<wd>%(WEEKDAY)s)s|%(CAP)s(?P<wd_pod>%(WEEKDAY)s)\s+(?P<pods>%(POD)s)s)%(WE)s""",
    ),
    Rule("reference", r"""%(WS)s(?P<ref>%(REF_WORD)s)%(WE)s"""),
    Rule(
        "season",
        r"""%(WS)s(?:(?P<rel>%(REL)s|the)\s+)?(?P<season>%(SEASON)s)
         (?:\s+(?:of\s+)?(?P<y>%(YEAR)s|%(SPOKEN_YEAR)s))?%(WE)s""",
    ),
    Rule(
        "holiday",
        r"""%(WS)s(?:(?P<rel>%(REL)s)\s+)?%(CAP)s(?P<name>%(HOLIDAY)s)(?:\s+(?:of\s+)?(?P<y>%(YEAR)s))?
         (?P<week>\s+week)?%(WE)s""",
    ),
    Rule("week_of", r"""%(WS)sthe\s+week\s+of\s+(?P<month>%(MONTH)s)\s+(?P<day>%(DAY)s)%(WE)s"""),
    Rule(
        "clock",
        r"""%(NS)s(?:(?P<h>\d{1,2})(?::(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?)?\s*(?P<ampm>[ap]\.?\s?m\b\.?)
         |(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?::(?P<s24>[0-5]\d))?(?![\d:])
         |(?P<named>noon|midnight|midday)
         |(?P<hw>\d{1,2}|%(ONES)s)\s+o'clock
         |(?P<hp>\d{1,2}|%(ONES)s)\s+in\s+the\s+(?P<pod>morning|afternoon|evening))
         (?:\s+(?P<tz>%(TZ)s))?(?![\w])""",
    ),
)

# Kinds whose value names a day, so a clock time next to them takes its date from them.
DAY_KINDS = frozenset({"iso_date", "numeric_date", "month_day", "day_month", "weekday", "deictic"})

REL = r"""this\s+past|this\s+coming|the\s+coming|the\s+past|the\s+previous|the\s+following
          |last|next|this|coming|past|previous|following|that"""
REL_UNIT = r"""this\s+past|this\s+coming|the\s+coming|the\s+past|the\s+last|the\s+next
          |the\s+previous|the\s+following|the\s+current|the\s+same|that\s+same|the\s+latest|the\s+prior|the\s+preceding
          |the\s+full|the\s+whole|the\s+entire|the|last|next|this|coming|past|previous|following
          |current|that"""
QMOD = r"""year-ago|year-earlier|year\s+ago|year\s+earlier|year-before|prior-year|latest|current
          |same|comparable|corresponding|previous|preceding|prior|recent|most\s+recent|final|flat|fiscal
          |calendar|(?:1\d|20)\d\d|first|second|third|fourth|1st|2nd|3rd|4th|last|past|next|coming
          |upcoming|this|june|september|december|march"""
TZ = r"""(?-i:[ECMPA][SD]T|GMT|UTC|BST|CET|CEST|EET|MSK|JST|IST|HKT|SGT)|local\s+time"""
ONES = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
TEENS = r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
# What may follow "before"/"after" when they end the expression rather than start a phrase.
CLAUSE_END = r"""(?=\s*[,.;:)"'`_]|\s*$|\s+(?:and|but|when|as|in|on|at|to)\b)"""
SPOKEN_YEAR = rf"""(?:nineteen|eighteen)(?:\s+hundred(?:\s+and)?)?\s+
          (?:(?:{TENS})(?:[-\s](?:{ONES}))?|{TEENS}|oh[-\s](?:{ONES}))
          |(?<=year\s)two\s+thousand(?:\s+and)?(?:\s+(?:{TEENS}|{ONES}))?
          |two\s+thousand\s+and\s+(?:{TEENS}|{ONES})"""


def _alternation(words: list[str], capitalised: set[str] = frozenset()) -> str:
    """A regex alternation of phrases, longest first; some only in capitalised form."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        body = re.escape(word).replace(r"\ ", r"\s+").replace("'", "['’]?")
        if word in capitalised:
            body = f"(?-i:{re.escape(word.capitalize())}|{re.escape(word.upper())})"
        parts.append(body)
    return "|".join(parts)


def _number_words(lex: Lexicon) -> str:
    """Cardinal numbers in digits or words: "14", "2 1/2", "twenty-four", "a couple of"."""
    words = [w for w in lex.numbers if w not in ("a", "an")]
    compound = rf"(?:{TENS})[-\s](?:one|two|three|four|five|six|seven|eight|nine)"
    hundreds = r"(?:a|one|two|three|four|five|six|seven|eight|nine)\s+(?:hundred|thousand)"
    digits = r"\d+(?:,\d{3})*(?:\.\d+)?(?:\s+\d/\d)?|\d/\d"
    return f"(?:{digits}|{hundreds}|{compound}|{_alternation(words)}|an?)(?![\\w])"


@cache
def fragments() -> dict[str, str]:
    """The word classes the rules are written over, filled from the lexicon."""
    lex = lexicon()
    months = [m.word for m in lex.months]
    cap_months = {m.word for m in lex.months if "cap" in m.flags}
    full_days = [d.word for d in lex.weekdays if "abbr" not in d.flags]
    all_days = [d.word for d in lex.weekdays]
    abbr_days = {d.word for d in lex.weekdays if "abbr" in d.flags}
    return {
        # A word start; after a hyphen only in "mid-November", "post-1959", "late-November".
        "WS": r"(?<![\w'’])(?:(?<!-)|(?<=mid-)|(?<=pre-)|(?<=post-)|(?<=late-)|(?<=early-))",
        "WE": r"(?![\w])",
        "NS": r"(?<![\w$£€¥#.,:/'’])",
        "MONTH": _alternation(months, cap_months),
        "WEEKDAY": _alternation(full_days),
        "WEEKDAY_ANY": _alternation(all_days, abbr_days),
        "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\w%]|[.,:/]\d)",
        "DAY_WORD": _alternation(list(lex.ordinals)),
        "YEAR": r"(?:1\d|20)\d\d(?![\w%]|[.,:/]\d)",
        "SPOKEN_YEAR": SPOKEN_YEAR,
        "DECADE_WORD": _alternation(list(lex.decades)),
        "NUM": _number_words(lex),
        "ONES": ONES,
        "UNIT": _alternation([u.singular for u in lex.units]),
        "UNITS": _alternation([u.plural for u in lex.units]),
        "UNIT_ANY": _alternation([u.singular for u in lex.units] + [u.plural for u in lex.units]),
        "POD": _alternation(list(lex.parts_of_day)),
        "SEASON": _alternation(list(lex.seasons)),
        "HOLIDAY": _alternation(list(lex.holidays)),
        "SET_WORD": _alternation(list(lex.set_words)),
        "REF_WORD": _alternation(list(lex.reference_words)),
        "REL": REL,
        "REL_UNIT": REL_UNIT,
        "QMOD": QMOD,
        "CAP": r"(?=(?-i:[A-Z]))",
        "CLAUSE_END": CLAUSE_END,
        "TZ": TZ,
    }


@cache
def compiled_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each rule compiled, behind a look-ahead for the characters it can start with.

    The look-ahead lets the regex engine skip most positions of a text at once, which makes
    the tagger several times cheaper than the parse it runs next to.
    """
    words = fragments()
    compiled = []
    for rule in RULES:
        pattern = rule.pattern % words
        compiled.append((rule.kind, re.compile(_first_character_guard(pattern) + pattern, FLAGS)))
    return tuple(compiled)


def _first_character_guard(pattern: str) -> str:
    """A look-ahead for the set of characters a match of `pattern` can begin with, or ""."""
    try:
        from re import _constants, _parser  # the standard library's own regex parser
    except ImportError:  # pragma: no cover - a Python without them only loses speed
        return ""
    chars, nullable = _first_characters(_parser.parse(pattern, FLAGS), _constants)
    if chars is None or nullable:
        return ""
    chars |= {c.upper() for c in chars} | {c.lower() for c in chars}
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])"


def _first_characters(sequence, k) -> tuple[set[str] | None, bool]:  # noqa: ANN001
    """(characters a parsed regex sequence can start with or None for any, can it be empty)."""
    found: set[str] = set()
    for op, arg in sequence:
        if op in (k.AT, k.ASSERT, k.ASSERT_NOT):
            continue
        chars, nullable = _first_of_item(op, arg, k)
        if chars is None:
            return None, False
        found |= chars
        if not nullable:
            return found, False
    return found, True


def _first_of_item(op, arg, k) -> tuple[set[str] | None, bool]:  # noqa: ANN001
    if op is k.LITERAL:
        return {chr(arg)}, False
    if op is k.IN:
        chars: set[str] = set()
        for item_op, item in arg:
            if item_op is k.LITERAL:
                chars.add(chr(item))
            elif item_op is k.RANGE:
                chars |= {chr(c) for c in range(item[0], item[1] + 1)}
            elif item_op is k.CATEGORY and item is k.CATEGORY_DIGIT:
                chars |= set("0123456789")
            else:
                return None, False
        return chars, False
    if op is k.BRANCH:
        chars, nullable = set(), False
        for branch in arg[1]:
            branch_chars, branch_nullable = _first_characters(branch, k)
            if branch_chars is None:
                return None, False
            chars |= branch_chars
            nullable |= branch_nullable
        return chars, nullable
    if op is k.SUBPATTERN:
        return _first_characters(arg[3], k)
    if op in (k.MAX_REPEAT, k.MIN_REPEAT):
        chars, nullable = _first_characters(arg[2], k)
        return chars, nullable or arg[0] == 0
    return None, False


@cache
def _modifier_regex() -> re.Pattern[str]:
    """A modifier phrase ending right where a timex starts ("early ", "more than ", "mid-")."""
    phrases = _alternation(list(lexicon().modifiers))
    return re.compile(rf"(?<![\w'’-])(?P<mod>{phrases})(?:\s+|-)$", re.IGNORECASE)


def find_candidates(
    text: str, accept: Callable[[Candidate], bool] | None = None
) -> list[Candidate]:
    """Every rule's matches, overlaps resolved, in text order.

    The longest match wins, then the earlier rule; a match that `accept` turns down ("recent
    quarters" is not a fiscal quarter) leaves its place to the next best one ("recent quarters"
    as a vague duration).
    """
    found: list[tuple[int, int, int, Candidate]] = []
    for order, (kind, regex) in enumerate(compiled_rules()):
        for match in regex.finditer(text):
            if match.end() > match.start():
                candidate = Candidate(match.start(), match.end(), kind, match.groupdict())
                found.append((-(match.end() - match.start()), order, match.start(), candidate))
    found.sort(key=lambda item: item[:3])
    taken: list[Candidate] = []
    occupied = bytearray(len(text) + 1)
    for _, _, _, candidate in found:
        if any(occupied[candidate.start : candidate.end]):
            continue
        if accept is None or accept(candidate):
            taken.append(candidate)
            occupied[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
    taken.sort(key=lambda c: c.start)
    return taken


def leading_modifier(text: str, start: int) -> tuple[int, str, str] | None:
    """The modifier right before `start` as (its start, its phrase, its TimeML mod), if any."""
    window = text[max(0, start - 24) : start]
    match = _modifier_regex().search(window)
    if not match:
        return None
    phrase = match.group("mod")
    key = " ".join(phrase.lower().replace("’", "'").split())
    mod, _ = lexicon().modifiers.get(key, (None, None))
    if mod is None:
        return None
    return start - len(window) + match.start(), key, mod


def modifier_scope(phrase: str) -> str:
    """Whether a modifier phrase applies to points ("early"), spans ("more than") or any."""
    return lexicon().modifiers[phrase][1]
