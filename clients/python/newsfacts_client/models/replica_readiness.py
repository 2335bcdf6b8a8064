from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.replica_readiness_status import ReplicaReadinessStatus

T = TypeVar("T", bound="ReplicaReadiness")


@_attrs_define
class ReplicaReadiness:
    """A read replica as just checked; only `ok` ones serve reads.

    Attributes:
        generation (int | None): The write generation it has replayed; null when down.
        lag_s (float | None): Seconds its replay is behind; null when down.
        name (str): `replica-N`: the Nth of NEWSFACTS_DATABASE_REPLICA_URLS.
        status (ReplicaReadinessStatus): ok; lagging: replay further behind than NEWSFACTS_REPLICA_MAX_LAG_S; down: does
            not answer (or has no newsfacts schema); promoted: no longer a replica.
    """

    generation: int | None
    lag_s: float | None
    name: str
    status: ReplicaReadinessStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        generation: int | None
        generation = self.generation

        lag_s: float | None
        lag_s = self.lag_s

        name = self.name

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "generation": generation,
                "lag_s": lag_s,
                "name": name,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_generation(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        generation = _parse_generation(d.pop("generation"))

        def _parse_lag_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        lag_s = _parse_lag_s(d.pop("lag_s"))

        name = d.pop("name")

        status = ReplicaReadinessStatus(d.pop("status"))

        replica_readiness = cls(
            generation=generation,
            lag_s=lag_s,
            name=name,
            status=status,
        )

        replica_readiness.additional_properties = d
        return replica_readiness

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
