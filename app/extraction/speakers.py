"""Speakers: the mention beside a cue, and the person or organisation it stands for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import (
    CUE_ADVERBS,
    MENTION_STOPS,
    ORGANISATION_WORDS,
    PERSON_PRONOUNS,
    PRONOUNS,
    SUBJECT_PRONOUNS,
    TITLES,
)

_TOKEN = re.compile(r"[\w’'.&-]+|[^\w\s]")
# Prepositions kept inside a mention: "a spokesman for the campaign", "the mayor of Oakland".
_INNER = frozenset({"of", "for", "at", "from"})
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "your",
        "this",
        "that",
        "these",
        "those",
        "many",
        "some",
        "most",
        "several",
        "few",
        "two",
        "three",
        "four",
        "other",
        "others",
        "both",
        "all",
        "one",
        "another",
        "each",
        "every",
        "no",
    ]
)
_NAME_RUN = re.compile(
    r"(?:(?:[A-Z][a-z]{0,3}\.|[A-Z]\.)[ \t\u00a0]+)*[A-Z][\w’'-]*"
    r"(?:[ \t\u00a0]+(?:[A-Z]\.|[A-Z][\w’'-]*|(?:de|van|von|al|bin|la|le|da|del|di)\b))*"
)
_CAPITALISED = re.compile(r"[A-Z][\w’'.-]*")
_NOT_A_NAME = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "But",
        "And",
        "As",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "For",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "You",
        "His",
        "Her",
        "Their",
        "Our",
        "Its",
        "Yet",
        "So",
        "Or",
        "Not",
        "No",
        "Yes",
        "Then",
        "Now",
        "Still",
        "Also",
        "However",
        "Meanwhile",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "According",
        "Asked",
        "Speaking",
        "Today",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        # Sentence openers that are capitalised only because they open it.
        "Under",
        "During",
        "With",
        "Without",
        "Despite",
        "From",
        "By",
        "Until",
        "Although",
        "Though",
        "Because",
        "Even",
        "Over",
        "Among",
        "Instead",
        "Last",
        "Like",
    ]
)


@dataclass(frozen=True, slots=True)
class Mention:
    """Words the article uses for a speaker, at their offsets."""

    start: int
    end: int
    text: str

    @property
    def is_pronoun(self) -> bool:
        """A lone pronoun: "he", "they"."""
        return self.text.lower() in PRONOUNS


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


_WHEN_BEFORE_CUE = re.compile(
    r"(?:,\s*)?\s(?:(?:on|late|early|last|this|earlier|on\s+\w+day)\s+)?"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|week|month|year|night|morning|evening)"
    r"(?:\s+(?:morning|afternoon|evening|night))?,?\s*$"
)
_CONTRACTED = re.compile(r"(?i)(he|she|they|we|i|it)['’](?:s|re|ve|d|ll|m)$")


def mention_before(text: str, cue_start: int, limit: int) -> Mention | None:
    """The subject ending just before a cue ("Smith", "the senator", "Smith, an aide,")."""
    when = _WHEN_BEFORE_CUE.search(text, max(limit, cue_start - 40), cue_start)
    if when is not None:
        cue_start = when.start()  # "Ryan on Thursday declared": the date is not the speaker
    toks = _tokens(text, limit, cue_start)
    i = len(toks) - 1
    while i >= 0 and toks[i][2].lower() in CUE_ADVERBS:
        i -= 1
    end_i = i
    contracted = _CONTRACTED.match(toks[i][2]) if i >= 0 else None
    if contracted:
        # "She's hoping", "they’ve said": the pronoun before the auxiliary.
        s = toks[i][0]
        return Mention(s, s + contracted.end(1), contracted.group(1))
    if i >= 0 and toks[i][2] in ",—–":
        # "Smith, a spokesman for X, said": the apposition ends at the comma.
        i -= 1
        end_i = i
        if i >= 1 and toks[i][2].isdigit() and toks[i - 1][2] == ",":
            i -= 2  # "Ramos, 58, told": an age
            end_i = i
    if i >= 0 and toks[i][2] == ")":
        # "Sen. Rand Paul (R-Ky.) said": the party and state in brackets.
        j = i
        while j >= 0 and toks[j][2] != "(" and i - j < 8:
            j -= 1
        if j >= 0 and toks[j][2] == "(":
            i = j - 1
            end_i = i
    words: list[tuple[int, int, str]] = []
    while i >= 0 and len(words) < 10:
        _s, _e, w = toks[i]
        low = w.lower()
        if not (w[0].isalnum() or w[0] in "’'&"):
            if w == "," and words and words[0][2].lower() in _DETERMINERS:
                # An apposition: take the name before it too.
                j = i - 1
                name: list[tuple[int, int, str]] = []
                while j >= 0 and _is_cap(toks[j][2]) and len(name) < 5:
                    name.insert(0, toks[j])
                    j -= 1
                # The name opens its clause: "went to Cairo, her friend said" names no one.
                opens = j < 0 or not toks[j][2][0].isalpha()
                if name and name[0][2] not in _NOT_A_NAME and opens:
                    words = name + words
            break
        if low in MENTION_STOPS and low not in _INNER and not (low == "this" and words):
            break
        if low in _INNER and not words:
            break
        words.insert(0, toks[i])
        if low in SUBJECT_PRONOUNS and len(words) == 1:
            break
        i -= 1
    while words and words[0][2].lower() in _INNER:
        words.pop(0)
    if not words or end_i < 0:
        return None
    first = words[0][2]
    if len(words) > 1 and first.lower() in SUBJECT_PRONOUNS:
        return None
    if not _acceptable(words):
        return None
    return _checked(text, words)


def _acceptable(words: list[tuple[int, int, str]]) -> bool:
    """A mention opens with a capital, a determiner or a pronoun, or holds a name or a role."""
    first = words[0][2].lower()
    if _is_cap(words[0][2]) or first in _DETERMINERS or first in SUBJECT_PRONOUNS:
        return True
    if any(_is_cap(w) for _, _, w in words[1:]):
        return True  # "former Florida governor Jeb Bush"
    last = words[-1][2].lower()
    # A bare plural ("officials", "analysts") or a role ("source") is a source.
    return len(words) <= 3 and (last.endswith("s") or last in _ROLE_NOUNS) and last.isalpha()


def _checked(text: str, words: list[tuple[int, int, str]]) -> Mention | None:
    """A mention unless it is a lone weekday, month, sentence word or contraction."""
    if len(words) == 1:
        w = words[0][2]
        if w in _NOT_A_NAME and w.lower() not in SUBJECT_PRONOUNS:
            return None
        if re.search(r"['’](?:s|m|re|ve|ll|d)$", w) and w.lower() not in PRONOUNS:
            return None
    s, e = words[0][0], words[-1][1]
    return Mention(s, e, text[s:e])


def mention_after(text: str, cue_end: int, limit: int) -> Mention | None:
    """The subject right after a cue ("said Smith", "according to the report")."""
    toks = _tokens(text, cue_end, limit)
    words: list[tuple[int, int, str]] = []
    for s, e, w in toks:
        low = w.lower()
        if not (w[0].isalnum() or w[0] in "’'&"):
            break
        if low in MENTION_STOPS and low not in _INNER:
            break
        if low in _INNER and not words:
            break
        words.append((s, e, w))
        if len(words) >= 9:
            break
    while words and words[-1][2].lower() in _INNER | _DETERMINERS:
        words.pop()
    if not words:
        return None
    first = words[0][2]
    if not _acceptable(words):
        return None
    if first.lower() in SUBJECT_PRONOUNS:
        words = words[:1]
    return _checked(text, words)


def first_subject(text: str, start: int, limit: int) -> Mention | None:
    """The subject opening a sentence: a pronoun or a name run."""
    toks = _tokens(text, start, limit)
    if not toks:
        return None
    if toks[0][2].lower() in SUBJECT_PRONOUNS:
        s, e, w = toks[0]
        return Mention(s, e, w)
    m = _NAME_RUN.match(text, toks[0][0], limit)
    if m and m.group().split()[0] not in _NOT_A_NAME:
        return Mention(m.start(), m.end(), m.group())
    if toks[0][2].lower() in ("the", "a", "an", "this", "his", "her", "their", "its"):
        # "The email goes on to say:": a determiner and its noun (and a name run after it).
        words = [toks[0]]
        for tok in toks[1:4]:
            if not tok[2][0].isalnum() or tok[2].lower() in MENTION_STOPS:
                break
            words.append(tok)
            if not _is_cap(tok[2]):
                break
        if len(words) > 1:
            return Mention(words[0][0], words[-1][1], text[words[0][0] : words[-1][1]])
    return None


_PRONOUN_OR_NAME = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e)\b|" + _NAME_RUN.pattern)


def nearest_subject(text: str, start: int, limit: int) -> Mention | None:
    """The last pronoun or name before `limit` in the clause: the likeliest speaker."""
    found: Mention | None = None
    for m in _PRONOUN_OR_NAME.finditer(text, start, limit):
        if m.group().split()[0] in _NOT_A_NAME and m.group() not in (
            "He",
            "She",
            "They",
            "We",
            "I",
        ):
            continue
        found = Mention(m.start(), m.end(), m.group())
    return found


def slug(name: str) -> str:
    """A stable id from a name: ascii, lower case, hyphens ("Press Service" -> press-service)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "speaker"


def guess_kind(name: str) -> str:
    """Person or organisation, from the words of the name."""
    words = {w.lower().strip(".,") for w in name.split()}
    return "organisation" if words & ORGANISATION_WORDS else "person"


@dataclass(frozen=True, slots=True)
class Resolved:
    """A mention resolved: the name it stands for, and the known participant when there is one."""

    name: str
    participant_id: str | None
    kind: str


# "the United States", "Florida’s county": a name after "the" or before "’s" is rarely a person.
_THING_BEFORE = re.compile(r"\b(?:the|The)\s+$")
_THING_WORDS = frozenset(
    [
        "street",
        "convention",
        "states",
        "county",
        "city",
        "court",
        "house",
        "senate",
        "party",
        "department",
        "university",
        "college",
        "school",
        "news",
        "times",
        "post",
        "journal",
        "council",
        "committee",
        "association",
        "foundation",
        "institute",
        "center",
        "centre",
        "republicans",
        "democrats",
        "america",
        "island",
        "islands",
        "valley",
        "river",
        "bay",
    ]
)


class Resolver:
    """Resolves mentions through the text read so far and the known participants."""

    def __init__(
        self, text: str, known: Sequence[tuple[str, str, tuple[str, ...], str | None, str]]
    ):
        """Index the known participants' names, aliases, surnames and title words."""
        self.text = text
        self.known = known
        self.by_name: dict[str, tuple[str, str, str]] = {}
        self.by_surname: dict[str, tuple[str, str, str]] = {}
        self.titles: list[tuple[frozenset[str], tuple[str, str, str]]] = []
        for pid, name, aliases, title, kind in known:
            entry = (pid, name, kind)
            for n in (name, *aliases):
                self.by_name.setdefault(n.lower(), entry)
                parts = n.split()
                if len(parts) > 1 and kind == "person":
                    self.by_surname.setdefault(parts[-1].lower(), entry)
            if title:
                self.titles.append((frozenset(_stems(title)), entry))
        self.full_names: dict[str, str] = {}  # surname -> the full name first seen
        self.last_person: str | None = None

    def note_names(self, upto: int, start: int) -> None:
        """Learn the full names written in text[start:upto] ("Jim Hyers" for a later "Hyers")."""
        for m in _NAME_RUN.finditer(self.text, start, upto):
            parts = [p for p in m.group().split() if p.rstrip(".").lower() not in TITLES]
            if len(parts) >= 2 and parts[0] not in _NOT_A_NAME:
                full = " ".join(parts)
                self.full_names.setdefault(parts[-1].lower(), full)

    def last_full_name(self, at: int) -> tuple[int, str] | None:
        """The last full name ("Maria Quinn") written before offset `at`, and where."""
        found: tuple[int, str] | None = None
        for m in _NAME_RUN.finditer(self.text, max(0, at - 1500), at):
            parts = [p for p in m.group().split() if p.rstrip(".").lower() not in TITLES]
            if (
                len(parts) >= 2
                and parts[0] not in _NOT_A_NAME
                and guess_kind(m.group()) == ("person")
                and not _THING_BEFORE.search(self.text, max(0, m.start() - 5), m.start())
                and not re.match(r"['’]s\b", self.text[m.end() : m.end() + 2])
                and parts[-1].lower() not in _THING_WORDS
            ):
                found = (m.start(), " ".join(parts))
        return found

    def resolve(self, mention: Mention, before: tuple[int, str] | None) -> Resolved:
        """The name a mention stands for; `before` is the last speaker named, and where."""
        words = mention.text.split()
        low = mention.text.lower()
        if low in PRONOUNS:
            if low in PERSON_PRONOUNS and low not in ("i", "we", "you"):
                # He or she: the nearer of the last speaker and the last person named.
                named = self.last_full_name(mention.start)
                if named is not None and (before is None or named[0] > before[0]):
                    full = self.full_names.get(named[1].split()[-1].lower(), named[1])
                    return self._known_or(full)
                if before is not None:
                    return self._known_or(before[1])
            return Resolved(mention.text, None, "person")
        if low in self.by_name:
            pid, name, kind = self.by_name[low]
            return Resolved(name, pid, kind)
        caps = [w.strip(",.’'") for w in words if _is_cap(w)]
        caps = [w for w in caps if w.lower() not in TITLES and w not in _NOT_A_NAME]
        if caps:
            # A name run: the full name when only its surname or a title is written.
            run = " ".join(caps[-3:]) if len(caps) > 1 else caps[0]
            if run.lower() in self.by_name:
                pid, name, kind = self.by_name[run.lower()]
                return Resolved(name, pid, kind)
            surname = caps[-1].lower()
            if surname in self.by_surname and len(caps) <= 2:
                pid, name, kind = self.by_surname[surname]
                return Resolved(name, pid, kind)
            if words[0].lower() not in _DETERMINERS or len(caps) >= 2:
                known_full = self.full_names.get(surname) if len(caps) == 1 else None
                written = known_full or run
                found = self._match_known(written)
                if found is not None:
                    return found
                return Resolved(written, None, guess_kind(mention.text))
        # A description: "the Belarusian leader", "the press service".
        stems = set(_stems(mention.text))
        best: tuple[int, tuple[str, str, str]] | None = None
        for title_stems, entry in self.titles:
            score = len(stems & title_stems)
            if score >= 2 and (best is None or score > best[0]):
                best = (score, entry)
        if best is not None:
            pid, name, kind = best[1]
            return Resolved(name, pid, kind)
        for pid, name, _aliases, _title, kind in self.known:
            name_stems = set(_stems(name))
            content = stems - _GENERIC
            if content and content <= name_stems:
                return Resolved(name, pid, kind)
        if words and words[0].lower() in ("the",) and before and _is_role(stems):
            return self._known_or(before[1])
        return Resolved(mention.text, None, guess_kind(mention.text))

    def _match_known(self, name: str) -> Resolved | None:
        low = name.lower()
        if low in self.by_name:
            pid, full, kind = self.by_name[low]
            return Resolved(full, pid, kind)
        return None

    def _known_or(self, name: str) -> Resolved:
        found = self._match_known(name)
        return found if found is not None else Resolved(name, None, "person")


_LEADERS = frozenset({"leader", "head", "chief"})
_ROLE_NOUNS = frozenset(
    [
        "source",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "official",
        "aide",
        "adviser",
        "advisor",
        "analyst",
        "strategist",
        "statement",
        "report",
        "poll",
        "survey",
        "study",
    ]
)
_GENERIC = frozenset({"the", "a", "an", "of", "s"})
_ROLES = frozenset(
    [
        "president",
        "leader",
        "senator",
        "candidate",
        "governor",
        "mayor",
        "secretary",
        "minister",
        "chairman",
        "nominee",
        "congressman",
        "congresswoman",
        "official",
        "spokesman",
        "spokeswoman",
        "businessman",
        "billionaire",
    ]
)


def _is_role(stems: set[str]) -> bool:
    return bool(stems & _ROLES)


def _stems(text: str) -> list[str]:
    """Crude stems: lower case, and demonyms cut to their country ("Belarusian" -> belarus)."""
    out: list[str] = []
    for w in re.findall(r"[A-Za-z]+", text):
        low = w.lower()
        if _is_cap(w):
            # A demonym may name its country several ways: Belarus-ian, Russia-n, Chin-ese.
            for suffix in ("ian", "n", "ese", "ish", "i"):
                if low.endswith(suffix) and len(low) - len(suffix) >= 4:
                    out.append(low[: -len(suffix)])
        if low in _LEADERS:
            out.append("president")
        out.append(low[:-1] if low.endswith("s") and len(low) > 3 else low)
    return out
