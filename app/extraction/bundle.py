"""A draft bundle: an article's drafted quotations in the bundle format, for review and loading.

`draft_bundle` turns the engine's drafts into the format `newsfacts load` and `POST /v1/imports`
read (app/bundles/README.md): the article, the participants who speak (stored ones declared as
they are stored, so that loading the draft changes nothing about them; new ones with the words
that name them as evidence) and the quotations, each with its attribution as evidence. Spans are
written as verbatim text, with an occurrence when the text repeats. A quotation whose speaker the
bundle cannot declare (an unresolved "he", "officials") is left out and reported.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.bundles.exporter import dump_bundle
from app.bundles.loader import resolve_bundle, validate_bundle
from app.bundles.sections import BundleKinds, optional, written_span
from app.core.spans import Span as Offsets
from app.core.spans import occurrence_of
from app.core.text import ONE_LINE_PATTERN, is_slug
from app.extraction.engine import DraftParticipant, DraftQuotation, draft_participants
from app.extraction.service import KnownRecord, first_mention, kind_name
from app.extraction.speakers import slug

_HEADER = (
    "# Drafted by `newsfacts extract`: review every quotation, speaker and date before loading."
    "\n# Format: app/bundles/README.md\n"
)
_ONE_LINE = re.compile(ONE_LINE_PATTERN)
# An attribution's mention and cue this close (`he said`, `said Mr. Hyers`) are one span.
_JOIN_GAP = 40
_MAX_QUOTATION = 20_000  # the bundle format's longest quotation text
_MAX_NAME = 300


@dataclass
class DraftBundle:
    """The bundle as plain data, and what was left out of it, each described for a person."""

    data: dict[str, Any]
    left_out: list[str] = field(default_factory=list)

    def yaml(self) -> str:
        """The bundle as YAML, headed by a note that it is a draft."""
        return dump_bundle(self.data, header=_HEADER)


def _attribution(text: str, q: DraftQuotation) -> list[tuple[int, int]]:
    """The spans that attribute a quotation: the speaker's mention and the cue (one if close)."""
    parts = [
        (s.start, s.end)
        for s in (q.speaker.mention if q.speaker else None, q.cue)
        if s is not None and s.end > s.start
    ]
    if len(parts) == 2:
        (a, b), (c, d) = sorted(parts)
        if c - b <= _JOIN_GAP and "\n" not in text[b:c]:
            return [(a, max(b, d))]
    return sorted(set(parts))


def _title(text: str) -> str:
    """The article's first line, cut to a title's length at a word."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "Untitled")
    line = "".join(ch if _ONE_LINE.match(ch) else " " for ch in line).strip() or "Untitled"
    if len(line) > 200:
        line = line[:200].rsplit(" ", 1)[0] + "…"
    return line


def _name_span(text: str, names: Sequence[str]) -> Offsets | None:
    """The first place the article writes any of the names, as a whole word."""
    best: Offsets | None = None
    for name in names:
        if not name:
            continue
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        if match is not None and (best is None or match.start() < best[0]):
            best = Offsets(match.start(), match.end())
    return best


def _is_id(value: str) -> bool:
    return len(value) <= 100 and is_slug(value)


def _names(record: KnownRecord) -> list[str]:
    return [record.name, *(alias for alias, _ in record.aliases)]


def _known_entry(
    record: KnownRecord, affiliation: str | None, evidence: list[Any]
) -> dict[str, Any]:
    """A stored participant as it is stored, so that loading the draft changes nothing of it."""
    entry: dict[str, Any] = {"id": record.id, "name": record.name, "kind": record.kind}
    optional(
        entry,
        title=record.title,
        description=record.description,
        aliases=[{"alias": a, "language": lang} for a, lang in record.aliases],
        external_ids=dict(sorted(record.external_ids.items())),
        affiliation=affiliation,
    )
    entry["evidence"] = evidence
    return entry


def _quotation_id(speaker_id: str, quoted: str, used: set[str]) -> str:
    """The speaker and the quotation's first words as a slug, numbered when it repeats."""
    base = slug(f"{speaker_id} {' '.join(quoted.split()[:6])}")[:90].rstrip("-")
    quotation_id, n = base, 1
    while quotation_id in used:
        n += 1
        quotation_id = f"{base}-{n}"
    used.add(quotation_id)
    return quotation_id


def _where_named(
    text: str,
    speaker_id: str,
    q: DraftQuotation,
    quotations: Sequence[DraftQuotation],
    records: dict[str, KnownRecord],
    drafted: dict[str, DraftParticipant],
) -> Offsets | None:
    """Where the article names a quotation's speaker (its evidence), or None when the bundle
    cannot declare it: a stored participant by its names, else by the quotation's mention; a
    new one by its drafted name."""
    if speaker_id in records:
        found = _name_span(text, _names(records[speaker_id]))
        mention = q.speaker.mention if q.speaker else None
        if found is None and mention is not None:
            found = Offsets(mention.start, mention.end)
        return found
    draft = drafted.get(speaker_id)
    if draft is None or len(draft.name) > _MAX_NAME or not _ONE_LINE.match(draft.name):
        return None
    mention = first_mention(text, draft.name, quotations)
    return Offsets(mention.start, mention.end)


def draft_bundle(
    text: str,
    quotations: Sequence[DraftQuotation],
    *,
    article_id: str,
    title: str | None = None,
    published: str | None = None,
    known: Sequence[KnownRecord] = (),
    kinds: BundleKinds,
) -> DraftBundle:
    """The draft bundle of an article: validated the way the loader validates it."""
    records = {record.id: record for record in known}
    drafted = {p.id: p for p in draft_participants(quotations, [r.known() for r in known])}
    left_out: list[str] = []
    article: dict[str, Any] = {
        "id": article_id,
        "title": title if title is not None else _title(text),
        "language": "en",
    }
    if published is not None:
        article["published"] = published
    article["content_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    article["text"] = text

    # Each participant the bundle declares, and where the article names it (its evidence).
    named: dict[str, Offsets] = {}
    entries: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    for q in quotations:
        speaker = q.speaker
        speaker_id = None
        if speaker is not None:
            speaker_id = speaker.participant_id or slug(speaker.name)
        if speaker_id is not None and speaker_id not in named and _is_id(speaker_id):
            found = _where_named(text, speaker_id, q, quotations, records, drafted)
            if found is not None:
                named[speaker_id] = found
        where = f"{q.kind} quotation [{q.start}:{q.end}] {_preview(q.text)}"
        if speaker_id is None or speaker_id not in named:
            named_as = f" ({speaker.name!r})" if speaker is not None else ""
            left_out.append(f"{where}: no speaker the bundle can name{named_as}")
            continue
        if len(q.text) > _MAX_QUOTATION:
            left_out.append(f"{where}: longer than a bundle's quotation can be")
            continue
        entry: dict[str, Any] = {
            "id": _quotation_id(speaker_id, q.text, used_ids),
            "speaker": speaker_id,
            "kind": q.kind,
            "text": q.text,
        }
        optional(
            entry,
            occurrence=occurrence_of(text, Offsets(q.start, q.end)),
            said_on=q.said_on,
            evidence=[written_span(text, Offsets(a, b)) for a, b in _attribution(text, q)],
        )
        entries.append(entry)

    # Stored participants keep their affiliation only when the bundle can declare it too.
    affiliations: dict[str, str] = {}
    pending = list(named)
    while pending:
        participant_id = pending.pop(0)
        record = records.get(participant_id)
        if record is None or record.affiliation is None:
            continue
        target = records.get(record.affiliation)
        if target is not None and target.id not in named:
            found_at = _name_span(text, _names(target))
            if found_at is not None:
                named[target.id] = found_at
                pending.append(target.id)
        if record.affiliation in named:
            affiliations[participant_id] = record.affiliation
        else:
            left_out.append(
                f"participant {participant_id!r}: its affiliation {record.affiliation!r} (not"
                " named in the article); loading this draft would clear it"
            )

    participants = []
    for participant_id, found in sorted(named.items()):
        evidence = [written_span(text, found)]
        if participant_id in records:
            affiliation = affiliations.get(participant_id)
            participants.append(_known_entry(records[participant_id], affiliation, evidence))
        else:
            draft = drafted[participant_id]
            kind = kind_name(draft.kind)
            participants.append(
                {"id": participant_id, "name": draft.name, "kind": kind, "evidence": evidence}
            )
    data: dict[str, Any] = {
        "version": 1,
        "article": article,
        "participants": participants,
        "quotations": entries,
    }
    resolve_bundle(validate_bundle(data, source=article_id), source=article_id, kinds=kinds)
    return DraftBundle(data, left_out)


def _preview(text: str, limit: int = 60) -> str:
    shown = " ".join(text.split())
    return repr(shown if len(shown) <= limit else shown[: limit - 1] + "…")


__all__ = ["DraftBundle", "draft_bundle"]
