"""Infrastructure (data centre, SPL, network, servers…) and security controls of one
generated instansi, and where each application is hosted."""

from __future__ import annotations

import random

from catalog.demo.plan import InstansiPlan, Planned

SPL_PRODUCTS = ("WSO2 API Manager", "Kong Gateway", "Apache APISIX", "Tyk Gateway")
CLOUDS = ("PDN (Pusat Data Nasional)", "Telkom Sigma", "Lintasarta Cloudeka", "Biznet Gio")
OS = ("Ubuntu Server 22.04 LTS", "Rocky Linux 9", "Debian 12", "CentOS 7", "Windows Server 2019")
DB = ("MySQL 8.0", "MariaDB 10.6", "PostgreSQL 15", "Microsoft SQL Server 2019")


def _infra(plan: InstansiPlan, owner: str, infra_type: str, name: str, **fields) -> Planned:  # type: ignore[no-untyped-def]
    return plan.new(
        "infrastructure",
        {"name": name, "infra_type": infra_type, "status": "active", **fields},
        owner_id=owner,
    )


def plan_estate(plan: InstansiPlan, rng: random.Random, richness: float = 1.0) -> dict[str, str]:
    """Infrastructure items; returns the keys later steps need (``spl``, ``dc``)."""
    units = plan.units
    place = plan.place
    owner = units.first("diskominfo") or units.units[0].key
    n_apps = plan.count("application")
    dc = _infra(
        plan,
        owner,
        "data_centre",
        f"Pusat Data {place.pemda}",
        location=f"Gedung Diskominfo, {place.place}",
        tier=rng.choice(["Tier I", "Tier II", "Tier III"]),
        specification="Ruang server dengan UPS, genset, pendingin presisi dan pemadam api",
    )
    spl = _infra(
        plan,
        owner,
        "spl",
        f"SPL {place.pemda} (API Gateway)",
        provider=rng.choice(SPL_PRODUCTS),
        url=f"https://api.{place.domain}",
        description="Sistem Penghubung Layanan: gerbang API dan katalog layanan untuk pertukaran "
        "data antaraplikasi, terhubung ke SPLP nasional.",
        deployment="virtual",
    )
    plan.relate("hosted_on", spl.key, dc.key)
    intra = _infra(
        plan,
        owner,
        "intranet",
        f"Jaringan Intra {place.pemda}",
        description="Jaringan tertutup yang menghubungkan perangkat daerah dengan pusat data.",
    )
    plan.relate("depends_on", spl.key, intra.key)
    for name in ("Core Switch Pusat Data", "Router Internet", "Switch Distribusi Gedung Utama")[
        : 1 + n_apps // 60
    ]:
        item = _infra(
            plan, owner, "network_device", name, location="Pusat Data", quantity=rng.randint(1, 4)
        )
        plan.relate("part_of", item.key, intra.key)
    firewall = _infra(
        plan, owner, "security_device", "Firewall Pusat Data (NGFW)", location="Pusat Data"
    )
    plan.relate("hosted_on", firewall.key, dc.key)
    if n_apps > 40:
        _infra(plan, owner, "security_device", "Web Application Firewall", deployment="virtual")
        _infra(
            plan,
            owner,
            "storage",
            "Storage SAN Pusat Data",
            specification=f"{rng.choice([24, 48, 96])} TB",
        )
        _infra(plan, owner, "peripheral", "UPS Pusat Data", quantity=2)
        _infra(
            plan,
            owner,
            "utility_software",
            "Perangkat Lunak Cadangan (Backup)",
            licence_type="proprietary",
        )
    os_item = _infra(
        plan,
        owner,
        "operating_system",
        f"Sistem Operasi {rng.choice(OS)}",
        licence_type="open_source",
    )
    db_item = _infra(
        plan, owner, "database_system", f"Basis Data {rng.choice(DB)}", licence_type="open_source"
    )
    hosts = []
    for i in range(max(1, n_apps // 25)):
        host = _infra(
            plan,
            owner,
            "server",
            f"Server Virtualisasi {i + 1:02d}",
            deployment="fisik",
            location="Pusat Data",
            specification=f"{rng.choice([32, 48, 64])} core, {rng.choice([256, 384, 512])} GB RAM",
        )
        plan.relate("hosted_on", host.key, dc.key)
        hosts.append(host)
    vms = []
    for i in range(max(2, n_apps // 5)):
        vm = _infra(
            plan,
            owner,
            "server",
            f"VM Aplikasi {i + 1:02d}",
            deployment="virtual",
            specification=f"{rng.choice([2, 4, 8])} vCPU, {rng.choice([4, 8, 16])} GB RAM",
        )
        plan.relate("hosted_on", vm.key, hosts[i % len(hosts)].key)
        plan.relate("depends_on", vm.key, os_item.key)
        vms.append(vm)
    cloud = None
    if n_apps > 20:
        cloud = _infra(
            plan,
            owner,
            "cloud",
            f"Layanan Komputasi Awan {rng.choice(CLOUDS)}",
            deployment="awan",
            provider=rng.choice(CLOUDS),
        )
    # Every OPD's own access switch to the government intranet.
    for unit in units.units:
        if unit.parent is None and rng.random() < 0.5 * richness:
            switch = _infra(
                plan,
                unit.key,
                "network_device",
                f"Switch Akses {unit.short or unit.name}"[:300],
                location=unit.name[:300],
            )
            plan.relate("part_of", switch.key, intra.key)
    rooms: dict[str, Planned] = {}
    for role in ("rsud", "bapenda", "dinkes"):
        unit = units.first(role)
        if unit and n_apps > 40 and rng.random() < 0.5:
            room = _infra(
                plan,
                unit,
                "data_centre",
                f"Ruang Server {units.get(unit).short or units.get(unit).name}",
                tier="Tier I",
                location=units.get(unit).name,
            )
            server = _infra(
                plan,
                unit,
                "server",
                f"Server {units.get(unit).short or units.get(unit).name}",
                deployment="fisik",
            )
            plan.relate("hosted_on", server.key, room.key)
            rooms[unit] = server
    # Where each application runs; some have no recorded hosting at all.
    for i, app in enumerate(plan.items.get("application", [])):
        roll = rng.random()
        if app.meta.get("channel"):
            continue
        if roll < 0.06:
            continue
        if app.refs["owner_id"] in rooms and roll < 0.5:
            plan.relate("hosted_on", app.key, rooms[app.refs["owner_id"]].key)
        elif cloud is not None and roll > 0.95:
            plan.relate("hosted_on", app.key, cloud.key)
        else:
            plan.relate("hosted_on", app.key, vms[i % len(vms)].key)
            if app.fields.get("database") and rng.random() < 0.3:
                plan.relate("depends_on", app.key, db_item.key)
    return {"spl": spl.key, "dc": dc.key}


def plan_security(plan: InstansiPlan, rng: random.Random) -> None:
    units = plan.units
    owner = units.first("diskominfo") or units.units[0].key
    place = plan.place
    year = rng.randint(2022, 2025)
    _sec(
        plan,
        owner,
        "standard",
        f"Kebijakan Sistem Manajemen Keamanan Informasi {place.pemda}",
        standard="SNI ISO/IEC 27001",
        performed_on=f"{year - 1}-03-01",
    )
    _sec(
        plan,
        owner,
        "awareness",
        f"Sosialisasi Keamanan Informasi bagi ASN {year}",
        performed_on=f"{year}-05-20",
        result="Diikuti perwakilan seluruh perangkat daerah",
    )
    apps = [a for a in plan.items.get("application", []) if not a.meta.get("channel")]
    for app in rng.sample(apps, k=max(1, len(apps) // 10)) if apps else []:
        name = app.fields["acronym"] or app.fields["name"]
        item = _sec(
            plan,
            owner,
            "vulnerability",
            f"Penilaian Kerentanan {name}"[:300],
            assessment_type=rng.choice(["Vulnerability Assessment", "Penetration Test"]),
            performed_on=f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            result=rng.choice(
                [
                    "2 kerentanan tinggi, 5 sedang",
                    "Tidak ada kerentanan kritis",
                    "1 kerentanan kritis (SQL injection)",
                ]
            ),
            follow_up=rng.choice(["Perbaikan selesai", "Dalam perbaikan", None]),
        )
        plan.relate("protects", item.key, app.key)
    for app in rng.sample(apps, k=max(1, len(apps) // 25)) if apps else []:
        name = app.fields["acronym"] or app.fields["name"]
        item = _sec(
            plan,
            owner,
            "audit",
            f"Audit Keamanan {name}"[:300],
            assessment_type="Audit keamanan SPBE",
            performed_on=f"{year}-10-0{rng.randint(1, 9)}",
            result="Sesuai dengan catatan minor",
        )
        plan.relate("protects", item.key, app.key)
    for i in range(rng.randint(0, 2) + len(apps) // 80):
        app = rng.choice(apps) if apps else None
        item = _sec(
            plan,
            owner,
            "incident",
            f"Penanganan Insiden Siber {year}-{i + 1:02d}",
            assessment_type=rng.choice(
                ["Defacement", "Malware", "Serangan DDoS", "Kebocoran data"]
            ),
            performed_on=f"{year}-0{rng.randint(1, 9)}-0{rng.randint(1, 9)}",
            result="Ditangani bersama CSIRT daerah",
        )
        if app:
            plan.relate("protects", item.key, app.key)
    if apps:
        item = _sec(
            plan,
            owner,
            "assurance",
            f"Sertifikat Kelaikan Keamanan {rng.choice(apps).fields['name']}"[:300],
            performed_on=f"{year}-11-01",
            valid_until=f"{year + 2}-11-01",
        )
    _sec(
        plan,
        owner,
        "hardening",
        f"Peningkatan Keamanan Pusat Data {year}",
        result="Segmentasi jaringan dan pemasangan WAF",
    )


def _sec(plan: InstansiPlan, owner: str, control_type: str, name: str, **fields) -> Planned:  # type: ignore[no-untyped-def]
    return plan.new(
        "security",
        {
            "name": name,
            "control_type": control_type,
            "status": "active",
            **{k: v for k, v in fields.items() if v is not None},
        },
        owner_id=owner,
    )
