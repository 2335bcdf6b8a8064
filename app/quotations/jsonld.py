"""schema.org JSON-LD of a quotation; app.jsonld holds what every kind shares.

**Quotation** → `Quotation`: `text`, `spokenByCharacter` (typed by the speaker's kind),
`dateCreated` (when it was said, at its precision), `recordedAt` (the occasion, an `Event`),
`audience` (an `Audience` naming the participant), `about` (its issues), `inLanguage`.
"""

from __future__ import annotations

from typing import Any

from app.jsonld import Nodes, compact
from app.models.article import Article
from app.quotations.schemas import QuotationRead


def quotation_node(nodes: Nodes, quotation: QuotationRead) -> dict[str, Any]:
    """The schema.org node of a quotation."""
    speaker = nodes.participant_refs([(quotation.speaker.id, quotation.speaker.name)])[0]
    audience = quotation.audience
    language = nodes.lookup(Article.id, Article.language, [quotation.article_id])
    return compact(
        {
            "@type": "Quotation",
            "@id": nodes.url("quotations", quotation.id),
            "text": quotation.text,
            "spokenByCharacter": speaker,
            "dateCreated": quotation.said_on,
            "recordedAt": (
                nodes.event_refs([quotation.event_id])[0] if quotation.event_id else None
            ),
            "audience": (
                {
                    "@type": "Audience",
                    "name": audience.name,
                    "url": nodes.url("participants", audience.id),
                }
                if audience is not None
                else None
            ),
            "about": nodes.issue_refs(quotation.issue_ids),
            "inLanguage": language.get(quotation.article_id),
            "isBasedOn": nodes.spans(quotation.evidence),
        }
    )
