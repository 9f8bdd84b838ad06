"""Moving the catalogue in and out: spreadsheets, catalogue-as-code, DCAT, evidence."""
