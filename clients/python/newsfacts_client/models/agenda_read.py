from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agenda_item_read import AgendaItemRead


T = TypeVar("T", bound="AgendaRead")


@_attrs_define
class AgendaRead:
    """The agenda of an event: which issues were, or will be, raised there.

    Its evidence and quotations come from the articles reporting the event (those holding the
    event's own evidence) and from quotations said at it, so its size does not grow with the
    corpus; an issue's whole record is at `/v1/issues/{id}`.

        Attributes:
            article_ids (list[str]): The articles reporting the event.
            event_id (str):
            items (list[AgendaItemRead]):
    """

    article_ids: list[str]
    event_id: str
    items: list[AgendaItemRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        article_ids = self.article_ids

        event_id = self.event_id

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "article_ids": article_ids,
                "event_id": event_id,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agenda_item_read import AgendaItemRead  # noqa: PLC0415

        d = dict(src_dict)
        article_ids = cast(list[str], d.pop("article_ids"))

        event_id = d.pop("event_id")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = AgendaItemRead.from_dict(items_item_data)

            items.append(items_item)

        agenda_read = cls(
            article_ids=article_ids,
            event_id=event_id,
            items=items,
        )

        agenda_read.additional_properties = d
        return agenda_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
