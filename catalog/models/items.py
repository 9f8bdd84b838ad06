"""Shared shape of the six domain item kinds."""

from __future__ import annotations

from sqlmodel import Field

from catalog.enums import LifecycleStatus
from catalog.models.base import EnvelopeBase, enum_field


class DomainItemBase(EnvelopeBase):
    """Envelope plus what every architecture item has: a lifecycle and a reference code."""

    status: LifecycleStatus = enum_field(LifecycleStatus.ACTIVE, index=True)
    reference_code: str | None = Field(
        default=None, max_length=64, index=True, description="Kode referensi arsitektur SPBE"
    )
