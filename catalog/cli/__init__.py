"""The ``katalog`` command line.

Every command module is imported here, for typer to see each command's options and help;
so the modules import only typer, the standard library and small catalog modules at the
top, and each command imports what it needs (database, alembic, services, exchange
formats, the web server) when it runs. ``katalog --help`` and a command's own start-up stay
a fraction of a second; tests/test_cli_startup.py keeps it so."""

from __future__ import annotations

import typer

from catalog import __version__
from catalog.cli import analysis, db, diagram, exchange, lookup, reference, users
from catalog.cli.common import one_command_process, set_database
from catalog.cli.demo import demo
from catalog.cli.organisations import instansi_app, opd_app
from catalog.cli.serve import serve

app = typer.Typer(
    name="katalog",
    help=(
        "Katalog SPBE: katalog arsitektur dan inventaris aplikasi pemerintah (SPBE).\n\n"
        "Catalogue of government enterprise architecture and applications (SPBE).\n\n"
        "Basis data: SQLite di ./katalog-data kecuali KATALOG_DATABASE_URL atau --database "
        "menyebut yang lain (mis. postgresql+psycopg://user@host/db)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"katalog {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    database: str = typer.Option(
        None,
        "--database",
        envvar="KATALOG_DATABASE_URL",
        help="Alamat basis data SQLAlchemy. / SQLAlchemy database URL.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Tampilkan versi."
    ),
) -> None:
    set_database(database)


app.command("serve")(serve)
app.command("demo")(demo)
app.command("import")(exchange.import_cmd)
app.command("export")(exchange.export_cmd)
app.command("export-template")(exchange.template_cmd)
app.command("analyze")(analysis.analyze_cmd)
app.command("diagram")(diagram.diagram_cmd)
app.add_typer(db.app, name="db")
app.add_typer(reference.app, name="reference")
app.add_typer(instansi_app, name="instansi")
app.add_typer(opd_app, name="opd")
app.add_typer(lookup.app, name="lookup")
app.add_typer(users.app, name="user")


def main() -> None:
    """The ``katalog`` script: one command per process."""
    one_command_process()
    app()
