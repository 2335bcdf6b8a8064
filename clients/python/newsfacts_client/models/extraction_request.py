from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractionRequest")


@_attrs_define
class ExtractionRequest:
    """An article's text to draft quotations from, or the id of a stored article.

    Attributes:
        article_id (None | str | Unset): Instead of `text`: a stored article, whose text, language and publication date
            are used.
        language (Literal['en'] | None | Unset): The text's language (BCP 47); supported: en. Default `en`.
        published (None | str | Unset): When the article was published, at any precision (`2016-10-12`, `2016-10`,
            `2016`): relative dates ("Wednesday", "in February") are resolved against it.
        text (None | str | Unset): The article's text, verbatim (line breaks and tabs allowed, no other control
            character), at most 200,000 characters. Offsets in the answer count its Unicode code points.
    """

    article_id: None | str | Unset = UNSET
    language: Literal["en"] | None | Unset = UNSET
    published: None | str | Unset = UNSET
    text: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        article_id: None | str | Unset
        if isinstance(self.article_id, Unset):
            article_id = UNSET
        else:
            article_id = self.article_id

        language: Literal["en"] | None | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        published: None | str | Unset
        if isinstance(self.published, Unset):
            published = UNSET
        else:
            published = self.published

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if article_id is not UNSET:
            field_dict["article_id"] = article_id
        if language is not UNSET:
            field_dict["language"] = language
        if published is not UNSET:
            field_dict["published"] = published
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_article_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        article_id = _parse_article_id(d.pop("article_id", UNSET))

        def _parse_language(data: object) -> Literal["en"] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            language_type_0 = cast(Literal["en"], data)
            if language_type_0 != "en":
                raise ValueError(f"language_type_0 must match const 'en', got '{language_type_0}'")
            return language_type_0
            return cast(Literal["en"] | None | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_published(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        published = _parse_published(d.pop("published", UNSET))

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        extraction_request = cls(
            article_id=article_id,
            language=language,
            published=published,
            text=text,
        )

        return extraction_request
