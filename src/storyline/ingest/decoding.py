"""Turning the bytes of a text or HTML file into a string, honestly.

UTF-8 first (a BOM is dropped). A file that is mostly UTF-8 with a few broken bytes keeps its
UTF-8 and has the broken bytes replaced; a file in a legacy encoding is decoded with the
encoding charset-normalizer finds. Either way the result carries a warning for the user.
Binary data (NUL bytes, many control characters) is refused. Needs charset-normalizer.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one)."""

BINARY_SAMPLE_BYTES = 8192
MAX_CONTROL_RATIO = 0.05
"""Share of control bytes (other than tab, newlines, form feed) above which data is binary."""

TEXT_CONTROLS = b"\t\n\r\f\v\x1b"
NOT_CONTROL_BYTES = bytes(b for b in range(256) if (b >= 32 and b != 127) or b in TEXT_CONTROLS)
WESTERN_DEFAULT = "cp1252"
"""The legacy encoding browsers assume for Western text; preferred when it reads as well."""

WHATWG_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
"""Declared charsets that browsers (WHATWG Encoding Standard) read as windows-1252."""


@dataclass(frozen=True)
class Decoded:
    """Decoded text, and a note the user must see when the bytes were not clean UTF-8."""

    text: str
    warning: str | None = None


def decode_text(data: bytes, declared: str | None = None) -> Decoded | None:
    """Decode text bytes; a `declared` charset (HTTP header, HTML meta) is tried after UTF-8.

    Valid UTF-8 wins over a declaration because pages often declare a charset they don't use.

    Returns None when the bytes are binary rather than text.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_with(data, encoding)
    if looks_binary(data):
        return None
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    charset = _known_codec(declared) if declared else None
    if charset and charset != "utf-8":
        try:
            return Decoded(data.decode(WHATWG_ALIASES.get(charset, charset)))
        except UnicodeDecodeError:
            pass
    replaced = data.decode("utf-8", errors="replace")
    if _mostly_utf8(replaced):
        count = replaced.count("\ufffd")
        return Decoded(replaced, f"invalid UTF-8: {count} byte sequence(s) replaced with U+FFFD")
    encoding = legacy_encoding(data)
    return Decoded(data.decode(encoding, errors="replace"),
                   f"not valid UTF-8; decoded as {encoding}")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters near the start: an image, archive or executable."""
    sample = data[:BINARY_SAMPLE_BYTES]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, NOT_CONTROL_BYTES))
    return bool(sample) and controls / len(sample) > MAX_CONTROL_RATIO


def legacy_encoding(data: bytes) -> str:
    """The single-byte (or CJK) encoding that reads the bytes best, cp1252 on a tie.

    charset-normalizer often names cp1250 for Western text that reads identically in cp1252,
    so cp1252 wins unless the detector's choice is strictly less garbled.
    """
    best = charset_normalizer.from_bytes(data).best()
    western = charset_normalizer.from_bytes(data, cp_isolation=[WESTERN_DEFAULT]).best()
    if best is None:
        return WESTERN_DEFAULT if western is not None else "latin-1"
    if western is not None and western.chaos <= best.chaos:
        return WESTERN_DEFAULT
    return _known_codec(best.encoding) or WESTERN_DEFAULT


def _decode_with(data: bytes, encoding: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding))
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        name = encoding.removesuffix("-sig").upper()
        return Decoded(text, f"invalid {name}: {text.count(chr(0xFFFD))} byte sequence(s) "
                             "replaced with U+FFFD")


def _mostly_utf8(replaced: str) -> bool:
    """Valid multi-byte UTF-8 characters outnumber the broken sequences: UTF-8 with damage."""
    broken = replaced.count("\ufffd")
    non_ascii = len(replaced) - len(replaced.encode("ascii", errors="ignore"))
    return non_ascii - broken >= broken


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
