"""The registry of kinds: RecordKind -> its entry (app.spec.KindSpec), in bundle order.

Each entry is defined in its kind's package (`app/<kind>/kind.py`); the change feed, bundles,
the bulk export, the article page and the write routes loop over this map. It is passed to the
features that stand on a lower floor (the app factory puts it on `app.state.kinds`; the CLI and
the tests pass it in), so that they never import it. Adding a kind means adding its package and
its entry here.
"""

from __future__ import annotations

from types import MappingProxyType

from app.articles.kind import ARTICLE
from app.events.kind import EVENT
from app.issues.kind import ISSUE
from app.models.kind import RecordKind
from app.participants.kind import PARTICIPANT
from app.quotations.kind import QUOTATION
from app.spec import KindSpec

# Bundle order: a fact's references point to kinds before it (quotations name participants,
# events and issues), so the loader writes and the exporter declares them in this order.
KINDS: MappingProxyType[RecordKind, KindSpec] = MappingProxyType(
    {spec.kind: spec for spec in (ARTICLE, PARTICIPANT, EVENT, ISSUE, QUOTATION)}
)

__all__ = ["KINDS"]
