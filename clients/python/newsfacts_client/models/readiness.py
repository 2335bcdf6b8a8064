from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.replica_readiness import ReplicaReadiness


T = TypeVar("T", bound="Readiness")


@_attrs_define
class Readiness:
    """The service can serve: the database answers and is at this code's migration.

    Attributes:
        database_revision (str):
        replicas (list[ReplicaReadiness] | Unset): Each configured read replica (none: reads use the primary).
        status (str | Unset):  Default: 'ready'.
    """

    database_revision: str
    replicas: list[ReplicaReadiness] | Unset = UNSET
    status: str | Unset = "ready"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        database_revision = self.database_revision

        replicas: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.replicas, Unset):
            replicas = []
            for replicas_item_data in self.replicas:
                replicas_item = replicas_item_data.to_dict()
                replicas.append(replicas_item)

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "database_revision": database_revision,
            }
        )
        if replicas is not UNSET:
            field_dict["replicas"] = replicas
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.replica_readiness import ReplicaReadiness  # noqa: PLC0415

        d = dict(src_dict)
        database_revision = d.pop("database_revision")

        _replicas = d.pop("replicas", UNSET)
        replicas: list[ReplicaReadiness] | Unset = UNSET
        if _replicas is not UNSET:
            replicas = []
            for replicas_item_data in _replicas:
                replicas_item = ReplicaReadiness.from_dict(replicas_item_data)

                replicas.append(replicas_item)

        status = d.pop("status", UNSET)

        readiness = cls(
            database_revision=database_revision,
            replicas=replicas,
            status=status,
        )

        readiness.additional_properties = d
        return readiness

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
