"""Analysis findings as they leave the catalogue: ``katalog analyze --format json`` and the
findings API.

The file format (``{"findings": [...], "summary": {...}}``) is published as
``schemas/findings.schema.json``; regenerate it with ``python -m schemas.findings`` (a test
keeps it current and checks the CLI's output against it).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from catalog.enums import ReviewVerdict
from schemas.common import PageLinks

SCHEMA_ID = "https://katalog-spbe.invalid/schemas/findings.schema.json"
SCHEMA_PATH = Path(__file__).parent / "findings.schema.json"

Severity = Literal["high", "medium", "low", "info"]
State = Literal["open", "reviewed", "reopened"]


class SubjectOut(BaseModel):
    """An item a finding is about, as a person and a re-import recognise it."""

    kind: str = Field(description="Jenis item (application, dataset…, atau organisation)")
    id: int = Field(description="Id item di katalog ini")
    code: str = Field(description="Kode item (unik per instansi dan jenis)")
    name: str
    instansi: str = Field(description="Kode instansi item")
    owner: str | None = Field(default=None, description="Kode unit pemilik")
    source_key: str | None = Field(default=None, description="Kunci baris sumber impor")


class ReviewOut(BaseModel):
    """The verdict behind a finding's state. Reason and reviewer are given only to people
    who read the instansi."""

    verdict: ReviewVerdict
    evidence_hash: str = Field(description="Bukti yang ditinjau; beda dari temuan = kembali")
    decided_at: datetime
    revision: int = Field(description="Putusan ke-n atas temuan ini")
    reason: str | None = None
    decided_by: str | None = None


class FindingOut(BaseModel):
    rule: str = Field(description="Id aturan (lihat catalog/analysis/RULES.md)")
    family: str
    severity: Severity
    key: str = Field(description="Identitas temuan lintas analisis: aturan + item")
    instansi: str = Field(description="Kode instansi temuan")
    state: State = Field(
        description="open: belum ditinjau; reviewed: ditinjau atas bukti ini; reopened: "
        "ditinjau atas bukti lama (bukti berubah)"
    )
    subjects: list[SubjectOut]
    evidence: dict[str, Any] = Field(description="Angka dan atribut yang memicu temuan")
    evidence_hash: str
    message: str
    message_en: str
    action: str
    action_en: str
    score: float | None = Field(default=None, description="Kekuatan temuan, 0..1")
    review: ReviewOut | None = None


class ScopeOut(BaseModel):
    instansi: list[str] = Field(description="Kode instansi yang dianalisis")
    opd: str | None = None
    rules: list[str] | None = Field(default=None, description="Aturan terpilih; null = semua")
    state: Literal["pending", "all"] = Field(
        description="pending: tanpa yang sudah ditinjau; all: semuanya"
    )


class SummaryOut(BaseModel):
    total: int
    by_rule: dict[str, int]
    by_severity: dict[str, int]
    by_family: dict[str, int]
    by_state: dict[str, int]
    reviewed_hidden: int = Field(description="Temuan yang sudah ditinjau dan tidak dicantumkan")
    scope: ScopeOut
    fingerprint: str = Field(description="Sidik masukan analisis seluruh cakupan")
    computed_at: datetime | None = Field(description="Analisis tersimpan tertua dalam cakupan")
    computed_at_newest: datetime | None = None
    analysed: int = Field(description="Instansi yang dianalisis ulang pada jalannya perintah ini")
    from_cache: int = Field(description="Instansi yang hasilnya diambil dari simpanan")
    seconds: float
    analysis_version: str


class FindingsReport(BaseModel):
    """``katalog analyze --format json``."""

    findings: list[FindingOut]
    summary: SummaryOut


# -- the API ------------------------------------------------------------------------------


class FindingLinks(BaseModel):
    html: str = Field(description="Halaman temuan")
    review: str = Field(description="Alamat API untuk memberi putusan (POST)")


class FindingApiOut(FindingOut):
    links: FindingLinks


class CacheOut(BaseModel):
    """How current the cached findings of the asked scope are."""

    instansi: int = Field(description="Instansi dalam cakupan")
    analysed: int = Field(description="Instansi yang punya hasil analisis tersimpan")
    outdated: list[str] = Field(description="Instansi yang hasilnya usang atau belum ada")
    oldest: datetime | None = None
    newest: datetime | None = None
    fingerprint: str
    refreshed: list[str] = Field(description="Instansi yang dianalisis ulang untuk jawaban ini")


class ScorecardOut(BaseModel):
    """One instansi's scorecard as last computed with its findings. Every metric is
    ``{value, numerator, denominator}`` (``value`` 0..1 or null); the levels of SPBE
    indicators 11 and 18 are **estimates** of what the catalogue evidences
    (``estimate: true``), not evaluation results."""

    instansi: str = Field(description="Kode instansi")
    computed_at: datetime
    scorecard: dict[str, Any] = Field(
        description="Kartu instansi: kelengkapan, kesesuaian, duplikasi, porsi integrasi "
        "melalui SPL, domain, dan perkiraan tingkat indikator 11 dan 18"
    )
    units: list[dict[str, Any]] = Field(
        description="Kartu per OPD (dengan opd=…: hanya OPD itu; kosong untuk instansi=semua)"
    )


class ScorecardsOut(BaseModel):
    items: list[ScorecardOut]
    cache: CacheOut


class CountsOut(BaseModel):
    total: int
    by_rule: dict[str, int]
    by_severity: dict[str, int]
    by_family: dict[str, int]
    by_state: dict[str, int]


class FindingsPage(BaseModel):
    items: list[FindingApiOut]
    total: int
    page: int
    per_page: int
    pages: int
    links: PageLinks
    counts: CountsOut = Field(description="Semua temuan yang cocok dengan saringan (semua status)")
    cache: CacheOut


class ReviewIn(BaseModel):
    key: str = Field(min_length=1, description="Kunci temuan (key)")
    verdict: ReviewVerdict
    reason: str = Field(description="Alasan putusan (wajib)")
    evidence_hash: str | None = Field(
        default=None,
        description="Bukti yang Anda lihat; bila bukti sudah berubah jawabannya 409",
    )


class ReviewDecisionOut(BaseModel):
    id: int
    key: str
    instansi: str
    rule: str
    verdict: ReviewVerdict
    reason: str
    evidence_hash: str
    revision: int
    is_current: bool
    decided_at: datetime
    decided_by: str
    ended_at: datetime | None = None
    end_reason: str | None = None


class RuleOut(BaseModel):
    id: str
    family: str
    severity: Severity
    title: str
    title_en: str
    why: str
    why_en: str
    clear: str
    clear_en: str


class ImpactItemOut(BaseModel):
    kind: str
    id: int
    code: str
    name: str
    instansi: str | None = None
    owner: str | None = None
    status: str | None = None
    retired: bool = False
    distance: int = Field(description="Jumlah langkah ketergantungan dari item yang dianalisis")
    via: str | None = Field(default=None, description="Jenis hubungan langkah terakhir")
    html: str | None = None


class ImpactLevelOut(BaseModel):
    distance: int
    items: list[ImpactItemOut]


class ImpactOut(BaseModel):
    """What stops working, directly or not, when an item does."""

    item: ImpactItemOut
    total: int
    by_kind: dict[str, int]
    levels: list[ImpactLevelOut]
    hidden: int = Field(description="Item terdampak yang tidak boleh Anda lihat")
    truncated: bool = Field(description="Daftar dipotong (terlalu banyak item)")
    milliseconds: float


def findings_schema() -> dict[str, Any]:
    """The JSON Schema of ``katalog analyze --format json``."""
    schema = FindingsReport.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Katalog SPBE: temuan analisis / analysis findings",
        "description": "Keluaran katalog analyze --format json: temuan dan ringkasannya. / "
        "Output of katalog analyze --format json: the findings and their summary.",
    }


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    path.write_text(
        json.dumps(findings_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return path


if __name__ == "__main__":
    print(write_schema())


__all__ = [
    "CacheOut",
    "CountsOut",
    "FindingApiOut",
    "FindingOut",
    "FindingsPage",
    "FindingsReport",
    "ImpactOut",
    "ReviewDecisionOut",
    "ReviewIn",
    "RuleOut",
    "findings_schema",
    "write_schema",
]
