"""Reading the catalogue: scopes, lists with filters, details, full-text search, counts.

Nothing here writes. The web layer and the CLI share these functions so that a page,
its JSON twin and a command answer the same question the same way.
"""
