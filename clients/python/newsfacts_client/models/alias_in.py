from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AliasIn")


@_attrs_define
class AliasIn:
    """Another name of a participant.

    Attributes:
        alias (str):
        language (str | Unset):  Default: 'und'.
    """

    alias: str
    language: str | Unset = "und"

    def to_dict(self) -> dict[str, Any]:
        alias = self.alias

        language = self.language

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "alias": alias,
            }
        )
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        alias = d.pop("alias")

        language = d.pop("language", UNSET)

        alias_in = cls(
            alias=alias,
            language=language,
        )

        return alias_in
