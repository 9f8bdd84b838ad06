"""katalog user: accounts, roles and API tokens."""

from __future__ import annotations

import sys

import typer

from catalog.cli.common import console, fail, session
from catalog.enums import Role
from catalog.errors import CatalogError, InvalidInput

app = typer.Typer(
    help="Akun pengguna, peran dan token API. / User accounts, roles and API tokens.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Kata sandi / password", hide_input=True, confirmation_prompt=True)


def _scope(s, instansi: str | None, opd: str | None) -> tuple[int | None, int | None]:  # type: ignore[no-untyped-def]
    from catalog.queries.scope import find_instansi, find_organisation

    inst = find_instansi(s, instansi) if instansi else None
    org = find_organisation(s, inst.id if inst else None, opd) if opd else None
    return (inst.id if inst else (org.instansi_id if org else None)), (org.id if org else None)


@app.command("add")
def add_cmd(
    username: str = typer.Argument(..., help="Nama pengguna (huruf kecil, angka, . _ -)."),
    full_name: str = typer.Option(..., "--name", help="Nama lengkap."),
    email: str = typer.Option(None, "--email", help="Surel."),
    role: Role = typer.Option(
        None, "--role", help="Peran awal: admin, arsitek, operator, pimpinan."
    ),
    instansi: str = typer.Option(None, "--instansi", "-i", help="Instansi cakupan peran."),
    opd: str = typer.Option(None, "--opd", help="OPD cakupan peran operator."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Baca kata sandi dari stdin (untuk skrip)."
    ),
) -> None:
    """Tambah pengguna (kata sandi diminta, minimal 10 karakter). Pengguna admin pertama:
    `katalog user add admin --name "Administrator" --role admin`. / Add a user; the first
    administrator is created the same way."""
    from catalog.services.accounts import create_user, grant_role
    from catalog.services.context import cli_actor

    try:
        password = _password(password_stdin)
        with session() as s:
            actor = cli_actor()
            inst_id, org_id = _scope(s, instansi, opd)
            user = create_user(s, actor, username, full_name, password, email=email)
            if role is not None:
                grant_role(s, actor, user.id, role, instansi_id=inst_id, organisation_id=org_id)  # type: ignore[arg-type]
            console.print(f"Pengguna '{user.username}' dibuat (id {user.id}).")
    except CatalogError as exc:
        fail(exc)


@app.command("list")
def list_cmd() -> None:
    """Daftar pengguna dengan perannya. / List users and their roles."""
    from rich.table import Table
    from sqlalchemy import select

    from catalog.models import Instansi, Organisation, RoleMembership, User

    try:
        with session() as s:
            table = Table("pengguna", "nama", "aktif", "peran", "login terakhir")
            names = {i.id: i.code for i in s.execute(select(Instansi)).scalars()}
            units = {o.id: o.code for o in s.execute(select(Organisation)).scalars()}
            for user in s.execute(select(User).order_by(User.username)).scalars():
                roles = s.execute(
                    select(RoleMembership).where(RoleMembership.user_id == user.id)
                ).scalars()
                shown = ", ".join(
                    str(m.role)
                    + (f"@{names.get(m.instansi_id)}" if m.instansi_id else "")
                    + (f"/{units.get(m.organisation_id)}" if m.organisation_id else "")
                    for m in roles
                )
                table.add_row(
                    user.username,
                    user.full_name,
                    "ya" if user.is_active else "tidak",
                    shown,
                    user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "",
                )
            console.print(table)
    except CatalogError as exc:
        fail(exc)


@app.command("set-role")
def set_role_cmd(
    username: str = typer.Argument(..., help="Nama pengguna."),
    role: Role = typer.Argument(..., help="admin, arsitek, operator atau pimpinan."),
    instansi: str = typer.Option(None, "--instansi", "-i", help="Instansi cakupan."),
    opd: str = typer.Option(None, "--opd", help="OPD cakupan (wajib untuk operator)."),
    remove: bool = typer.Option(False, "--remove", help="Cabut peran ini (semua cakupannya)."),
) -> None:
    """Beri atau cabut peran, terbatas pada instansi atau OPD. / Grant or revoke a role,
    scoped to an instansi or a unit."""
    from catalog.services.accounts import find_user, grant_role, revoke_roles
    from catalog.services.context import cli_actor

    try:
        with session() as s:
            user = find_user(s, username)
            if remove:
                n = revoke_roles(s, cli_actor(), user.id, role)  # type: ignore[arg-type]
                console.print(f"{n} peran '{role}' dicabut dari {user.username}.")
                return
            inst_id, org_id = _scope(s, instansi, opd)
            grant_role(s, cli_actor(), user.id, role, instansi_id=inst_id, organisation_id=org_id)  # type: ignore[arg-type]
            console.print(
                f"{user.username} kini {role}" + (f" di {instansi or opd}" if inst_id else "") + "."
            )
    except CatalogError as exc:
        fail(exc)


@app.command("disable")
def disable_cmd(
    username: str = typer.Argument(..., help="Nama pengguna."),
    enable: bool = typer.Option(False, "--enable", help="Aktifkan kembali."),
) -> None:
    """Nonaktifkan (atau aktifkan kembali) akun; sesi dan tokennya langsung berhenti
    berlaku. / Disable (or re-enable) an account; its sessions and tokens stop at once."""
    from catalog.services.accounts import find_user, set_active
    from catalog.services.context import cli_actor

    try:
        with session() as s:
            user = find_user(s, username)
            set_active(s, cli_actor(), user.id, enable)  # type: ignore[arg-type]
            console.print(f"{user.username} {'aktif' if enable else 'dinonaktifkan'}.")
    except CatalogError as exc:
        fail(exc)


@app.command("password")
def password_cmd(
    username: str = typer.Argument(..., help="Nama pengguna."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Baca dari stdin."),
) -> None:
    """Ganti kata sandi (semua sesi lama berakhir). / Change a password (ends old sessions)."""
    from catalog.services.accounts import find_user, set_password
    from catalog.services.context import cli_actor

    try:
        password = _password(password_stdin)
        with session() as s:
            user = find_user(s, username)
            set_password(s, cli_actor(), user.id, password)  # type: ignore[arg-type]
            console.print(f"Kata sandi {user.username} diganti.")
    except CatalogError as exc:
        fail(exc)


@app.command("token")
def token_cmd(
    username: str = typer.Argument(..., help="Nama pengguna pemilik token."),
    name: str = typer.Option(None, "--name", help="Nama token baru, mis. 'skrip impor'."),
    days: int = typer.Option(
        None, "--days", min=1, help="Berlaku sekian hari (default: tanpa batas)."
    ),
    revoke: int = typer.Option(None, "--revoke", help="Cabut token dengan id ini."),
    show: bool = typer.Option(False, "--list", help="Tampilkan token pengguna ini."),
) -> None:
    """Buat, daftar atau cabut token API (Authorization: Bearer …). Token hanya
    ditampilkan sekali. / Create, list or revoke API tokens; a token is shown only once."""
    from rich.table import Table
    from sqlalchemy import select

    from catalog.models import ApiToken
    from catalog.services.accounts import create_token, find_user, revoke_token
    from catalog.services.context import cli_actor

    try:
        with session() as s:
            user = find_user(s, username)
            if revoke is not None:
                revoke_token(s, cli_actor(), revoke)
                console.print(f"Token {revoke} dicabut.")
            elif show:
                table = Table("id", "nama", "awal", "dibuat", "berakhir", "dipakai", "dicabut")
                for t in s.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalars():
                    fmt = lambda d: d.strftime("%Y-%m-%d") if d else ""  # noqa: E731
                    table.add_row(
                        str(t.id),
                        t.name,
                        t.prefix + "…",
                        fmt(t.created_at),
                        fmt(t.expires_at),
                        fmt(t.last_used_at),
                        fmt(t.revoked_at),
                    )
                console.print(table)
            elif name:
                new = create_token(s, cli_actor(), user.id, name, days=days)  # type: ignore[arg-type]
                console.print(f"Token '{name}' (id {new.record.id}) untuk {user.username}:")
                print(new.token)
                console.print(
                    "Simpan sekarang: token tidak dapat ditampilkan lagi. / Store it now."
                )
            else:
                raise InvalidInput(
                    "Sebutkan --name (buat), --list atau --revoke ID.",
                    "Give --name (create), --list or --revoke ID.",
                    field="name",
                )
    except CatalogError as exc:
        fail(exc)
