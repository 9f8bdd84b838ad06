"""Domain errors: one root, a message in Indonesian first and English beside it.

Every error names what was wrong (field and value) so that a person can act on it.
The web layer maps ``status`` to HTTP in one place; the CLI prints the message and exits
with a non-zero status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, tied to a field when there is one."""

    code: str
    message: str
    message_en: str
    field: str | None = None
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
        }
        if self.field is not None:
            data["field"] = self.field
        if self.value is not None:
            data["value"] = self.value if _is_plain(self.value) else str(self.value)
        return data


def _is_plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | list | dict)


class CatalogError(Exception):
    """Root of every error the catalogue raises on purpose."""

    status: int = 400
    code: str = "error"

    def __init__(
        self,
        message: str,
        message_en: str,
        *,
        field: str | None = None,
        value: Any = None,
        code: str | None = None,
        problems: list[Problem] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        if code:
            self.code = code
        self.problems: list[Problem] = problems or [
            Problem(self.code, message, message_en, field, value)
        ]
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
            "problems": [p.to_dict() for p in self.problems],
        }
        body.update(self.details)
        return body

    def __str__(self) -> str:
        return f"{self.message} / {self.message_en}"


class InvalidInput(CatalogError):
    """The input breaks a rule; nothing was written."""

    status = 422
    code = "invalid"

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> InvalidInput:
        if len(problems) == 1:
            p = problems[0]
            return cls(p.message, p.message_en, field=p.field, value=p.value, code=p.code)
        return cls(
            f"Ada {len(problems)} masalah pada isian: " + "; ".join(p.message for p in problems),
            f"{len(problems)} problems in the input: " + "; ".join(p.message_en for p in problems),
            problems=problems,
        )


class NotFound(CatalogError):
    status = 404
    code = "not_found"


class Conflict(CatalogError):
    status = 409
    code = "conflict"


class StaleVersion(Conflict):
    """The item changed since the caller read it; carries the current state."""

    code = "stale_version"

    def __init__(self, kind: str, code: str, expected: int, current: dict[str, Any]) -> None:
        super().__init__(
            f"{kind} '{code}' sudah diubah orang lain (versi Anda {expected}, versi terkini "
            f"{current.get('version')}). Muat ulang lalu ulangi perubahan Anda.",
            f"{kind} '{code}' was changed by someone else (your version {expected}, current "
            f"version {current.get('version')}). Reload and apply your change again.",
            field="version",
            value=expected,
            details={"current": current},
        )


class PreconditionRequired(CatalogError):
    """An update without the version it was based on: refused rather than risk
    overwriting someone else's change."""

    status = 428
    code = "version_required"


class Unauthenticated(CatalogError):
    status = 401
    code = "unauthenticated"


class Forbidden(CatalogError):
    status = 403
    code = "forbidden"


class ConfigurationError(CatalogError):
    """Settings or environment are wrong (database URL, unreachable server…)."""

    status = 500
    code = "configuration"


@dataclass
class ProblemList:
    """Collects problems so that every one is reported at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        message_en: str,
        field: str | None = None,
        value: Any = None,
    ) -> None:
        self.problems.append(Problem(code, message, message_en, field, value))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput.from_problems(self.problems)
