"""Attribution: each quoted region's cue, speaker and kind; reported speech without marks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import dates
from .lexicon import CUE_TAILS, REPORT_VERBS, SPEECH_VERBS, STANCE_VERBS, alternation
from .model import DraftQuotation, Kind, KnownParticipant, Span, Speaker
from .quotes import QuoteRegion, scan
from .speakers import (
    Mention,
    Resolver,
    first_subject,
    mention_after,
    mention_before,
    nearest_subject,
)
from .text import Layout, layout

# Surface forms that are far more often nouns than speech verbs ("the state", "a report").
_AMBIGUOUS = frozenset(
    [
        "state",
        "states",
        "post",
        "posts",
        "report",
        "reports",
        "note",
        "notes",
        "call",
        "calls",
        "term",
        "terms",
        "charge",
        "charges",
        "counter",
        "answer",
        "answers",
        "point",
        "points",
        "pointing",
        "read",
        "reads",
        "put",
        "puts",
        "speak",
        "figure",
        "figures",
        "signal",
        "signals",
        "hint",
        "hints",
        "guess",
        "doubt",
        "doubts",
        "fear",
        "fears",
        "hope",
        "hopes",
        "show",
        "stress",
        "remark",
        "remarks",
        "claim",
        "claims",
        "promise",
        "promises",
        "pledge",
        "pledges",
        "vow",
        "vows",
        "brand",
        "brands",
        "label",
        "labels",
        "demand",
        "demands",
        "question",
        "questions",
        "muse",
        "blast",
        "quip",
        "joke",
        "jokes",
        "tweet",
        "tweets",
        "chant",
        "chants",
        "whisper",
        "yell",
        "shout",
        "posit",
        "recount",
        "reading",
        "writing",
        "speaking",
        "telling",
        "continue",
        "continues",
        "press",
        "presses",
        "counters",
        "figure",
        "find",
        "finds",
        "learn",
        "wonder",
        "guess",
        "assume",
        "maintain",
        "inform",
        "remind",
        "assure",
        "convince",
        "deny",
        "complaint",
        "reckon",
        "offer",
        "offers",
        "attack",
        "attacks",
        "express",
        "highlight",
        "highlights",
        "mock",
    ]
)
# Reported speech needs a subject right before its verb, so only the likeliest nouns stay out.
_NOT_REPORT = frozenset(
    [
        "state",
        "states",
        "post",
        "posts",
        "report",
        "note",
        "call",
        "term",
        "terms",
        "charge",
        "charges",
        "counter",
        "point",
        "points",
        "pointing",
        "read",
        "reads",
        "put",
        "puts",
        "speak",
        "figure",
        "figures",
        "signal",
        "signals",
        "press",
        "presses",
        "reading",
        "writing",
        "speaking",
        "telling",
        "guess",
        "doubt",
        "doubts",
        "hint",
        "hints",
        "remark",
        "remarks",
        "question",
        "questions",
        "brand",
        "brands",
        "label",
        "labels",
        "chant",
        "chants",
        "joke",
        "jokes",
        "quip",
        "blast",
        "muse",
        "whisper",
        "yell",
        "shout",
        "posit",
        "recount",
        "continues",
        "offer",
        "attack",
        "attacks",
        "express",
        "highlight",
        "highlights",
        "mock",
        "complaint",
        "stress",
        "tweet",
        "tweets",
        "expected",
        "known",
        "putting",
        "cast",
        "considered",
        "challenge",
        "challenges",
        "maintained",
        "offers",
        "find",
        "speaks",
        "embraced",
    ]
)
_QUOTE_VERBS = [v for v in SPEECH_VERBS if v not in _AMBIGUOUS] + ["pointed out", "went on"]
_QUOTE_CUE = re.compile(
    r"(?<![\w’'-])(?:[Aa]ccording to|(?:" + alternation(_QUOTE_VERBS) + r")" + CUE_TAILS + r")"
    r"(?![\w’'-])"
)
# Right after a quotation and its speaker, a noun-like form is a verb: "the press service reports".
_TAIL_CUE = re.compile(
    r"(?<![\w’'-])(?:[Aa]ccording to|(?:" + alternation(SPEECH_VERBS) + r")" + CUE_TAILS + r")"
    r"(?![\w’'-])"
)
_REPORT_VERBS = [v for v in SPEECH_VERBS + REPORT_VERBS + STANCE_VERBS if v not in _NOT_REPORT]
_REPORT_CUE = re.compile(
    r"(?<![\w’'-])(?:[Aa]ccording to|(?:" + alternation(_REPORT_VERBS) + r")" + CUE_TAILS + r")"
    r"(?![\w’'-])"
)
# Verbs whose quoted object is a label, not speech: "called it a “disaster”".
_LABEL_VERBS = frozenset(
    [
        "call",
        "called",
        "calls",
        "calling",
        "dub",
        "dubbed",
        "dubs",
        "dubbing",
        "label",
        "labeled",
        "labelled",
        "brand",
        "branded",
        "term",
        "termed",
        "describe",
        "described",
        "describes",
        "describing",
        "refer",
        "referred",
        "refers",
        "referring",
    ]
)
# Cues whose following name is the speaker ("said Smith"), not the one spoken to ("told Smith").
_SAY_FIRST = frozenset(
    [
        "said",
        "says",
        "say",
        "added",
        "adds",
        "wrote",
        "writes",
        "asked",
        "asks",
        "continued",
        "replied",
        "stated",
        "tweeted",
        "explained",
        "noted",
        "declared",
        "recalled",
        "concluded",
        "responded",
        "answered",
        "insisted",
        "argued",
        "warned",
        "acknowledged",
        "admitted",
        "observed",
        "remarked",
    ]
)
_XML_ATTRIBUTE = re.compile(r"=\s*$")
_WORDS = re.compile(r"[\w’']+")
_OPENERS = "“\"‘'«`"
_CLOSERS = "”\"’'»"


@dataclass(frozen=True, slots=True)
class Attribution:
    """The cue and the speaker's mention for a quotation, and how it was found."""

    cue: Span | None
    mention: Mention | None
    where: str  # "tail", "head", "according", "previous", "none"


@dataclass(slots=True)
class _Draft:
    region: QuoteRegion
    pieces: list[tuple[int, int]]
    attribution: Attribution
    kind: Kind
    resolved_name: str | None = None


def _trim(text: str, s: int, e: int, last: bool) -> tuple[int, int]:
    """Content without outer spaces, and without the closing comma or period of the last piece."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if last:
        while e > s and text[e - 1] in ",.;:":
            e -= 1
        while e > s and text[e - 1].isspace():
            e -= 1
    return s, e


def _cue_span(text: str, m: re.Match[str]) -> Span:
    return Span(m.start(), m.end(), m.group())


def _tail(text: str, lay: Layout, region: QuoteRegion, next_open: int) -> Attribution | None:
    """`“X,” he said` and `“X,” said Smith`: a cue right after the closing mark."""
    start = region.close_end
    content_end = region.end
    # A quotation closed by a period ends its sentence: what follows is a new one.
    last = text[content_end - 1 : content_end] if content_end > region.start else ""
    after = start
    if last in ("?", "!"):
        # "“Why?” Smith asked.": the question mark ends the quotation, not its sentence.
        while after < len(text) and text[after] in " \t":
            after += 1
    limit = min(lay.sentence_end(after), next_open, lay.paragraph(start)[1], start + 160)
    if last == "." and start < len(text) and not text[start:limit].lstrip()[:1].islower():
        return None
    m = _TAIL_CUE.search(text, start, limit)
    if m is None:
        return None
    between = text[start : m.start()]
    if len(_WORDS.findall(between)) > 12 or any(c in between for c in _OPENERS[:2]):
        return None
    if m.group().lower().startswith("according"):
        mention = mention_after(text, m.end(), limit)
        return Attribution(_cue_span(text, m), mention, "according")
    if not between.strip(" ,—–-\n"):
        mention = mention_after(text, m.end(), limit)
        return Attribution(_cue_span(text, m), mention, "tail") if mention else None
    mention = mention_before(text, m.start(), start)
    rest = text[start : mention.start].strip(" ,—–-\n") if mention else ""
    if mention is None or rest:
        # "“X,” Jo Smith, founder of the group, said": a name and its apposition before the cue.
        if mention is None or not _is_apposition_head(rest):
            mention = _appositive_subject(text, start, m.start())
        if mention is None:
            return None
    return Attribution(_cue_span(text, m), mention, "tail")


def _appositive_subject(text: str, start: int, cue_start: int) -> Mention | None:
    """The name opening `Name, an apposition,` that ends right before a cue."""
    between = text[start:cue_start]
    lead = len(between) - len(between.lstrip(" ,—–-\n"))
    if not between.rstrip().endswith(","):
        return None
    mention = first_subject(text, start + lead, cue_start)
    if mention is None or mention.is_pronoun:
        return None
    tail = text[mention.end : cue_start].strip()
    if not tail.startswith(",") or len(_WORDS.findall(tail)) > 15:
        return None
    if _TAIL_CUE.search(tail) or any(c in tail for c in _OPENERS):
        return None
    return mention


def _is_apposition_head(rest: str) -> bool:
    """`the assailant,` before a name: a short description set off by a comma."""
    words = _WORDS.findall(rest)
    return (
        0 < len(words) <= 5
        and words[0].lower() in ("the", "a", "an")
        and not _TAIL_CUE.search(rest)
    )


def _head(text: str, lay: Layout, region: QuoteRegion, prev_close: int) -> Attribution | None:
    """`Smith said: “X”` and `He called it “X”`: the nearest cue before the opening mark."""
    s0 = max(lay.sentence_start(region.open_at), lay.paragraph(region.open_at)[0])
    # A colon at the end of the previous sentence introduces the quotation too.
    if s0 == region.open_at or not text[s0 : region.open_at].strip():
        prev_end = s0
        while prev_end > 0 and text[prev_end - 1].isspace():
            prev_end -= 1
        if prev_end > 0 and text[prev_end - 1] == ":":
            s0 = max(lay.sentence_start(prev_end - 1), prev_close)
    last: re.Match[str] | None = None
    for m in _QUOTE_CUE.finditer(text, s0, region.open_at):
        last = m
    if last is None:
        return None
    cue = _cue_span(text, last)
    if last.group().lower().startswith("according"):
        return Attribution(cue, mention_after(text, last.end(), region.open_at), "according")
    participle = last.group().split()[0].endswith("ing")
    if participle and text[s0 : last.start()].rstrip().endswith(","):
        # ", adding “X”": the words before the comma belong to another clause.
        mention = None
    else:
        mention = mention_before(text, last.start(), s0)
    if mention is None and participle:
        # "Nefzi said, adding, “X”": a participle speaks with its sentence's earlier cue.
        for m in _QUOTE_CUE.finditer(text, s0, last.start()):
            mention = mention_before(text, m.start(), s0) or mention
    if mention is None and last.group().split()[0].lower() in _SAY_FIRST:
        after = mention_after(text, last.end(), region.open_at)
        if after is not None and after.text.lower() not in ("it", "them", "him", "her"):
            between = text[last.end() : after.start]
            if not between.strip() and text[after.end : region.open_at].strip(" ,:") == "":
                mention = after
    if mention is None:
        # "When he was asked ..., he laughed and said, “X”": the sentence's subject speaks.
        mention = first_subject(text, s0, last.start()) or nearest_subject(text, s0, last.start())
    return Attribution(cue, mention, "head")


def _after(text: str, lay: Layout, region: QuoteRegion, next_open: int) -> Attribution | None:
    """`... “X” for the country, Gilbert said.`: a cue later in the quotation's sentence."""
    limit = min(lay.sentence_end(region.close_end), next_open, lay.paragraph(region.close_end)[1])
    found: Attribution | None = None
    for m in _QUOTE_CUE.finditer(text, region.close_end, limit):
        if m.group().lower().startswith("according"):
            mention = mention_after(text, m.end(), limit)
            if mention is not None:
                found = Attribution(_cue_span(text, m), mention, "according")
            continue
        mention = mention_before(text, m.start(), region.close_end)
        if mention is None and m.group().split()[0].lower() in _SAY_FIRST:
            mention = mention_after(text, m.end(), limit)
        if mention is not None and mention.text.lower() not in ("it", "that", "which"):
            found = Attribution(_cue_span(text, m), mention, "after")
    return found


def _colon(text: str, lay: Layout, region: QuoteRegion) -> Attribution | None:
    """`Clinton’s response was: “X”` and headlines `Kasich: ‘X’`: a colon with no cue."""
    s0 = max(lay.sentence_start(region.open_at), lay.paragraph(region.open_at)[0])
    head = text[s0 : region.open_at].rstrip()
    if not head.endswith(":") or len(head) > 120:
        return None
    mention = first_subject(text, s0, s0 + len(head) - 1)
    if mention is None:
        return None
    colon = s0 + len(head) - 1
    return Attribution(Span(colon, colon + 1, ":"), mention, "head")


def _is_label(cue: Span | None) -> bool:
    return cue is not None and cue.text.split()[0].lower() in _LABEL_VERBS


_INTRODUCED = re.compile(r"(?:\bput it|\bwords|\bin short|\bas follows|\bwhen asked),?$")


def _kind(text: str, lay: Layout, region: QuoteRegion, att: Attribution) -> Kind:
    """Direct when the quoted words are the whole utterance, partial when they are a fragment."""
    s0 = max(lay.sentence_start(region.open_at), lay.paragraph(region.open_at)[0])
    before = text[s0 : region.open_at]
    end = lay.sentence_end(region.close_end)
    if att.where in ("tail", "according") and att.cue is not None and att.cue.start >= region.end:
        after = text[region.close_end : att.cue.start]
        lead = before.strip(" —–-")
        return "direct" if not lead or lead.endswith(":") or lead[-1:] in "”\"'" else "partial"
    if att.where in ("head", "according") and att.cue is not None:
        between = text[att.cue.end : region.open_at]
        if _is_label(att.cue):
            return "partial"
        words = _WORDS.findall(between)
        # "X said on Monday: “Y”" and "X declared in an interview, “Y”": the words set off
        # before the marks say when or where, the content is the quotation alone.
        set_off = (
            between.rstrip()[-1:] in (":", ",") and text[region.start : region.start + 1].isupper()
        )
        if words and not set_off:
            return "partial"
        after = text[region.close_end : end].strip(" .,;:!?—–-")
        starts_upper = text[region.start : region.start + 1].isupper()
        closed_by_comma = text[region.start : region.end].rstrip()[-1:] in (",", "?", "!")
        if after and not starts_upper and not (closed_by_comma and not words):
            return "partial"
        mention = att.mention
        lead_in = text[s0 : mention.start].rstrip() if mention is not None else ""
        inside = mention is not None and mention.end <= att.cue.start
        if not starts_upper and inside and lead_in.endswith(","):
            # "But, he said, “there's a line”": the clause around the cue is content too.
            return "partial"
        ends_open = text[region.start : region.end].rstrip()[-1:].isalnum()
        if ends_open and text[region.close_end : end].lstrip()[:1].islower():
            # "said “X” about her record": the sentence goes on, the content with it.
            return "partial"
        return "direct"
    lead = before.strip(" —–-")
    after = text[region.close_end : end].strip(" .,;:!?—–-")
    upper = text[region.start].isupper()
    if not after and (_INTRODUCED.search(lead) or (lead.endswith((":", ",")) and upper)):
        # "He demurred: “X.”" and "As Smith put it, “X.”": the sentence introduces the quotation.
        return "direct"
    # "“X,” Smith barked": a sentence that opens with a quotation closed by a comma attributes it.
    closed_by_comma = text[region.start : region.end].rstrip()[-1:] in (",", "?", "!")
    return "direct" if not lead and (not after or closed_by_comma) else "partial"


def _speaker(
    resolver: Resolver, mention: Mention | None, last_person: tuple[int, str] | None
) -> Speaker | None:
    if mention is None:
        return None
    r = resolver.resolve(mention, last_person)
    return Speaker(r.name, r.participant_id, Span(mention.start, mention.end, mention.text), r.kind)


def draft(
    text: str, published: str | None, known: Sequence[KnownParticipant]
) -> list[DraftQuotation]:
    """Quotations of a text: quoted regions attributed, split ones merged, reported speech."""
    lay = layout(text)
    regions = [r for r in scan(text) if _keep_region(text, r)]
    resolver = Resolver(text, [(k.id, k.name, k.aliases, k.title, k.kind) for k in known])
    drafts: list[_Draft] = []
    prev_close = 0
    for i, r in enumerate(regions):
        next_open = regions[i + 1].open_at if i + 1 < len(regions) else len(text)
        att = (
            _tail(text, lay, r, next_open)
            or _head(text, lay, r, prev_close)
            or _after(text, lay, r, next_open)
            or _colon(text, lay, r)
        )
        if att is None:
            att = Attribution(None, None, "none")
        drafts.append(_Draft(r, list(r.pieces), att, _kind(text, lay, r, att)))
        prev_close = r.close_end
    drafts = _merge_split(text, lay, drafts)
    _carry_over(text, lay, drafts)
    drafts = [d for d in drafts if _is_speech(text, d)]
    out: list[DraftQuotation] = []
    last_person: tuple[int, str] | None = None
    noted = 0
    # Every piece of a merged quotation covers its sentence, not only the first region.
    covered = [(d.region.open_at, d.region.close_end) for d in drafts]
    covered += [(s - 1, e + 1) for d in drafts for s, e in d.pieces[1:]]
    indirect = reported(text, lay, covered)
    items: list[tuple[int, _Draft | tuple[Span, Attribution]]] = [
        (d.pieces[0][0], d) for d in drafts
    ]
    items += [(span.start, (span, att)) for span, att in indirect]
    items.sort(key=lambda t: t[0])
    for _, item in items:
        if isinstance(item, _Draft):
            d = item
            # A piece ending at a closing mark loses its comma or period; a paragraph's does not.
            pieces = [
                _trim(text, s, e, k == len(d.pieces) - 1 or text[e : e + 1] in _CLOSERS)
                for k, (s, e) in enumerate(d.pieces)
            ]
            pieces = [(s, e) for s, e in pieces if e > s]
            if not pieces:
                continue
            start, end = pieces[0][0], pieces[-1][1]
            att, kind = d.attribution, d.kind
            segments = tuple(Span(s, e, text[s:e]) for s, e in pieces) if len(pieces) > 1 else ()
        else:
            span, att = item
            start, end, kind, segments = span.start, span.end, "indirect", ()
            # Reported speech holding quoted words ("shirts that read “Settle for Hillary”")
            # has some of its letters inside quotation marks: it is partial.
            if any(start <= r.open_at and r.close_end <= end for r in regions):
                kind = "partial"
        anchor = att.mention.start if att.mention else start
        resolver.note_names(max(anchor, noted), noted)
        noted = max(noted, anchor)
        speaker = _speaker(resolver, att.mention, last_person)
        if speaker is not None and speaker.kind == "person" and speaker.name[:1].isupper():
            last_person = (speaker.mention.start if speaker.mention else start, speaker.name)
        when = _said_on(text, lay, start, end, att, published)
        out.append(
            DraftQuotation(
                text=text[start:end],
                start=start,
                end=end,
                segments=segments,
                kind=kind,
                speaker=speaker,
                cue=att.cue,
                said_on=when[0] if when else None,
                said_on_precision=when[1] if when else None,
                confidence=_confidence(att, kind),
            )
        )
    return out


def _confidence(att: Attribution, kind: Kind) -> float:
    base = {
        "tail": 0.9,
        "after": 0.75,
        "sentence": 0.5,
        "according": 0.85,
        "head": 0.8,
        "previous": 0.65,
        "none": 0.4,
    }[att.where]
    if att.mention is None:
        base -= 0.2
    return round(base - (0.15 if kind == "indirect" else 0.0), 2)


def _said_on(
    text: str,
    lay: Layout,
    start: int,
    end: int,
    att: Attribution,
    published: str | None,
) -> tuple[str, dates.Precision] | None:
    """A date in the clause of the cue (outside the quoted words), else none."""
    if att.cue is None:
        return None
    anchor = att.cue.start
    s0 = max(lay.sentence_start(anchor), lay.paragraph(anchor)[0])
    e0 = lay.sentence_end(anchor)
    spans = [(s0, min(start, e0)), (max(end, s0), e0)] if s0 < start else [(max(end, s0), e0)]
    for a, b in spans:
        if b > a:
            found = dates.said_on(text, a, b, published)
            if found is not None:
                return found
    return None


_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "from",
        "by",
        "vs",
        "is",
    ]
)


def _is_title(words: list[str]) -> bool:
    """Title Case words ("The Rachel Maddow Show"): a name of a work, not speech."""
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(big) and len(words) <= 8 and all(w[:1].isupper() or w[:1].isdigit() for w in big)


_NAMED_AS = re.compile(
    r"\b(?:titled|entitled|known as|billed as|nicknamed|goes by|went by|chants? of|chanting|"
    r"chanted|slogan|motto|read|reads|reading|the words|the phrase|the term)[\s,:]*$"
)


def _is_speech(text: str, d: _Draft) -> bool:
    """Whether a quoted region is somebody's words rather than a title or a scare quote."""
    if d.kind != "partial" and d.attribution.cue is not None:
        return True
    words = _WORDS.findall(text, d.region.start, d.region.end)
    if _NAMED_AS.search(text, max(0, d.region.open_at - 30), d.region.open_at):
        return True  # "a memo titled “X”", "chants of “X”", "signs reading “X”": quoted words
    if (
        d.kind == "partial"
        and len(words) <= 4
        and d.attribution.mention is None
        and d.attribution.cue is None
    ):
        return False  # a few quoted words nobody is said to have said: a scare quote
    if len(words) == 1 and d.attribution.cue is None and words[0].islower():
        # One word in marks and no verb of saying: a term held at a distance, unless a verb
        # of stance or report governs it ("called for the party to “embrace” him").
        return _REPORT_CUE.search(text, max(0, d.region.open_at - 50), d.region.open_at) is not None
    if not _is_title(words) or _is_label(d.attribution.cue):
        return True
    verb = _REPORT_CUE.search(text, max(0, d.region.open_at - 25), d.region.open_at)
    if verb is not None and not _WORDS.search(text, verb.end(), d.region.open_at):
        return True  # "promote “Celebrity Apprentice”": a verb's own object in marks
    # In a headline every word is capitalised, so its quoted words are quoted, not a title.
    line_start = text.rfind("\n", 0, d.region.open_at) + 1
    line_end = text.find("\n", d.region.close_end)
    line_end = len(text) if line_end < 0 else line_end
    return _is_headline(
        text[line_start : d.region.open_at] + " " + text[d.region.close_end : line_end]
    )


def _is_headline(outside: str) -> bool:
    """Words outside the quotation, on a short line, nearly all capitalised: a headline."""
    words = [w for w in _WORDS.findall(outside) if w.lower() not in _SMALL_WORDS]
    if len(words) < 3 or len(outside) > 200:
        return False
    return sum(1 for w in words if w[:1].isupper() or w[:1].isdigit()) >= 0.85 * len(words)


def _keep_region(text: str, r: QuoteRegion) -> bool:
    """Quoted regions that can be speech: not markup attributes, not empty."""
    if r.end <= r.start or not _WORDS.search(text, r.start, r.end):
        return False
    line_start = text.rfind("\n", 0, r.open_at) + 1
    return not _XML_ATTRIBUTE.search(text, line_start, r.open_at)


_ANOTHER_CLAUSE = re.compile(r"\b(?:and|but|while|as|when|who|which)\b")


def _merge_split(text: str, lay: Layout, drafts: list[_Draft]) -> list[_Draft]:
    """`“X,” he said. “Y.”`: one utterance split around its cue becomes one quotation."""
    out: list[_Draft] = []
    i = 0
    while i < len(drafts):
        d = drafts[i]
        if i + 1 < len(drafts) and d.attribution.where == "tail" and d.attribution.cue:
            nxt = drafts[i + 1]
            same_paragraph = lay.paragraph_index(d.region.close_end) == lay.paragraph_index(
                nxt.region.open_at
            )
            between = text[d.attribution.cue.end : nxt.region.open_at]
            mention = d.attribution.mention
            gap_ok = mention is not None and (
                mention.end <= nxt.region.open_at
                and len(
                    _WORDS.findall(
                        text[max(mention.end, d.attribution.cue.end) : nxt.region.open_at]
                    )
                )
                <= 8
                # "“X,” she said, and her husband cut in. “Y.”": another clause, another speaker.
                and not _ANOTHER_CLAUSE.search(
                    text, max(mention.end, d.attribution.cue.end), nxt.region.open_at
                )
            )
            if (
                same_paragraph
                and gap_ok
                and between.strip()[-1:] in (".", ",", ":", "")
                and nxt.attribution.where in ("none", "head")
                and (
                    nxt.attribution.cue is None
                    or nxt.attribution.cue.start < d.region.close_end
                    or nxt.attribution.cue == d.attribution.cue
                )
            ):
                # 'Y is “a start,” she said. “Z.”': one utterance, partial when its first part is.
                merged = _Draft(d.region, d.pieces + nxt.pieces, d.attribution, d.kind)
                out.append(merged)
                i += 2
                continue
        out.append(d)
        i += 1
    return out


def _carry_over(text: str, lay: Layout, drafts: list[_Draft]) -> None:
    """A quotation with no cue of its own continues the previous speaker's words."""
    for i, d in enumerate(drafts):
        if d.attribution.where != "none":
            continue
        s0 = max(lay.sentence_start(d.region.open_at), lay.paragraph(d.region.open_at)[0])
        if text[s0 : d.region.open_at].strip(" —–-"):
            # Quoted words inside a sentence: its subject is the likeliest speaker.
            mention = first_subject(text, s0, d.region.open_at) or nearest_subject(
                text, s0, d.region.open_at
            )
            if mention is not None:
                d.attribution = Attribution(None, mention, "sentence")
            continue
        if i == 0:
            continue
        prev = drafts[i - 1]
        if prev.attribution.mention is None:
            continue
        gap = lay.paragraph_index(d.region.open_at) - lay.paragraph_index(prev.region.close_end)
        if gap <= 1:
            d.attribution = Attribution(prev.attribution.cue, prev.attribution.mention, "previous")


# ---------------------------------------------------------------------------------------------
# Reported speech: "X said (that) Y", "Y, X said", "According to X, Y".

_THAT = re.compile(r"\s*(?:that\b)?\s*")


# "Trump's claim that Y", "her warning that Y": a noun of saying and its owner.
_NOUN_CUE = re.compile(
    r"(?:(?P<who>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})['’]s?|\b(?P<pro>[Hh]is|[Hh]er|[Tt]heir))"
    r"\s+(?:[a-z]+\s+)?(?P<noun>claims?|assertions?|arguments?|suggestions?|beliefs?|promises?|"
    r"pledges?|warnings?|allegations?|charges?|contention|insistence|announcement|accusations?|"
    r"predictions?|vows?|complaints?|statements?|comments?|remarks?|view|fears?)\s+that\s+"
)


def _noun_cue(text: str, k0: int, e0: int) -> tuple[Span, Attribution] | None:
    """Reported speech after a noun of saying: "Trump's claim that thousands cheered"."""
    m = _NOUN_CUE.search(text, k0, e0)
    if m is None:
        return None
    s, e = _clip(text, m.end(), e0)
    if e - s < 10:
        return None
    who = "who" if m.group("who") else "pro"
    mention = Mention(m.start(who), m.end(who), m.group(who))
    cue = Span(m.start("noun"), m.end("noun"), m.group("noun"))
    return Span(s, e, text[s:e]), Attribution(cue, mention, "head")


_TELL = frozenset(["told", "tell", "tells", "telling", "informed", "assured", "reminded", "warned"])
_TOLD_THAT = re.compile(r"(?:[\w’'.-]+\s+){1,5}?that\s+")
_NESTED_SAY = re.compile(r"\b(?:said|says|told|tells)\b")


def _attributes_before(text: str, close_end: int, s0: int) -> bool:
    """A sentence right after a quotation closed by "?" or "!" on the same line."""
    if close_end > s0 or text[close_end:s0].strip(" \t"):
        return False
    return text[close_end - 2 : close_end].rstrip("”\"'’")[-1:] in ("?", "!")


def reported(
    text: str, lay: Layout, covered: Sequence[tuple[int, int]]
) -> list[tuple[Span, Attribution]]:
    """Indirect quotations: sentences whose clause is attributed by a cue and a subject."""
    out: list[tuple[Span, Attribution]] = []
    quoted = sorted(covered)
    qi = 0
    starts = lay.sentence_starts
    done = 0
    for k, s0 in enumerate(starts):
        if s0 < done:
            continue
        e0 = starts[k + 1] if k + 1 < len(starts) else len(text)
        para_start, para_end = lay.paragraph(s0)
        e0 = min(e0, para_end)
        while qi < len(quoted) and quoted[qi][1] <= s0:
            qi += 1
        if qi > 0 and _attributes_before(text, quoted[qi - 1][1], s0):
            continue  # "“Why?” Smith asked, ...": the words attributing a quotation
        if qi < len(quoted) and quoted[qi][0] < para_end:
            pass
        elif s0 == para_start and (turn := _turn(text, s0, para_end)) is not None:
            out.append(turn)  # "Q: ..." and "SMITH: ...": a transcript's turn is its paragraph
            done = para_end
            continue
        if qi < len(quoted) and quoted[qi][0] < e0:
            # Quoted words are the quoted drafts' business; a clause before them may be
            # reported speech ("X said Y, adding: “Z”").
            e0 = _before_quote(text, s0, quoted[qi][0])
            if e0 - s0 < 20:
                continue
        k0 = s0
        source = _SOURCE_FIRST.match(text, s0, e0)
        if source is not None and e0 - source.end() >= 20:
            # "In a Fox poll last week, Y.": the source opens the sentence.
            s, e = _clip(text, source.end(), e0)
            mention = Mention(source.start(1), source.end(1), source.group(1))
            word = text[source.start() : source.start(1)].rstrip()
            opener = Span(source.start(), source.start() + len(word), word)
            out.append((Span(s, e, text[s:e]), Attribution(opener, mention, "according")))
            k0 = e0
        while k0 < e0:
            found = _reported_in(text, k0, e0, s0) or _noun_cue(text, k0, e0)
            if found is None:
                break
            out.append(found)
            cue = found[1].cue
            # A further cue after what was said may attribute another clause; inside what was
            # said, only a verb of saying does ("said Smith told them ..."): a belief or a
            # plan there is part of it.
            after_cue = cue.end if cue else found[0].end
            nested = _NESTED_SAY.search(text, max(found[0].start, after_cue), found[0].end)
            k0 = max(nested.start() if nested else max(after_cue, found[0].end), k0 + 1)
    return out


_TURN = re.compile(r"((?:[A-Z][\w.’'-]*\s?){1,3}):\s+(?=\S)")
_SOURCE_FIRST = re.compile(
    r"(?:In|According to)\s+((?:a|an|the|his|her|their|its)\s+[^,.;]{0,60}?"
    r"\b(?:poll|polls|survey|surveys|study|report|analysis|interview|statement|letter|memo|"
    r"filing|complaint|lawsuit|ruling|tally|count|estimate|projection|forecast)\b[^,.;]{0,40}),\s*"
)


# A share of those polled: "42% say", "nine in 10 voters said", "three-quarters of them said".
_SHARE = re.compile(
    r"(?<![\w’'])((?:(?:[Aa]bout|[Nn]early|[Aa]lmost|[Mm]ore than|[Oo]nly|[Jj]ust|[Rr]oughly|"
    r"[Ss]ome|[Aa] full)\s+)?(?:\d+(?:\.\d+)?\s*(?:%|percent)|(?:\w+|\d+)\s+(?:in|out of)\s+"
    r"(?:\d+|ten)|(?:[Aa]|[Oo]ne)[- ](?:third|quarter|half)|(?:[Tt]wo|[Tt]hree)[- ](?:thirds|"
    r"quarters)|[Hh]alf|[Mm]ajorities|[Aa] majority|[Aa] plurality)"
    r"(?:\s+(?:of\s+)?[\w’'-]+){0,6}?)(?:\s+(?:also|still|now))?\s+$"
)


def _turn(text: str, s0: int, para_end: int) -> tuple[Span, Attribution] | None:
    """A paragraph opened by a speaker's label and a colon, as in transcripts and interviews."""
    m = _TURN.match(text, s0, para_end)
    if m is None or m.end() - s0 > 30 or para_end - m.end() < 20:
        return None
    s, e = _clip(text, m.end(), para_end)
    label = m.group(1).rstrip()
    mention = Mention(m.start(1), m.start(1) + len(label), label)
    colon = m.start(1) + len(m.group(1))
    return Span(s, e, text[s:e]), Attribution(Span(colon, colon + 1, ":"), mention, "head")


def _reported_in(text: str, k0: int, e0: int, s0: int) -> tuple[Span, Attribution] | None:
    end = e0
    while end > s0 and text[end - 1] in " \n\t":
        end -= 1
    if end - s0 < 20:
        return None
    for m in _REPORT_CUE.finditer(text, k0, end):
        cue = _cue_span(text, m)
        if _NOUN_BEFORE.search(text, max(s0, m.start() - 12), m.start()):
            continue  # "her plan to", "the support of": a noun, not a verb
        if m.group().lower().startswith("according"):
            mention = mention_after(text, m.end(), end)
            if mention is None:
                continue
            if m.start() == s0 or text[s0 : m.start()].strip() == "":
                # "According to X, Y."
                comma = text.find(",", mention.end, end)
                if comma < 0:
                    continue
                s, e = _clip(text, comma + 1, end)
            else:
                s, e = _clip(text, s0, m.start())
            if e - s >= 10:
                return Span(s, e, text[s:e]), Attribution(cue, mention, "according")
            continue
        comma_before = text[s0 : m.start()].rstrip().endswith(",")
        mention = mention_before(text, m.start(), s0)
        if mention is None:
            mention = _coordinated_subject(text, s0, m.start())
        if mention is None and comma_before:
            mention = _enclosed_subject(text, s0, m.start())
        if mention is None:
            share = _SHARE.search(text, max(s0, m.start() - 80), m.start())
            if share is not None:
                mention = Mention(share.start(1), share.end(1), share.group(1))
        if mention is not None:
            lead = text[s0 : mention.start].strip(" ,—–-")
            after = text[m.end() : end].strip(" .")
            clause_words = len(_WORDS.findall(text, s0, mention.start))
            if lead and text[s0 : mention.start].rstrip().endswith(",") and clause_words >= 4:
                if len(_WORDS.findall(after)) <= 3 or _ADDING.match(after) or _only_where(after):
                    # "Y, X said." The clause before the comma is what was said.
                    s, e = _clip(text, s0, text.rfind(",", s0, mention.start))
                    if e - s >= 10:
                        return Span(s, e, text[s:e]), Attribution(cue, mention, "tail")
                    continue
                if after.startswith(",") and len(lead.split()) <= 12:
                    # "Many of them, she said, were closed." The sentence around the cue.
                    s, e = _clip(text, s0, end)
                    return Span(s, e, text[s:e]), Attribution(cue, mention, "tail")
            if len(lead.split()) > 20 and not lead.endswith(","):
                continue  # the subject of a subordinate clause deep in the sentence
            t = _THAT.match(text, m.end(), end)
            s = t.end() if t else m.end()
            if m.group().split()[0].lower() in _TELL:
                # "told donors that Y": the one told is not what was said.
                told = _TOLD_THAT.match(text, s, end)
                s = told.end() if told else s
            # "praised the plan but said ...": a second cue of the same subject ends the first.
            second = _SECOND_CUE.search(text, s, end)
            stop = second.start() if second else end
            if m.group().split()[0].lower() in _STANCE_SET:
                # "opposed the measure, as he has before": a stance's object ends at a comma.
                brk = _CLAUSE_BREAK.search(text, s, stop)
                stop = brk.start() if brk else stop
            s, e = _clip(text, s, stop)
            if e - s >= 10 and text[s : s + 1] not in ",.;:":
                return Span(s, e, text[s:e]), Attribution(cue, mention, "head")
            continue
        # "Y, said X."
        if text[s0 : m.start()].rstrip().endswith(","):
            mention = mention_after(text, m.end(), end)
            if mention is not None and _speaker_ends(text[mention.end : end].strip(" .")):
                s, e = _clip(text, s0, text.rfind(",", s0, m.start()))
                if e - s >= 10:
                    return Span(s, e, text[s:e]), Attribution(cue, mention, "tail")
    return None


_NOUN_BEFORE = re.compile(
    r"(?<![\w’'])(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur|[Mm]y|[Yy]our|[Nn]o)\s+$"
)
# After "Y, X said": a participle or a new clause that is not part of what was said.
_ADDING = re.compile(r",?\s*(?:\w+ing\b|and\b|but\b|according\b|in\s+(?:a|an|the)\b)")
# "Y, X wrote in a memo to Z.": what follows the cue says where or to whom, not more content.
_AFTER_CUE = re.compile(r"(?:to|in|on|at|during|after|before|from|with|via|of|last|this)\b")


def _only_where(after: str) -> bool:
    """Whether the words after a final cue only say where or to whom ("in a memo to Z")."""
    if not after:
        return True
    return (
        bool(_AFTER_CUE.match(after))
        and len(_WORDS.findall(after)) <= 10
        and not _CLAUSE_WORD.search(after)
    )


def _speaker_ends(rest: str) -> bool:
    """Whether the words after `said X` are only its apposition or where it was said."""
    return (rest.startswith(",") and len(_WORDS.findall(rest)) <= 10) or _only_where(rest)


_CLAUSE_WORD = re.compile(r"\b(?:that|is|are|was|were|will|would|has|have|had|should|could|can)\b")
_COORDINATION = re.compile(r"(?:,\s*)?\b(?:and|but)\s+(?:\w+ly\s+|also\s+|then\s+)?$")


_STANCE_SET = frozenset(STANCE_VERBS) - frozenset(SPEECH_VERBS) - frozenset(REPORT_VERBS)
_CLAUSE_BREAK = re.compile(r"[,;:(]|\s[—–-]+\s")
_SECOND_CUE = re.compile(
    r",?\s+(?:and|but)\s+(?:\w+ly\s+|also\s+|then\s+)?(?="
    + alternation([v for v in SPEECH_VERBS if v not in _NOT_REPORT])
    + r"\b)"
)


# "X said Y, adding: “Z”": a second verb of saying leads into the quotation after the clause.
_LEAD_IN = re.compile(
    r"(?:,\s*|\s+(?:and|but)\s+(?:also\s+|then\s+)?)"
    r"(?:adding|saying|noting|writing|arguing|explaining|insisting|warning|added|said|noted|"
    r"wrote|argued|explained|insisted|warned|continued)"
    r"(?:\s+that)?[\s,:]*$"
)


_SECOND_QUOTE_CUE = re.compile(
    r"(?:,\s*|\s+(?:and|but)\s+(?:also\s+|then\s+)?)(?:"
    + alternation(SPEECH_VERBS)
    + r")\b(?:\s+[\w’'-]+){0,4}?[\s,:]*$"
)


def _before_quote(text: str, s0: int, open_at: int) -> int:
    """Where a clause ends before a quotation it leads into, else the sentence's start."""
    m = _LEAD_IN.search(text, max(s0, open_at - 40), open_at)
    if m is not None:
        return m.start()
    # "He says he respects her and calls her “...”": a second verb of the subject leads in.
    second = _SECOND_QUOTE_CUE.search(text, max(s0, open_at - 50), open_at)
    return second.start() if second else s0


_OPENING_WORD = re.compile(r"(?:But|And|Yet|So|Still|Meanwhile|However),?\s+")


def _enclosed_subject(text: str, s0: int, cue_start: int) -> Mention | None:
    """`Jo Smith, who led the group, said ...`: the sentence's subject and its apposition."""
    opening = _OPENING_WORD.match(text, s0, cue_start)
    mention = first_subject(text, opening.end() if opening else s0, cue_start)
    if mention is None or mention.is_pronoun or text[mention.end : mention.end + 1] != ",":
        return None
    if len(_WORDS.findall(text, mention.end, cue_start)) > 25:
        return None
    return mention


def _coordinated_subject(text: str, s0: int, cue_start: int) -> Mention | None:
    """`She praised him and said ...`: a second verb shares the sentence's subject."""
    if not _COORDINATION.search(text, max(s0, cue_start - 40), cue_start):
        return None
    mention = first_subject(text, s0, cue_start)
    if mention is None or mention.text.lower() in ("it", "you"):
        return None
    return mention


def _clip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,\n\t":
        s += 1
    while e > s and text[e - 1] in " .,;:\n\t":
        e -= 1
    return s, e
