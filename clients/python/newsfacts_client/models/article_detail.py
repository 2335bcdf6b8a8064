from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.date_precision import DatePrecision

T = TypeVar("T", bound="ArticleDetail")


@_attrs_define
class ArticleDetail:
    """An article with its verbatim text, which every evidence offset indexes.

    Attributes:
        content_sha256 (str): sha256 of the text, UTF-8 encoded, in hex.
        id (str):
        language (str): BCP 47 language tag of the text.
        published_on (None | str): ISO 8601 date at its precision: `2018-05-14`, `2018-05` or `2018`.
        published_precision (DatePrecision | None):
        publisher (None | str):
        text (str): The article text, verbatim; evidence offsets index it.
        title (str):
        url (None | str):
    """

    content_sha256: str
    id: str
    language: str
    published_on: None | str
    published_precision: DatePrecision | None
    publisher: None | str
    text: str
    title: str
    url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_sha256 = self.content_sha256

        id = self.id

        language = self.language

        published_on: None | str
        published_on = self.published_on

        published_precision: None | str
        if isinstance(self.published_precision, DatePrecision):
            published_precision = self.published_precision.value
        else:
            published_precision = self.published_precision

        publisher: None | str
        publisher = self.publisher

        text = self.text

        title = self.title

        url: None | str
        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content_sha256": content_sha256,
                "id": id,
                "language": language,
                "published_on": published_on,
                "published_precision": published_precision,
                "publisher": publisher,
                "text": text,
                "title": title,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content_sha256 = d.pop("content_sha256")

        id = d.pop("id")

        language = d.pop("language")

        def _parse_published_on(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        published_on = _parse_published_on(d.pop("published_on"))

        def _parse_published_precision(data: object) -> DatePrecision | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_precision_type_0 = DatePrecision(data)

                return published_precision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DatePrecision | None, data)

        published_precision = _parse_published_precision(d.pop("published_precision"))

        def _parse_publisher(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        publisher = _parse_publisher(d.pop("publisher"))

        text = d.pop("text")

        title = d.pop("title")

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        article_detail = cls(
            content_sha256=content_sha256,
            id=id,
            language=language,
            published_on=published_on,
            published_precision=published_precision,
            publisher=publisher,
            text=text,
            title=title,
            url=url,
        )

        article_detail.additional_properties = d
        return article_detail

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
