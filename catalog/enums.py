"""Closed vocabularies that the code itself depends on (analysis, access rules).

Values are English identifiers; every value has an Indonesian and an English label.
Vocabularies that differ between regions (platforms, licence kinds, funding sources,
update schedules…) are *not* here: they are editable lookup data (``LookupValue``).
"""

from __future__ import annotations

from enum import StrEnum


class LifecycleStatus(StrEnum):
    PLANNED = "planned"
    DEVELOPMENT = "development"
    ACTIVE = "active"
    INACTIVE = "inactive"
    RETIRED = "retired"


class InstansiKind(StrEnum):
    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KOTA = "kota"
    PUSAT = "pusat"


class AppType(StrEnum):
    """Jenis aplikasi (Perpres 95/2018): general (shared nationally) or special."""

    UMUM = "umum"
    KHUSUS = "khusus"


class NationalRole(StrEnum):
    """How a national application binds regional governments."""

    NONE = "none"
    APLIKASI_UMUM = "aplikasi_umum"
    MANDATORY = "mandatory"
    SECTOR = "sector"


class DataClassification(StrEnum):
    """Sifat data (Satu Data Indonesia)."""

    TERBUKA = "terbuka"
    TERBATAS = "terbatas"
    TERTUTUP = "tertutup"


class ServiceMethod(StrEnum):
    ELEKTRONIK = "elektronik"
    NON_ELEKTRONIK = "non_elektronik"
    HIBRIDA = "hibrida"


class ProcessState(StrEnum):
    AS_IS = "as_is"
    TO_BE = "to_be"


class InfraType(StrEnum):
    """The twelve object types of the official SPBE infrastructure inventory."""

    CLOUD = "cloud"
    SERVER = "server"
    PERIPHERAL = "peripheral"
    STORAGE = "storage"
    NETWORK_DEVICE = "network_device"
    SECURITY_DEVICE = "security_device"
    OPERATING_SYSTEM = "operating_system"
    DATABASE_SYSTEM = "database_system"
    UTILITY_SOFTWARE = "utility_software"
    INTRANET = "intranet"
    SPL = "spl"
    DATA_CENTRE = "data_centre"


class SecurityControlType(StrEnum):
    """The seven security objects recorded for the Keamanan domain."""

    STANDARD = "standard"
    AWARENESS = "awareness"
    VULNERABILITY = "vulnerability"
    HARDENING = "hardening"
    INCIDENT = "incident"
    AUDIT = "audit"
    ASSURANCE = "assurance"


class IntegrationMechanism(StrEnum):
    REST_API = "rest_api"
    SOAP_API = "soap_api"
    FILE_TRANSFER = "file_transfer"
    DATABASE_LINK = "database_link"
    MESSAGE_QUEUE = "message_queue"
    MANUAL = "manual"
    OTHER = "other"


class IntegrationDirection(StrEnum):
    ONE_WAY = "one_way"
    TWO_WAY = "two_way"


class IntegrationStatus(StrEnum):
    PROPOSED = "proposed"
    PLANNED = "planned"
    ACTIVE = "active"
    INACTIVE = "inactive"
    RETIRED = "retired"


class ReferenceStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class Role(StrEnum):
    ADMIN = "admin"
    ARSITEK = "arsitek"
    OPERATOR = "operator"
    PIMPINAN = "pimpinan"


class ReviewVerdict(StrEnum):
    """An architect's verdict on an analysis finding."""

    CONSOLIDATE = "consolidate"
    SHARED_APPLICATION = "shared_application"
    NOT_DUPLICATE = "not_duplicate"
    ACCEPTED_RISK = "accepted_risk"


class FindingState(StrEnum):
    """Where a finding stands against the verdicts given on it."""

    OPEN = "open"  # no verdict
    REVIEWED = "reviewed"  # a verdict on exactly this evidence: silent
    REOPENED = "reopened"  # a verdict on older evidence: back, with the old verdict


_LABELS: dict[type[StrEnum], dict[str, tuple[str, str]]] = {
    LifecycleStatus: {
        "planned": ("Perencanaan", "Planned"),
        "development": ("Pengembangan", "In development"),
        "active": ("Operasional", "In operation"),
        "inactive": ("Tidak aktif", "Inactive"),
        "retired": ("Dihentikan", "Retired"),
    },
    InstansiKind: {
        "provinsi": ("Pemerintah Provinsi", "Province"),
        "kabupaten": ("Pemerintah Kabupaten", "Regency"),
        "kota": ("Pemerintah Kota", "City"),
        "pusat": ("Instansi Pusat", "Central government body"),
    },
    AppType: {
        "umum": ("Aplikasi Umum", "General application"),
        "khusus": ("Aplikasi Khusus", "Special application"),
    },
    NationalRole: {
        "none": ("Bukan aplikasi nasional", "Not a national application"),
        "aplikasi_umum": ("Aplikasi Umum nasional", "National general application"),
        "mandatory": ("Sistem nasional wajib", "Mandatory national system"),
        "sector": ("Sistem sektoral nasional", "National sector system"),
    },
    DataClassification: {
        "terbuka": ("Terbuka", "Open"),
        "terbatas": ("Terbatas", "Restricted"),
        "tertutup": ("Tertutup", "Closed"),
    },
    ServiceMethod: {
        "elektronik": ("Elektronik", "Electronic"),
        "non_elektronik": ("Non-elektronik", "Non-electronic"),
        "hibrida": ("Hibrida", "Hybrid"),
    },
    ProcessState: {
        "as_is": ("Kondisi saat ini (as-is)", "As-is"),
        "to_be": ("Kondisi target (to-be)", "To-be"),
    },
    InfraType: {
        "cloud": ("Komputasi Awan", "Cloud service"),
        "server": ("Perangkat Keras Server", "Server"),
        "peripheral": ("Perangkat Keras Periferal", "Peripheral"),
        "storage": ("Perangkat Keras Media Penyimpanan", "Storage"),
        "network_device": ("Perangkat Keras Jaringan", "Network device"),
        "security_device": ("Perangkat Keras Keamanan", "Security device"),
        "operating_system": ("Perangkat Lunak Platform - Sistem Operasi", "Operating system"),
        "database_system": ("Perangkat Lunak Platform - Sistem Database", "Database system"),
        "utility_software": ("Perangkat Lunak Platform - Sistem Utilitas", "Utility software"),
        "intranet": ("Jaringan Intra Pemerintah", "Government intranet"),
        "spl": ("Sistem Penghubung Layanan", "Service integration layer (SPL)"),
        "data_centre": ("Fasilitas Komputasi (Pusat Data)", "Data centre"),
    },
    SecurityControlType: {
        "standard": ("Standar, Prosedur, dan Regulasi Keamanan", "Security standard or procedure"),
        "awareness": ("Edukasi Kesadaran Keamanan", "Security awareness"),
        "vulnerability": ("Identifikasi Kerentanan Keamanan", "Vulnerability assessment"),
        "hardening": ("Peningkatan Keamanan", "Security improvement"),
        "incident": ("Penanganan Insiden Keamanan", "Incident handling"),
        "audit": ("Audit Keamanan", "Security audit"),
        "assurance": ("Kelaikan Keamanan", "Security assurance"),
    },
    IntegrationMechanism: {
        "rest_api": ("REST API", "REST API"),
        "soap_api": ("SOAP API", "SOAP API"),
        "file_transfer": ("Transfer berkas", "File transfer"),
        "database_link": ("Tautan basis data", "Database link"),
        "message_queue": ("Antrean pesan", "Message queue"),
        "manual": ("Manual (input ulang)", "Manual (re-keying)"),
        "other": ("Lainnya", "Other"),
    },
    IntegrationDirection: {
        "one_way": ("Satu arah", "One way"),
        "two_way": ("Dua arah", "Two way"),
    },
    IntegrationStatus: {
        "proposed": ("Usulan", "Proposed"),
        "planned": ("Direncanakan", "Planned"),
        "active": ("Aktif", "Active"),
        "inactive": ("Tidak aktif", "Inactive"),
        "retired": ("Dihentikan", "Retired"),
    },
    ReferenceStatus: {
        "active": ("Berlaku", "In force"),
        "retired": ("Tidak berlaku", "Retired"),
    },
    Role: {
        "admin": ("Administrator", "Administrator"),
        "arsitek": ("Arsitek (Tim Koordinasi SPBE)", "Architect"),
        "operator": ("Operator OPD", "Unit operator"),
        "pimpinan": ("Pimpinan / peninjau", "Executive / viewer"),
    },
    ReviewVerdict: {
        "consolidate": ("Konsolidasikan", "Consolidate"),
        "shared_application": (
            "Aplikasi bersama (bukan duplikasi)",
            "Shared application (not a duplicate)",
        ),
        "not_duplicate": ("Bukan duplikasi", "Not a duplicate"),
        "accepted_risk": ("Risiko diterima", "Accepted risk"),
    },
    FindingState: {
        "open": ("Terbuka", "Open"),
        "reviewed": ("Sudah ditinjau", "Reviewed"),
        "reopened": ("Bukti berubah", "Evidence changed"),
    },
}


def label(value: StrEnum | str | None, enum: type[StrEnum] | None = None, lang: str = "id") -> str:
    """Human label of an enumeration value.

    >>> label(LifecycleStatus.ACTIVE)
    'Operasional'
    >>> label("tertutup", DataClassification, lang="en")
    'Closed'
    """
    if value is None:
        return ""
    cls = enum or type(value)
    pair = _LABELS.get(cls, {}).get(str(value))
    if pair is None:
        return str(value)
    return pair[1] if lang == "en" else pair[0]


def choices(enum: type[StrEnum], lang: str = "id") -> list[tuple[str, str]]:
    """``(value, label)`` pairs in declaration order, for forms and documentation."""
    return [(m.value, label(m, enum, lang)) for m in enum]
