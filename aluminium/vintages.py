"""Data vintages: which edition of each source a build used.

The data package's tables carry their as-of dates in the catalogue. A World Bank monthly
workbook (the "Pink Sheet") is not part of the repository: ``aluminium data add-worldbank
FILE.xlsx`` validates its layout, records its vintage (the workbook's "Updated on" date,
last month, checksum, source, licence) in ``.aluminium/sources.yaml`` (local, not committed)
and makes it the default of ``pricing.worldbank_file``. A registered file that has changed
since it was added is refused until it is added again, so a build never uses an unrecorded
vintage.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import yaml

from . import catalogue
from .errors import DataError
from .paths import ROOT

LICENCE = "CC BY 4.0"
_UPDATED = re.compile(r"Updated on\s+(\w+ \d{1,2}, \d{4})")


def registry_path() -> Path:
    return Path(os.environ.get("ALUMINIUM_SOURCES", ROOT / ".aluminium" / "sources.yaml"))


def registered() -> dict:
    path = registry_path()
    if not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected a mapping of source names to vintages")
    return doc


def _updated_on(title: str) -> str:
    m = _UPDATED.search(title or "")
    if not m:
        return ""
    return dt.datetime.strptime(m.group(1), "%B %d, %Y").date().isoformat()


def add_worldbank(path: Path) -> dict:
    """Validate a World Bank monthly workbook and register it as the pricing chapter's source."""
    from . import worldbank

    path = Path(path).expanduser().resolve()
    prices = worldbank.load_monthly(path)  # raises DataError naming the file, sheet and row
    entry = {
        "path": str(path),
        "sha256": catalogue.file_digest(path),
        "updated_on": _updated_on(prices.attrs.get("vintage", "")),
        "title_row": prices.attrs.get("vintage", ""),
        "first_month": str(prices["month"].min()),
        "last_month": str(prices["month"].max()),
        "series_checked": sorted(prices["series"].unique().tolist()),
        "source": worldbank.SOURCE,
        "licence": LICENCE,
        "added": dt.date.today().isoformat(),
    }
    doc = registered()
    doc["worldbank"] = entry
    reg = registry_path()
    reg.parent.mkdir(parents=True, exist_ok=True)
    reg.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return entry


def worldbank_default() -> str:
    """Default of ``pricing.worldbank_file``: the registered workbook, if it is unchanged."""
    entry = registered().get("worldbank")
    if not entry:
        return ""
    path = Path(entry["path"])
    if not path.exists():
        raise DataError(f"{registry_path()}: the registered World Bank workbook {path} is missing; "
                        "run `aluminium data add-worldbank FILE` again")
    if catalogue.file_digest(path) != entry["sha256"]:
        raise DataError(f"{path}: the World Bank workbook changed since it was registered "
                        f"(vintage {entry.get('updated_on') or '?'}); run `aluminium data add-worldbank {path}` again")
    return str(path)


def worldbank_vintage(path: str) -> dict | None:
    """The recorded vintage of a workbook path, or what can be said of an unregistered one."""
    if not path:
        return None
    entry = registered().get("worldbank")
    if entry and Path(entry["path"]) == Path(path).resolve():
        return entry
    return {"path": str(path), "sha256": catalogue.file_digest(Path(path)), "updated_on": "",
            "source": "World Bank workbook given with --set (not registered with add-worldbank)",
            "licence": LICENCE}
