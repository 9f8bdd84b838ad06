"""Small hand-built catalogues for the duplicate matcher's tests: one kota with a few units
and a background of unrelated applications. The matcher weighs words by how rare they are
in the catalogue, so two applications alone would make every word look common; twenty
others, as in any real inventory, do not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from catalog.analysis.duplicates import find_duplicates
from catalog.analysis.engine import analyze
from catalog.analysis.snapshot import Item, Link, Place, Snapshot, Unit

CITY = Place(7, "35.78", "Kota Surabaya", "kota")
OTHER_CITY = Place(8, "35.73", "Kota Malang", "kota")
UNITS = [
    Unit(1, "01", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", 7, short_name="BKPSDM"),
    Unit(2, "02", "Dinas Kesehatan", 7, short_name="Dinkes"),
    Unit(3, "03", "Dinas Pendidikan", 7, short_name="Dispendik"),
    Unit(4, "04", "Dinas Komunikasi dan Informatika", 7, short_name="Diskominfo"),
    Unit(5, "05", "Inspektorat", 7),
    Unit(6, "06", "Badan Perencanaan Pembangunan Daerah", 7, short_name="Bappeda"),
    Unit(7, "07", "Dinas Perhubungan", 7, short_name="Dishub"),
    Unit(8, "08", "Badan Pengelolaan Keuangan dan Aset Daerah", 7, short_name="BPKAD"),
    Unit(9, "09", "Dinas Kependudukan dan Pencatatan Sipil", 7, short_name="Dispendukcapil"),
    Unit(21, "01", "Badan Kepegawaian Daerah", 8, short_name="BKD"),
    Unit(22, "02", "Dinas Kesehatan", 8, short_name="Dinkes"),
]
# Unrelated applications of the same kota (ids from 100): the rest of the inventory.
BACKGROUND = [
    ("SIPD Lokal", "Penyusunan rencana kerja dan anggaran perangkat daerah", 6),
    ("e-Budgeting", "Penganggaran belanja daerah dan rincian kegiatan", 8),
    ("Sistem Informasi Parkir", "Retribusi parkir tepi jalan dan juru parkir", 7),
    ("e-Perizinan", "Permohonan izin usaha dan izin mendirikan bangunan", 4),
    ("Dapodik Sekolah", "Data pokok sekolah, guru dan peserta didik", 3),
    ("SIMRS", "Rekam medis pasien rawat jalan dan rawat inap rumah sakit", 2),
    ("Aplikasi Surveilans Penyakit", "Laporan kasus penyakit menular mingguan puskesmas", 2),
    ("Portal Open Data", "Publikasi kumpulan data terbuka untuk masyarakat", 4),
    ("e-Musrenbang", "Usulan pembangunan warga dari musyawarah kelurahan", 6),
    ("Sistem Pengaduan Masyarakat", "Keluhan warga tentang jalan rusak dan sampah", 4),
    ("Aplikasi Audit Internal", "Pemeriksaan reguler dan tindak lanjut temuan auditor", 5),
    ("e-Tilang Daerah", "Penindakan pelanggaran lalu lintas dengan kamera", 7),
    ("Aplikasi Persediaan Barang", "Stok alat tulis kantor dan barang pakai habis", 8),
    ("Sistem Penerimaan Peserta Didik Baru", "Pendaftaran siswa baru jalur zonasi", 3),
    ("Aplikasi Gizi Balita", "Pemantauan status gizi dan penimbangan balita posyandu", 2),
    ("e-Arsip", "Penyimpanan arsip statis dan dinamis hasil pindai", 4),
    ("Sistem Informasi Geografis Tata Ruang", "Peta rencana tata ruang wilayah dan zonasi", 6),
    ("Aplikasi Pajak Daerah", "Pendataan wajib pajak hotel restoran dan hiburan", 8),
    ("Command Center", "Pantauan kamera CCTV kota dan kanal darurat 112", 4),
    ("e-Monev", "Monitoring realisasi fisik dan keuangan kegiatan pembangunan", 6),
]


def background(instansi: int = 7, start: int = 100) -> list[Item]:
    return [
        Item(
            "application",
            start + k,
            f"BG-{instansi}-{k:02d}",
            name,
            instansi,
            owner_id=owner if instansi == 7 else 21,
            description=text_,
        )
        for k, (name, text_, owner) in enumerate(BACKGROUND)
    ]


def app(id_: int, name: str, owner: int, instansi: int = 7, **fields: Any) -> Item:
    """An application; ``fields`` are Item fields or, for anything else, attrs."""
    own = {
        k: fields.pop(k)
        for k in ("description", "status", "retired", "reference_code")
        if k in fields
    }
    return Item(
        "application", id_, f"APL-{id_:02d}", name, instansi, owner_id=owner, attrs=fields, **own
    )


def service(id_: int, name: str) -> Item:
    """A service of the kota, delivered by whatever links to it."""
    return Item("service", id_, f"LY-{id_:02d}", name, 7, owner_id=9)


def dataset(id_: int, name: str) -> Item:
    """A data set of the kota, produced or read by whatever links to it."""
    return Item("dataset", id_, f"DS-{id_:02d}", name, 7, owner_id=9)


def catalogue(
    apps: Iterable[Item], links: Iterable[Link] = (), *, places: Iterable[Place] = (CITY,)
) -> Snapshot:
    places = list(places)
    extra = [b for p in places for b in background(p.id, 100 if p.id == 7 else 200)]
    return Snapshot.build([*apps, *extra], links=links, units=UNITS, places=places)


def clusters(snapshot: Snapshot) -> list[list[str]]:
    """Clusters as lists of member codes (background applications never cluster)."""
    return [[m.item.code for m in c.members] for c in find_duplicates(snapshot)]


def duplicate_findings(snapshot: Snapshot) -> list[Any]:
    return analyze(snapshot, ["duplicate"])
