"""Who is writing, from where, as part of which request: stamped on every change record,
and asked for permission before every write."""

from __future__ import annotations

import getpass
import uuid
from dataclasses import dataclass, field

from catalog.access import SYSTEM, Principal


def new_request_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Actor:
    name: str
    source: str
    user_id: int | None = None
    request_id: str = field(default_factory=new_request_id)
    # Command-line, demo and system writes act with full rights; web and API requests
    # carry the signed-in user's principal (or the anonymous one).
    principal: Principal = SYSTEM
    address: str | None = None


def system_actor() -> Actor:
    return Actor(name="sistem", source="system")


def cli_actor() -> Actor:
    """The person at the terminal, named after their operating-system account."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "cli"
    return Actor(name=who, source="cli")
