"""Data vintages: which edition of the World Bank prices a build used.

The data package carries a small extract of the World Bank monthly workbook (the "Pink
Sheet", CC BY 4.0), derived by :func:`aluminium.data.worldbank.derive_extract`, with its vintage
(the workbook's "Updated on" date, months covered, the workbook's checksum) in the catalogue.
``aluminium data add-worldbank FILE.xlsx`` validates a newer workbook and refreshes the
extract; a refused workbook leaves the old extract untouched. ``--set
pricing.worldbank_file=FILE`` reads a workbook for a single build instead.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from aluminium.data import reads, worldbank

LICENCE = "CC BY 4.0"


def add_worldbank(path: Path, data_dir: Path | None = None) -> dict:
    """Validate a World Bank monthly workbook and refresh the committed extract from it."""
    path = Path(path).expanduser().resolve()
    entry = worldbank.write_extract(path, data_dir)  # raises DataError naming file, sheet and row
    return {**entry, "workbook": str(path), "source": worldbank.SOURCE, "licence": LICENCE,
            "added": dt.date.today().isoformat()}


def worldbank_vintage(path: str = "") -> dict:
    """What the pricing chapter reads: a workbook given for this build, else the committed extract."""
    if path:
        return {"what": f"workbook {Path(path).name}, given with --set (not committed)",
                "updated_on": "", "first_month": "", "last_month": "",
                "workbook_sha256": reads.file_digest(Path(path)), "licence": LICENCE,
                "source": worldbank.SOURCE}
    return {"what": "the extract that ships with the book", **worldbank.extract_vintage(),
            "licence": LICENCE, "source": worldbank.SOURCE}
