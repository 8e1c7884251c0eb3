"""The claims file's rules (``data/claims.yaml``): each claim complete and typed, its relation one
the audit can judge, its id used once and starting with its chapter, its source a report of the
catalogue, and each input a table of the catalogue or a fact. Checked on the file's text; the
catalogue reads the file and supplies what the claims may name."""
from __future__ import annotations

import difflib

import yaml

from aluminium.errors import DataError
from aluminium.paths import CHAPTERS

# What a claim can assert of its recomputed value (the audit judges each, aluminium.audit).
RELATIONS = ("equals", "at_most", "at_least", "between")


_CLAIM_KEYS = {"id": str, "claim": str, "source": str, "unit": str, "inputs": list}
# claimed_value is required unless the claim is a range ("relation: between" with claimed_range).
_CLAIM_OPTIONAL = {"chapter": str, "location": str, "tolerance": (int, float), "method": str, "relation": str,
                   "claimed_value": (int, float), "claimed_range": list, "claim_fact": str, "not_recomputed": str}


def check(text: str, where: str, fact_ids: frozenset, facts_file: str, tables: frozenset,
          sources: frozenset) -> int:
    """The number of claims in a claims file's text, or a DataError naming its line and rule."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        claims = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise DataError(f"{where}: malformed YAML: {' '.join(str(exc).split())}") from None
    finally:
        loader.dispose()
    if not isinstance(claims, list) or not claims:
        raise DataError(f"{where}, line 1: expected a non-empty list of claims")
    first_line: dict[str, int] = {}
    for item, item_node in zip(claims, node.value):
        line = item_node.start_mark.line + 1
        at = f"{where}, line {line}"
        if not isinstance(item, dict):
            raise DataError(f"{at}: a claim must be a mapping of id, claim, source, claimed_value, unit, inputs …")
        cid = item.get("id")
        at = f"{at} (claim '{cid}')"
        for key, kind in [*_CLAIM_KEYS.items(), *_CLAIM_OPTIONAL.items()]:
            value = item.get(key)
            if value is None and key in _CLAIM_OPTIONAL:
                continue
            if value is None:
                raise DataError(f"{at}: '{key}' is missing")
            if not isinstance(value, kind) or isinstance(value, bool):
                expected = {str: "text", list: "list"}.get(kind, "number")
                raise DataError(f"{at}: '{key}' should be a {expected}, got {value!r:.40}")
        relation = item.get("relation", "equals")
        if relation not in RELATIONS:
            raise DataError(f"{at}: relation '{relation}' is not one of {', '.join(RELATIONS)}")
        needed = "claimed_range" if relation == "between" else "claimed_value"
        if item.get(needed) is None:
            raise DataError(f"{at}: '{needed}' is missing")
        rng = item.get("claimed_range")
        if rng is not None and not (len(rng) == 2 and all(isinstance(v, (int, float)) for v in rng)
                                    and rng[0] <= rng[1]):
            raise DataError(f"{at}: claimed_range should be [low, high], got {rng!r:.40}")
        if item.get("claim_fact") is not None and item["claim_fact"] not in fact_ids:
            raise DataError(f"{at}: claim_fact '{item['claim_fact']}' is not a fact in {facts_file}")
        if cid in first_line:
            raise DataError(f"{at}: claim id used twice (first at line {first_line[cid]})")
        first_line[cid] = line
        chapter = item.get("chapter", cid.split(".")[0])
        if chapter not in CHAPTERS or not cid.startswith(f"{chapter}."):
            raise DataError(f"{at}: the id must start with its chapter, one of {', '.join(CHAPTERS)}")
        if item["source"] not in sources:
            raise DataError(f"{at}: source '{item['source']}' is not a report of the catalogue "
                            f"({', '.join(sorted(sources))})")
        if not item["inputs"]:
            raise DataError(f"{at}: 'inputs' is empty; name the tables or facts the claim is recomputed from")
        for name in item["inputs"]:
            if name not in tables and name not in fact_ids:
                close = difflib.get_close_matches(str(name), [*tables, *fact_ids], n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise DataError(f"{at}: input '{name}' is neither a table of the catalogue nor a fact "
                                f"in {facts_file}{hint}")
    return len(claims)
