from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ArticleCreate")


@_attrs_define
class ArticleCreate:
    """A new article; its text is stored verbatim and cannot change afterwards.

    Attributes:
        id (str):
        language (str):
        text (str):
        title (str):
        content_sha256 (None | str | Unset): If given, must equal the sha256 of the text (UTF-8).
        published (None | str | Unset): `2018-05-14`, `2018-05`, `2018`.
        publisher (None | str | Unset):
        url (None | str | Unset):
    """

    id: str
    language: str
    text: str
    title: str
    content_sha256: None | str | Unset = UNSET
    published: None | str | Unset = UNSET
    publisher: None | str | Unset = UNSET
    url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        language = self.language

        text = self.text

        title = self.title

        content_sha256: None | str | Unset
        if isinstance(self.content_sha256, Unset):
            content_sha256 = UNSET
        else:
            content_sha256 = self.content_sha256

        published: None | str | Unset
        if isinstance(self.published, Unset):
            published = UNSET
        else:
            published = self.published

        publisher: None | str | Unset
        if isinstance(self.publisher, Unset):
            publisher = UNSET
        else:
            publisher = self.publisher

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "language": language,
                "text": text,
                "title": title,
            }
        )
        if content_sha256 is not UNSET:
            field_dict["content_sha256"] = content_sha256
        if published is not UNSET:
            field_dict["published"] = published
        if publisher is not UNSET:
            field_dict["publisher"] = publisher
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        language = d.pop("language")

        text = d.pop("text")

        title = d.pop("title")

        def _parse_content_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content_sha256 = _parse_content_sha256(d.pop("content_sha256", UNSET))

        def _parse_published(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        published = _parse_published(d.pop("published", UNSET))

        def _parse_publisher(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        publisher = _parse_publisher(d.pop("publisher", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        article_create = cls(
            id=id,
            language=language,
            text=text,
            title=title,
            content_sha256=content_sha256,
            published=published,
            publisher=publisher,
            url=url,
        )

        return article_create
