"""The bauxite stage in the chain: the seaborne stack that sets the marginal CIF at China's import
need (``LINKS``), and the figures it passes on (``OUTPUTS``).
"""
from __future__ import annotations

import numpy as np

from aluminium.links import Link, Output


def bauxite_stack(v, o) -> dict:
    """China's bauxite import need and the marginal CIF of the seaborne stack, by origin.

    Need = alumina output × bauxite per alumina × import dependency. Today's suppliers are those
    of 2025, with Indonesia's export ban in force: Guinea (its share of China's imports, article2026)
    and Australia, Brazil and others, together the reference imports, at today's Guinean CIF (FOB +
    freight + other). Lifting the ban returns Indonesia's pre-ban share; a Guinean disruption takes
    tonnes out. Beyond today's suppliers come Guinean restarts (up to their premium) and then
    distant origins: the CIF is that of the marginal tonne.
    """
    need_mt = v["alumina.output_kt"] / 1000 * v["alumina.bauxite_per_alumina_t_per_t"]
    imports = need_mt * v["bauxite.china_import_dependency_pct"] / 100
    ref = v["bauxite.china_imports_reference_mt"]
    banned = np.asarray(v["bauxite.indonesia_supply_removed"], dtype=float)
    guinea = np.maximum(ref * v["bauxite.guinea_share_of_imports_pct"] / 100 - v["bauxite.guinea_disruption_mt"], 0)
    others = ref * (1 - v["bauxite.guinea_share_of_imports_pct"] / 100)
    indonesia = (1 - banned) * ref * v["bauxite.indonesia_share_of_imports_pct"] / 100
    existing = guinea + others + indonesia
    guinea_cif = v["bauxite.fob_usd_t"] + v["bauxite.freight_usd_t"] + v["bauxite.other_delivery_cost_usd_t"]
    beyond = imports - existing
    restart = v["bauxite.guinea_restart_supply_mt"]
    into_restart = np.clip(beyond / np.maximum(restart, 1e-9), 0, 1)
    into_distant = np.clip((beyond - restart) / v["bauxite.distant_origin_volume_mt"], 0, 1)
    rp, dp = v["bauxite.restart_premium_usd_t"], v["bauxite.distant_origin_premium_usd_t"]
    cif = guinea_cif + rp * into_restart + np.maximum(dp - rp, 0) * into_distant
    marginal = np.where(beyond <= 0, 0, np.where(beyond <= restart, 1, 2))
    # Each tier has a volume: ore beyond today's suppliers, the restarts and the distant origins is not
    # there to buy, and the refineries that would have run on it stop.
    shortfall = np.maximum(beyond - restart - v["bauxite.distant_origin_volume_mt"], 0)
    cut = shortfall * 1000 / v["alumina.bauxite_per_alumina_t_per_t"]
    return {"bauxite.need_mt": need_mt, "bauxite.china_imports_mt": imports - shortfall,
            "bauxite.guinea_supply_mt": guinea + 0 * imports, "bauxite.indonesia_supply_mt": indonesia + 0 * imports,
            "bauxite.modelled_cif_usd_t": cif, "bauxite.marginal_source": marginal,
            "bauxite.shortfall_mt": shortfall + 0 * imports, "alumina.ore_shortfall_cut_kt": cut + 0 * imports}


MARGINAL_SOURCES = ("today's suppliers (Guinean CIF)", "Guinean restarts", "distant origins")


LINKS = (
    Link("bauxite stack", "bauxite", (), bauxite_stack,
         ("bauxite.need_mt", "bauxite.china_imports_mt", "bauxite.guinea_supply_mt", "bauxite.indonesia_supply_mt",
          "bauxite.modelled_cif_usd_t", "bauxite.marginal_source", "bauxite.shortfall_mt", "alumina.ore_shortfall_cut_kt")),
)


OUTPUTS = (
    Output("bauxite.need_mt", "Mt", "Bauxite China's alumina output needs, 2026"),
    Output("bauxite.china_imports_mt", "Mt", "China's bauxite imports, 2026"),
    Output("bauxite.guinea_supply_mt", "Mt", "Guinean bauxite in China's seaborne stack, 2026"),
    Output("bauxite.indonesia_supply_mt", "Mt", "Indonesian bauxite in China's seaborne stack, 2026 (0 with the ban)"),
    Output("bauxite.modelled_cif_usd_t", "USD/t", "Marginal CIF China bauxite price, 2026"),
    Output("bauxite.shortfall_mt", "Mt", "Bauxite China needs but no tier of the seaborne stack can supply, 2026"),
)
