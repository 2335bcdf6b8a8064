from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.article_in import ArticleIn
    from ..models.event_in import EventIn
    from ..models.issue_in import IssueIn
    from ..models.participant_in import ParticipantIn
    from ..models.quotation_in import QuotationIn


T = TypeVar("T", bound="BundleDocument")


@_attrs_define
class BundleDocument:
    """One article and all of its facts.

    Attributes:
        article (ArticleIn): The article: metadata and its verbatim text.
        events (list[EventIn] | Unset):
        issues (list[IssueIn] | Unset):
        participants (list[ParticipantIn] | Unset):
        quotations (list[QuotationIn] | Unset):
        version (Literal[1] | Unset):  Default: 1.
    """

    article: ArticleIn
    events: list[EventIn] | Unset = UNSET
    issues: list[IssueIn] | Unset = UNSET
    participants: list[ParticipantIn] | Unset = UNSET
    quotations: list[QuotationIn] | Unset = UNSET
    version: Literal[1] | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        article = self.article.to_dict()

        events: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.to_dict()
                events.append(events_item)

        issues: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.issues, Unset):
            issues = []
            for issues_item_data in self.issues:
                issues_item = issues_item_data.to_dict()
                issues.append(issues_item)

        participants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.participants, Unset):
            participants = []
            for participants_item_data in self.participants:
                participants_item = participants_item_data.to_dict()
                participants.append(participants_item)

        quotations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.quotations, Unset):
            quotations = []
            for quotations_item_data in self.quotations:
                quotations_item = quotations_item_data.to_dict()
                quotations.append(quotations_item)

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "article": article,
            }
        )
        if events is not UNSET:
            field_dict["events"] = events
        if issues is not UNSET:
            field_dict["issues"] = issues
        if participants is not UNSET:
            field_dict["participants"] = participants
        if quotations is not UNSET:
            field_dict["quotations"] = quotations
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.article_in import ArticleIn  # noqa: PLC0415
        from ..models.event_in import EventIn  # noqa: PLC0415
        from ..models.issue_in import IssueIn  # noqa: PLC0415
        from ..models.participant_in import ParticipantIn  # noqa: PLC0415
        from ..models.quotation_in import QuotationIn  # noqa: PLC0415

        d = dict(src_dict)
        article = ArticleIn.from_dict(d.pop("article"))

        _events = d.pop("events", UNSET)
        events: list[EventIn] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = EventIn.from_dict(events_item_data)

                events.append(events_item)

        _issues = d.pop("issues", UNSET)
        issues: list[IssueIn] | Unset = UNSET
        if _issues is not UNSET:
            issues = []
            for issues_item_data in _issues:
                issues_item = IssueIn.from_dict(issues_item_data)

                issues.append(issues_item)

        _participants = d.pop("participants", UNSET)
        participants: list[ParticipantIn] | Unset = UNSET
        if _participants is not UNSET:
            participants = []
            for participants_item_data in _participants:
                participants_item = ParticipantIn.from_dict(participants_item_data)

                participants.append(participants_item)

        _quotations = d.pop("quotations", UNSET)
        quotations: list[QuotationIn] | Unset = UNSET
        if _quotations is not UNSET:
            quotations = []
            for quotations_item_data in _quotations:
                quotations_item = QuotationIn.from_dict(quotations_item_data)

                quotations.append(quotations_item)

        version = cast(Literal[1] | Unset, d.pop("version", UNSET))
        if version != 1 and not isinstance(version, Unset):
            raise ValueError(f"version must match const 1, got '{version}'")

        bundle_document = cls(
            article=article,
            events=events,
            issues=issues,
            participants=participants,
            quotations=quotations,
            version=version,
        )

        return bundle_document
