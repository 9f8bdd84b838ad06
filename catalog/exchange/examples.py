"""The template's example rows and instructions (Bahasa Indonesia).

Example codes start with ``CONTOH``: the importer skips such rows, so a template filled in
below its examples imports as it is.
"""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, dict[str, Any]] = {
    "instansi": {
        "code": "51.71",
        "name": "Kota Denpasar",
        "kind": "kota",
        "short_name": "Pemkot Denpasar",
    },
    "organisations": {
        "instansi": "51.71",
        "code": "CONTOH-030801",
        "name": "Dinas Komunikasi dan Informatika",
        "short_name": "Diskominfo",
        "kind": "dinas",
        "parent": "",
    },
    "processes": {
        "instansi": "51.71",
        "code": "CONTOH-PB",
        "name": "Pengelolaan Manajemen ASN",
        "description": "Perencanaan, pengadaan dan pengembangan karier ASN.",
        "owner": "040301",
        "status": "active",
        "reference_code": "RAB.09.06.01",
        "goal": "Meningkatnya kualitas ASN",
        "indicator": "Indeks Sistem Merit",
        "state": "as_is",
    },
    "services": {
        "instansi": "51.71",
        "code": "CONTOH-LY",
        "name": "Layanan Administrasi Kepegawaian",
        "owner": "040301",
        "status": "active",
        "reference_code": "RAL.02.04",
        "purpose": "Kenaikan pangkat, mutasi dan pensiun ASN.",
        "target": "asn",
        "method": "elektronik",
    },
    "datasets": {
        "instansi": "51.71",
        "code": "CONTOH-DS",
        "name": "Data Pegawai ASN",
        "owner": "040301",
        "status": "active",
        "reference_code": "RAD.09.06",
        "classification": "tertutup",
        "data_type": "lainnya",
        "update_schedule": "bulanan",
        "format": "database",
        "interoperable": "ya",
        "is_master": "ya",
        "is_reference": "tidak",
        "producer": "040301",
        "steward": "030801",
        "authoritative_application": "APL-0001",
    },
    "applications": {
        "instansi": "51.71",
        "code": "CONTOH-APL",
        "name": "SIMPEG (Sistem Informasi Manajemen Kepegawaian)",
        "description": "Mengelola data pegawai, riwayat pangkat dan jabatan.",
        "owner": "040301",
        "status": "active",
        "reference_code": "RAA.02.02",
        "acronym": "SIMPEG",
        "app_type": "khusus",
        "national_role": "none",
        "platform": "web",
        "licence_type": "milik_pemda",
        "programming_language": "PHP",
        "framework": "Laravel",
        "database": "MySQL",
        "url": "https://simpeg.denpasarkota.go.id",
        "year_built": 2019,
        "funding_source": "apbd",
        "contract_value": 150000000,
        "aliases": "e-Pegawai; Sistem Kepegawaian",
    },
    "infrastructure": {
        "instansi": "51.71",
        "code": "CONTOH-INF",
        "name": "SPL Pemkot (API Gateway)",
        "owner": "030801",
        "status": "active",
        "infra_type": "spl",
        "provider": "WSO2 API Manager",
        "deployment": "virtual",
        "url": "https://api.denpasarkota.go.id",
    },
    "security_controls": {
        "instansi": "51.71",
        "code": "CONTOH-KAM",
        "name": "Audit Keamanan SIMPEG",
        "owner": "030801",
        "status": "active",
        "control_type": "audit",
        "performed_on": "2024-10-01",
        "result": "Sesuai dengan catatan minor",
        "follow_up": "Perbaikan konfigurasi",
    },
    "integrations": {
        "instansi": "51.71",
        "code": "CONTOH-INT",
        "name": "SIMPEG → SIASN",
        "owner": "040301",
        "status": "active",
        "mechanism": "rest_api",
        "direction": "two_way",
        "provider": "APL-0001",
        "consumer": "BKN/SIASN",
        "intermediary": "INF-0002",
        "data_sets": "DS-0001",
        "started_on": "2023-01-15",
    },
    "relations": {
        "instansi": "51.71",
        "type": "delivered_by",
        "source_kind": "service",
        "source": "CONTOH-LY",
        "target_kind": "application",
        "target": "CONTOH-APL",
        "note": "Contoh: layanan diselenggarakan dengan aplikasi",
    },
}

INSTRUCTIONS = [
    "PETUNJUK PENGISIAN KATALOG SPBE",
    "Satu lembar per jenis item: Instansi, OPD, Proses Bisnis, Layanan, Data dan Informasi, "
    "Aplikasi, Infrastruktur, Keamanan, Integrasi, Relasi.",
    "Baris 1 berisi judul kolom, baris 2 penjelasan; isi data mulai baris 3. Baris contoh "
    "(kode diawali CONTOH) dilewati saat impor: boleh dihapus atau dibiarkan.",
    "Kolom berdaftar pilihan (status, jenis, basis, kode referensi…) memakai daftar tarik-turun; "
    "ketik nilainya atau pilih dari daftar.",
    "Kode OPD ditulis sebagai teks (mis. 030801): format kolom sebagai Teks agar angka nol di "
    "depan "
    "tidak hilang.",
    "Rujukan ke item lain memakai kodenya; untuk item instansi lain tulis KODEINSTANSI/KODE, "
    "mis. ANRI/SRIKANDI atau BKN/SIASN.",
    "Kolom Kode boleh kosong: kode dibuat otomatis. Baris dengan kode yang sudah ada memperbarui "
    "item itu; impor ulang berkas yang sama tidak mengubah apa pun.",
    "Jangan memakai rumus atau menggabungkan sel (merge): impor menolak keduanya.",
    "Impor berjalan semua-atau-tidak-sama-sekali: bila ada satu masalah, tidak ada yang disimpan "
    "dan "
    "semua masalah dilaporkan dengan lembar, baris dan kolomnya.",
    "",
    "INSTRUCTIONS (ENGLISH)",
    "One sheet per kind; row 1 headers, row 2 notes, data from row 3. Example rows (codes starting "
    "with CONTOH) are skipped. Refer to items of another instansi as INSTANSI/CODE. Imports are "
    "all or nothing; every problem is reported with sheet, row and column.",
]
