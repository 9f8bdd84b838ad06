"""The only code that writes to the catalogue.

Every public function here is one transaction, validates before writing (raising a
:class:`~catalog.errors.CatalogError` that names each problem) and leaves a change
record with the object's state before and after.
"""

from catalog.services.context import Actor, cli_actor, system_actor
from catalog.services.items import create_item, get_item, restore_item, retire_item, update_item
from catalog.services.organisations import (
    create_instansi,
    create_organisation,
    retire_organisation,
    update_organisation,
)
from catalog.services.relations import link, unlink
from catalog.services.tx import transaction

__all__ = [
    "Actor",
    "cli_actor",
    "create_instansi",
    "create_item",
    "create_organisation",
    "get_item",
    "link",
    "restore_item",
    "retire_item",
    "retire_organisation",
    "system_actor",
    "transaction",
    "unlink",
    "update_item",
    "update_organisation",
]
