"""schema.org JSON-LD of an issue; app.jsonld holds what every kind shares.

**Issue** → `Thing` (`name`, `description`), `subjectOf` the events with it on their agenda. Its
category is only in the JSON representation.
"""

from __future__ import annotations

from typing import Any

from app.issues.schemas import IssueRead
from app.jsonld import Nodes, compact


def issue_node(nodes: Nodes, issue: IssueRead) -> dict[str, Any]:
    """The schema.org node of an issue."""
    return compact(
        {
            "@type": "Thing",
            "@id": nodes.url("issues", issue.id),
            "name": issue.title,
            "description": issue.summary,
            "subjectOf": [
                *nodes.event_refs([entry.event_id for entry in issue.agenda]),
                *nodes.spans(issue.evidence),
            ],
        }
    )
