"""The bottom of the house: paths, the validated-content cache, the interface texts (Ui)
and how a text is filled in. Imports nothing of the wizard's own.

Content is always validated by the pydantic models in ``wizard.content`` when a file has
changed; the cache here only keeps the result of the last validation (like Python's .pyc
files), so that the wizard's first screen does not wait for pydantic (see wizard.brief).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import string
import sys
import unicodedata
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable

LANGS = ("nl", "en")  # the interface languages; every content text is given in both
STEPS = ("welcome", "sector", "partnership_type", "partners", "duration", "activities", "summary")

_HERE = Path(__file__).resolve().parent


def _default_content_dir() -> Path:
    """PARTNERSHIP_WIZARD_CONTENT (for content editors), else the content installed inside the
    package (a wheel: ``wizard/data``, built from the top-level ``content/``), else the
    ``content/`` folder of a source checkout."""
    override = os.environ.get("PARTNERSHIP_WIZARD_CONTENT")
    if override:
        return Path(override)
    packaged = _HERE / "data"
    return packaged if packaged.is_dir() else _HERE.parent / "content"


CONTENT_DIR = _default_content_dir()
CACHE_FORMAT = "2"  # bump when the shape of a cache file changes


def editions_dir(content_dir: Path | None = None) -> Path:
    return Path(content_dir or CONTENT_DIR) / "editions"


def available_editions(content_dir: Path | None = None) -> list[str]:
    d = editions_dir(content_dir)
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if p.is_dir() and (p / "edition.yaml").exists())


def default_edition(content_dir: Path | None = None) -> str | None:
    eds = available_editions(content_dir)
    return eds[-1] if eds else None


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "partnership-wizard"


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """The wizard's own modules that validate content and judge the demo plans (wizard/*.py,
    the engine included, and the wizard.content package): a change to any of them makes every
    cache stale."""
    h = hashlib.sha256(f"{CACHE_FORMAT}|{sys.version}".encode())
    for f in sorted([*_HERE.glob("*.py"), *_HERE.glob("content/*.py")]):
        h.update(f.relative_to(_HERE).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _content_key(path: Path) -> str:
    """A hash of the code and of every content file's name and bytes (not their dates)."""
    h = hashlib.sha256(_code_hash().encode())
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    for f in files:
        if f.is_file():
            h.update(f"{f.relative_to(path.parent)}\0{f.stat().st_size}\0".encode() + f.read_bytes())
    return h.hexdigest()


def cached(path: Path, kind: str, load: Callable[[Path], Any], dump: Callable[[Any], Any],
           restore: Callable[[Path, Any], Any]) -> Any:
    """``load(path)``, or the result of its last run when neither the content nor the code
    changed since.

    The cache is JSON (reading it cannot run code): ``dump(value)`` gives the JSON data and
    ``restore(path, data)`` rebuilds the value, raising on anything unexpected. A cache file
    is used only when the hash of code + content stored in it is the one computed now; any
    problem with it means: validate again. PARTNERSHIP_WIZARD_NO_CACHE=1 always validates.
    """
    if os.environ.get("PARTNERSHIP_WIZARD_NO_CACHE"):
        return load(path)
    try:
        key = _content_key(path)
        cache = _cache_dir() / f"{kind}-{hashlib.sha256(str(path).encode()).hexdigest()[:16]}.json"
    except OSError:
        return load(path)
    try:
        stored = json.loads(cache.read_bytes())
        if stored["key"] == key:
            return restore(path, stored["value"])
    except Exception:  # missing, stale or unreadable cache: validate again
        pass
    value = load(path)
    try:
        import tempfile  # only when the cache is written: a start with a fresh cache never needs it

        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache.parent, delete=False) as fh:
            json.dump({"key": key, "value": dump(value)}, fh, ensure_ascii=False)
        os.replace(fh.name, cache)
    except Exception:  # a read-only or full disk only costs speed
        pass
    return value


def format_loc(loc: tuple[Any, ...]) -> str:
    """Where a value sits in a file, as a problem names it: ("partners", 0, "name") →
    "partners[0].name"; "" for the top level."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def text_pairs(data: Any) -> dict[str, tuple[str, str]]:
    """JSON {key: [nl, en]} back to {key: (nl, en)}; ValueError on any other shape."""
    out = {}
    for k, v in data.items():
        nl, en = v
        if not (isinstance(k, str) and isinstance(nl, str) and isinstance(en, str)):
            raise ValueError(k)
        out[k] = (nl, en)
    return out


# A template compiled for %-formatting: its text, what takes its fields' values from the fields
# (None: the text names them itself, or takes them as they are; LITERAL: it names no field, and
# its text is the filled-in template as it is), and None; or, for a template with plural forms,
# ("", None, (the field whose value chooses the form, the template with the form for 1, with
# the other))
Template = tuple[str, "Callable[[dict[str, Any]], tuple] | object | None", "tuple[str, Template, Template] | None"]
LITERAL = object()  # (a text without fields is used as it is: %-formatting would still read it through)
_CONVERSIONS = {"s": str, "r": repr, "a": ascii}


@lru_cache(maxsize=None)
def compile_template(template: str, order: tuple[str, ...] | None = None,
                     preset: tuple[tuple[str, Any], ...] = ()) -> Template:
    """The template as %-formatting fills it (about twice as fast as str.format, which
    parses its template at every call), and its plural forms: each ``{name:one|other}``
    gives a template with each form in its text, chosen per call by the value of name. A
    field is a name, with a conversion (!r, !s, !a) or plural forms; content uses no other
    format (plural_problems).

    Filled in from a dict of fields: with two fields or more the text takes their values in
    order (``itemgetter``), else by name. Given ``order``, the names of the fields in order,
    it is filled in from a tuple of their values in that order (the engine's messages: a
    tuple is made faster than a dict), which the text takes as it is when it names them in
    that order, once each.

    ``preset``: (name, value) pairs of fields filled in now, in the compiled text (order then
    names the other fields)."""
    known = dict(preset)
    parts = []  # (literal, the field's name or None, its conversion, its plural forms or None)
    for literal, name, spec, conversion in string.Formatter().parse(template):
        forms = None
        if name is not None and spec:
            if "|" not in spec:
                raise ValueError(f"{{{name}:{spec}}}: a field's only format is its plural forms, {{{name}:one|other}}")
            forms = tuple(spec.split("|", 1))
        elif name is not None and not name.isidentifier():
            raise ValueError(f"{{{name}}}: a field is a name")
        if name in known:  # a field filled in now: part of the text before the next field
            value = known[name]
            text = (forms[0] if value == 1 else forms[1]) if forms else _CONVERSIONS[conversion or "s"](value)
            parts.append((literal + text, None, "s", None))
            continue
        # a field is filled in by its name, or by its position in order
        parts.append((literal, name if name is None or order is None else order.index(name), conversion or "s", forms))
    return _compiled(parts, order)


def _compiled(parts: list[tuple[str, str | int | None, str, tuple[str, ...] | None]],
              order: tuple[str, ...] | None) -> Template:
    for i, (literal, name, conversion, forms) in enumerate(parts):
        if forms is not None:  # the first field with plural forms: a template with each form in its text
            one, other = (_compiled([*parts[:i], (literal + _CONVERSIONS[conversion](form), None, "s", None), *parts[i + 1:]],
                                    order)
                          for form in forms)
            return "", None, (name, one, other)
    keys = [name for _, name, _, _ in parts if name is not None]
    if not keys:
        return "".join(literal for literal, _, _, _ in parts), LITERAL, None
    if order is not None:  # from a tuple of values: as they are, else a slice or the values in the text's order
        text = "".join(literal.replace("%", "%%") + ("" if name is None else f"%{conversion}")
                       for literal, name, conversion, _ in parts)
        if keys == list(range(len(order))):
            return text, None, None
        if len(keys) > 1:
            return text, itemgetter(*keys), None
        return text, itemgetter(slice(keys[0], keys[0] + 1)), None  # a tuple of one
    by_name = len(keys) < 2
    text = "".join(literal.replace("%", "%%") + ("" if name is None else f"%({name}){conversion}" if by_name else f"%{conversion}")
                   for literal, name, conversion, _ in parts)
    return text, None if by_name else itemgetter(*keys), None


def fill_template(template: Template, fields: dict[str, Any]) -> str:
    """A compiled template (see compile_template) filled in with ``fields``."""
    text, values, plurals = template
    while plurals is not None:  # the template with the plural form the value asks for
        name, one, other = plurals
        text, values, plurals = one if fields[name] == 1 else other
    if values is None:
        return text % fields
    return text if values is LITERAL else text % values(fields)


def fill(template: str, **fields: Any) -> str:
    """A content template with its {fields} filled in, plural forms chosen by count:
    ``{count:organisation|organisations}`` gives the first form when count is 1 and the
    second otherwise (Dutch and English both have these two)."""
    return fill_template(compile_template(template), fields)


def placeholders(template: str) -> set[str]:
    """The {fields} a template fills in."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:  # unbalanced braces
        return {f"<{exc}>"}


def plural_problems(template: str) -> list[str]:
    """What is wrong with a template's placeholders: each names a field (``{count}``, not
    ``{0}``), each ``{n:one|other}`` has exactly both forms, and no text fakes a plural as
    "organisation(s)"."""
    problems = []
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        return [f"unbalanced braces ({exc})"]
    for _, name, spec, _ in parts:
        if name is not None and not name.isidentifier():
            problems.append(f"{{{name}}}: a field is a name, such as {{count}}")
        elif name is not None and spec:  # the only format a content text uses: plural forms
            forms = spec.split("|")
            if len(forms) != 2 or not all(f.strip() for f in forms):
                problems.append(f"{{{name}:{spec}}} must give exactly two forms, one|other")
    for literal, *_ in parts:
        fake = re.search(r"\w\((?:s|en|e|n)\)|\b(\w{3})\w*/\1\w*", literal)
        if fake:
            problems.append(f"'{fake.group()}' fakes a plural; use {{count:one|other}}")
    return problems


@lru_cache(maxsize=4096)
def mid_sentence(name: str) -> str:
    """A name as it reads inside a sentence: "Higher education" → "higher education", while
    names that are capitalised throughout ("School Exchange Partnership", "ICT",
    "Erasmus+ for all") keep their capitals."""
    words = name.split(" ")
    first = words[0]
    if not (first[:1].isupper() and first[1:].isalpha() and first[1:].islower()):
        return name
    if len(words) > 1 and words[1][:1].isupper():
        return name
    return first[0].lower() + name[1:]


# Letters that Unicode does not decompose into a base letter and an accent
_BASE_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
                               "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "Þ": "TH", "’": "'", "‘": "'"})


def fold(text: str) -> str:
    """A text as Dutch and English readers compare it: accents off, case folded
    ("Türkiye" → "turkiye", "Åland" → "aland", "Côte d’Ivoire" → "cote d'ivoire")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def sort_key(text: str) -> tuple[str, str]:
    """Sort order for names in Dutch and English (no ICU here): by the folded text, then the text itself."""
    return fold(text), text


def pick(lang: str, nl: str, en: str) -> str:
    """The text in the language: Dutch for "nl", else English."""
    return nl if lang == "nl" else en


# Characters that a terminal acts on or that break a line: C0 and C1 controls, DEL, the
# Unicode line and paragraph separators, bidi overrides, and unpaired surrogates (which
# cannot even be written as UTF-8).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_char(m: re.Match) -> str:
    c = m.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def escape_controls(text: str, keep: str = "") -> str:
    """``text`` with every control character shown as an escape (ESC → \\x1b, newline → \\n),
    so that text from a file can neither steer the terminal nor break a line; ``keep``: the
    characters to leave as they are (a report keeps its own newlines)."""
    if keep:
        return keep.join(escape_controls(part) for part in text.split(keep))
    return _UNSAFE.sub(_escape_char, text)


def shown(value: Any, limit: int = 80) -> str:
    """A value from a file as a message shows it: on one line, escaped, and cut after
    ``limit`` characters."""
    try:
        text = str(value)
    except ValueError:  # an integer too long to show
        text = "…"
    if len(text) > limit:
        text = text[:limit] + "…"
    return escape_controls(text)


class Ui:
    """The user-interface texts (content/ui.yaml): key → (Dutch, English)."""

    def __init__(self, texts: dict[str, tuple[str, str]]):
        self.texts = texts

    def worded_for(self, overrides: dict[str, tuple[str, str]]) -> "Ui":
        """These texts with an edition's own wording of some of them."""
        return Ui({**self.texts, **overrides}) if overrides else self

    def __call__(self, key: str, lang: str, **fields: Any) -> str:
        return fill(pick(lang, *self.texts[key]), **fields)

    def has(self, key: str) -> bool:
        return key in self.texts
