"""What an overlap reports: the local application, the national system it matches, why,
and the legal basis (Perpres 95/2018 Pasal 37, or the regulation that makes the system
mandatory).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.analysis.snapshot import Item

PASAL_37 = (
    "Perpres 95/2018 Pasal 37: Instansi Pusat dan Pemerintah Daerah wajib menggunakan "
    "Aplikasi Umum; pembangunan aplikasi khusus yang sama dilarang kecuali setelah "
    "penyesuaian proses bisnis, kajian biaya-manfaat dan pertimbangan Menteri PANRB."
)
PASAL_37_EN = (
    "Perpres 95/2018 Article 37: central and regional governments must use the Aplikasi "
    "Umum; building a special application for the same job is barred unless the process is "
    "aligned, a cost-benefit study is made and the minister (PANRB) has given consideration."
)


@dataclass(frozen=True, slots=True)
class Overlap:
    """A local application doing the job of a national system, and why we think so."""

    local: Item
    national: Item
    score: float
    matched_name: str | None = None
    shared_name_words: tuple[str, ...] = ()
    acronym: str | None = None
    shared_text_words: tuple[str, ...] = ()
    text_explained: float | None = None
    reference_code: str | None = None
    data_codes: tuple[str, ...] = ()

    def evidence(self) -> dict[str, Any]:
        national = self.national
        out: dict[str, Any] = {
            "national": {
                "code": national.code,
                "name": national.name,
                "role": national.get("national_role"),
            },
        }
        # The score is the finding's own (Finding.score), not evidence: it moves with the
        # weights of the whole catalogue, and a reviewed finding should come back only
        # when *its* evidence changes.
        if self.matched_name:
            out["matched_name"] = self.matched_name
        if self.shared_name_words:
            out["shared_name_words"] = list(self.shared_name_words)
        if self.acronym:
            out["acronym"] = self.acronym.upper()
        if self.shared_text_words:
            out["shared_description_words"] = list(self.shared_text_words[:12])
        if self.text_explained is not None:
            out["text_explained"] = round(self.text_explained, 2)
        if self.reference_code:
            out["reference_code"] = self.reference_code
        if self.data_codes:
            out["shared_data_codes"] = list(self.data_codes)
        if self.local.retired or self.local.status != "active":
            out["local_status"] = "retired" if self.local.retired else self.local.status
        # The legal reason: Pasal 37 for an Aplikasi Umum; for a mandatory system, the
        # regulation that makes it mandatory when the catalogue records one (Pasal 37
        # otherwise). Pasal 37 is always given as the general SPBE rule.
        regulation = (national.get("legal_basis") or "").strip()
        if national.get("national_role") != "aplikasi_umum" and regulation:
            out["legal_basis"] = regulation
            out["legal_basis_en"] = (
                f"The regulation that makes {national.name} mandatory: {regulation}"
            )
        else:
            out["legal_basis"], out["legal_basis_en"] = PASAL_37, PASAL_37_EN
        if regulation:
            out["national_regulation"] = regulation
        out["spbe_rule"], out["spbe_rule_en"] = PASAL_37, PASAL_37_EN
        return out
