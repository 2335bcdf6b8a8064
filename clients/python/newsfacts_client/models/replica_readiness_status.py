from enum import StrEnum


class ReplicaReadinessStatus(StrEnum):
    DOWN = "down"
    LAGGING = "lagging"
    OK = "ok"
    PROMOTED = "promoted"

    def __str__(self) -> str:
        return str(self.value)
