"""Who is writing, from where, as part of which request: stamped on every change record."""

from __future__ import annotations

import getpass
import uuid
from dataclasses import dataclass, field


def new_request_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Actor:
    name: str
    source: str
    user_id: int | None = None
    request_id: str = field(default_factory=new_request_id)


def system_actor() -> Actor:
    return Actor(name="sistem", source="system")


def cli_actor() -> Actor:
    """The person at the terminal, named after their operating-system account."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "cli"
    return Actor(name=who, source="cli")
