"""`StrEnum` for Python 3.10 (the standard one arrives in 3.11): a `str` whose text is its value.

Stored values, JSON and templates all see "booked", never "AppointmentStatus.BOOKED".
"""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    def __str__(self) -> str:
        return str.__str__(self)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)
