"""The chain: every stage's result flows downstream, to a price.

Bauxite → alumina → smelting → China's balance → price → import window, evaluated in
dependency order from the parameters in force. Each link is a small vectorised function:
it reads parameters (by full name, scalars or numpy arrays of one length) and the outputs of
the links before it, and returns its own outputs. So one call evaluates one chain or a
hundred thousand (``aluminium sweep``).

Where a chapter used to take an upstream *result* as a parameter (the alumina price in the
smelting cost, the bauxite CIF in the alumina cost, the Shanghai price in the import window),
that parameter is now an optional pin: unset, the chain's value is used; set, it overrides
the chain's value from that point down (``--set smelting.alumina_price_cny_t=3000``).

Units: kt and Mt of metal a year, USD/t and CNY/t, CNY/kWh.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from aluminium.params import Param

# The stages in the order material flows; the chapter each link's outputs are recorded in.
STAGES = ("bauxite", "alumina", "smelting", "demand", "pricing", "macro")


@dataclass(frozen=True)
class Link:
    name: str
    stage: str
    reads: tuple[str, ...]  # parameters (full names)
    needs: tuple[str, ...]  # links whose outputs it uses
    fn: Callable[[Mapping[str, object], Mapping[str, object]], dict]
    outputs: tuple[str, ...]


@dataclass(frozen=True)
class Output:
    id: str  # the key figure id
    unit: str
    label: str


# -- parameters the chain adds (coefficients and pins), declared with their chapter ---------------
def _fact_value(fid: str, field: str = "central") -> float:
    from aluminium.data.facts import fact

    f = fact(fid)
    return float(f.central if field == "central" else getattr(f, field))


def derive_reference_imports_mt() -> float:
    """China's bauxite imports the seaborne stack is sized on (Mt/yr): 2025 alumina output
    (94.4 Mt, article2026) × 2.5 t bauxite per t alumina (guohai2024) × 73 % import dependency
    (article2026's lower bound)."""
    return (_fact_value("alumina.china_output_2025_mt") * _fact_value("alumina.bauxite_per_alumina_t_per_t")
            * _fact_value("bauxite.china_import_dependency_pct_article2026", "low") / 100)


def derive_russian_imports_kt() -> float:
    """Russia's primary aluminium exports to China in 2025, annualised from Jan–Oct (kt)."""
    return _fact_value("smelting.russia_primary_exports_to_china_jan_oct_2025_kt") * 12 / 10


def derive_alumina_output_kt() -> float:
    """China's alumina output for the outlook year held at 2025's (article2026: 94.446 Mt), in kt."""
    return _fact_value("alumina.china_output_2025_mt") * 1000


PARAMETERS: list[Param] = [
    Param(name="bauxite.china_import_dependency_pct", type="float", unit="%",
          description="Share of the bauxite China's refineries use that is imported",
          fact="bauxite.china_import_dependency_pct_article2026", fact_field="low", minimum=0, maximum=100),
    Param(name="bauxite.guinea_share_of_imports_pct", type="float", unit="%",
          description="Guinea's share of China's bauxite imports (2025, with Indonesia's ban in force)",
          fact="bauxite.guinea_share_china_imports_pct", minimum=0, maximum=100),
    Param(name="bauxite.indonesia_share_of_imports_pct", type="float", unit="%",
          description="Indonesia's share of China's bauxite imports before its ban (returns if the ban is lifted)",
          fact="bauxite.indonesia_share_china_imports_pct_article2026", minimum=0, maximum=100),
    Param(name="bauxite.china_imports_reference_mt", type="float", unit="Mt/yr",
          description="China's bauxite imports at which today's suppliers (2025, Indonesia's ban in force) are fully used",
          derive=derive_reference_imports_mt,
          origin="Derived: 94.446 Mt alumina (2025, article2026) × 2.5 t/t (guohai2024) × 73 % import "
                 "dependency (article2026)", minimum=0, maximum=1000),
    Param(name="bauxite.guinea_restart_supply_mt", type="float", unit="Mt/yr",
          description="Extra Guinean supply from mine restarts, the next block of the seaborne stack",
          fact="bauxite.guinea_restart_supply_increase_2026_mt", minimum=0, maximum=200),
    Param(name="bauxite.restart_premium_usd_t", type="float", unit="USD/t",
          description="CIF premium of the last tonne from Guinean restarts over today's Guinean CIF",
          value=8.0, origin="ASSUMPTION (no report gives it): restarted mines haul further and pay start-up "
                            "costs; about an eighth of the 60–65 USD/t CIF (zijin2025)", minimum=0, maximum=100),
    Param(name="bauxite.distant_origin_premium_usd_t", type="float", unit="USD/t",
          description="CIF premium of distant origins (Brazil, Ghana, Montenegro…) over today's Guinean CIF",
          value=20.0, origin="ASSUMPTION (no report gives it): longer voyages and smaller mines; a third of "
                             "the Guinean CIF", minimum=0, maximum=200),
    Param(name="bauxite.distant_origin_volume_mt", type="float", unit="Mt/yr",
          description="Volume over which distant origins' premium is reached (seaborne stack)",
          value=30.0, origin="ASSUMPTION (no report gives it): of the order of China's non-Guinean, "
                             "non-Indonesian imports", minimum=1, maximum=500),
    Param(name="alumina.bauxite_cif_usd_t", type="float", unit="USD/t", pin_of="bauxite.modelled_cif_usd_t",
          description="Delivered (CIF China) bauxite price in the alumina cost; unset = the chain's CIF",
          origin="Pin: unset, the bauxite stage's marginal CIF is used", minimum=0, maximum=300),
    Param(name="alumina.output_kt", type="float", unit="kt",
          description="China's alumina output in the outlook year (2026)", derive=derive_alumina_output_kt,
          origin="Held at 2025's output, 94.446 Mt (article2026); 13 Mt of new capacity is due in 2026",
          minimum=0, maximum=300000),
    Param(name="alumina.net_exports_kt", type="float", unit="kt",
          description="China's net alumina exports in the outlook year",
          value=0.0, origin="ASSUMPTION: the reports give no alumina trade figure; 0 by default",
          minimum=-20000, maximum=20000),
    Param(name="alumina.surplus_scale_kt", type="float", unit="kt",
          description="Market surplus over which the alumina price moves most of the way from the "
                      "contract level to its cash cost",
          value=5000.0, origin="ASSUMPTION: article2026 and zijin2025 expect a surplus of over 10 Mt in 2026 to "
                               "hold the price at the cost line; half of it sets the scale", minimum=100,
          maximum=50000),
    Param(name="alumina.deficit_markup_pct_per_pct", type="float", unit="%",
          description="How far the alumina price rises above the ratio-contract level per 1 % of the smelters' "
                      "need the market is short",
          value=10.0, origin="ASSUMPTION (no report gives it): in the 2024 bauxite squeeze alumina reached about "
                             "5,500 CNY/t (zijin2025), some 70 % above a 16 % contract on an aluminium price near "
                             "20,000; a shortfall of about 7 % of need lifting the price that far gives 10; range 5–20",
          minimum=0, maximum=100),
    Param(name="smelting.block_cost_spread_pct", type="float", unit="%",
          description="Spread of plant costs inside each block of the cost curve (± around the block's cost)",
          value=5.0, origin="ASSUMPTION: the reports give no plant-level costs; ±5 % makes the curve rise "
                            "inside a block instead of in steps", minimum=0, maximum=30),
    Param(name="macro.shanghai_price_cny_t", type="float", unit="CNY/t", pin_of="pricing.modelled_price_cny_t",
          description="Shanghai aluminium price in the import window; unset = the book's modelled price",
          origin="Pin: unset, the pricing stage's modelled 2026 price is used", minimum=0, maximum=60000),
    Param(name="macro.import_response_kt_per_kcny_t", type="float", unit="kt per 1,000 CNY/t",
          description="Change in China's net primary imports per 1,000 CNY/t of import window",
          value=500.0, origin="ASSUMPTION (no report gives it): 2024's 1.96 Mt of net imports came with a "
                              "window near zero; a window of −4,000 CNY/t takes them to the floor",
          minimum=0, maximum=5000),
    Param(name="macro.net_imports_floor_kt", type="float", unit="kt",
          description="Net primary imports that continue with the window shut (contracted Russian metal)",
          derive=lambda: derive_russian_imports_kt(),
          origin="Derived: Russia's 1,576.6 kt of primary exports to China in Jan–Oct 2025 (zijin2025), "
                 "annualised (× 12/10); they kept coming in 2025 with the window shut", minimum=-5000, maximum=5000),
    Param(name="demand.semis_export_response_kt_per_kcny_t", type="float", unit="kt per 1,000 CNY/t",
          description="Extra net exports of semis and products per 1,000 CNY/t that Shanghai sits further "
                      "below import parity than usual (export parity pulls metal abroad)",
          value=300.0, origin="ASSUMPTION (no report gives it): China exported 7.5 Mt of semis and products in "
                              "Jan–Oct 2025 (zijin2025), about 9 Mt a year; a home price 1,000 CNY/t (about 5 %) "
                              "further below world parity lifts them by about a thirtieth. Range 0–1,000.",
          minimum=0, maximum=3000),
    Param(name="macro.window_open_max_cny_t", type="float", unit="CNY/t",
          description="Most the import window opens (Shanghai above import parity) before imports flood in: the "
                      "price's ceiling is parity plus this",
          value=500.0, origin="ASSUMPTION (no report gives it): when the window opened in 2020 and in 2022–23, "
                              "metal arrived within weeks and closed it; about 500 CNY/t (2.5 % of the price) pays "
                              "an importer well. Range 0–2,000 CNY/t; the back-test error is 4.7 % at 0, 6.1 % at "
                              "500 and 8.7 % at 1,000 (the history holds no Shanghai series to pin it)",
          minimum=0, maximum=5000),
    Param(name="smelting.southwest_drought_cut_kt", type="float", unit="kt/yr",
          description="Output lost in the year by south-west hydro smelters to a drought (curtailed by order)",
          value=0.0, origin="No drought in the base case; the south-west's running capacity fell by 2,229 kt "
                            "(Apr–Nov 2021), 1,355 kt (Jul–Oct 2022) and 1,130 kt (Nov 2023) in past droughts "
                            "(guohai2024's provincial table)", minimum=0, maximum=20000),
    Param(name="smelting.curtailment_response_pct", type="float", unit="%",
          description="Share of the loss-making (under-water) capacity that curtails within the year",
          value=50.0, origin="ASSUMPTION (no report gives it): pots are costly to stop and restart, so smelters "
                             "ride out short losses; in 2015 and in Q2 2020, when a large part of China's capacity "
                             "ran below cash cost, cuts came over months, not at once. Range 20–100 %.",
          minimum=0, maximum=100),
]


# -- links ------------------------------------------------------------------------------------
def _pinned(v: Mapping, name: str, modelled):
    value = v.get(name)
    return modelled if value is None else value


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


def smelter_output(v, o) -> dict:
    """The output China's smelters could make in the outlook year (kt): the cap × utilisation, less
    what a south-west drought takes (the market link then curtails loss-making plants)."""
    from aluminium.stages.demand import supply_kt

    potential = supply_kt(v["smelting.capacity_cap_kt"], v["demand.utilisation_pct"])
    hydro, _ = _southwest_kt()
    scale = potential / np.maximum(v["smelting.running_capacity_kt"], 1e-9)
    drought = np.minimum(v["smelting.southwest_drought_cut_kt"], hydro * scale)
    return {"smelting.potential_output_2026_kt": potential - drought, "smelting.drought_cut_kt": drought}


def alumina_market(v, o) -> dict:
    """Alumina need at the smelters' output, the market surplus, cash cost and price.

    Cash cost of the marginal refinery (one running on imported ore at the marginal CIF: with about
    three quarters of the ore imported, domestic-ore refineries run first) = bauxite per alumina ×
    CIF × CNY/USD + energy + caustic soda, lime and other.
    The price sits between the cash cost (a large surplus "breaks through" to cost, zijin2025)
    and the ratio-contract level (contract ratio × the chain's aluminium price): the weight on the
    contract level is 1 / (1 + exp(surplus / scale)), a half at a balanced market.
    """
    cif = _pinned(v, "alumina.bauxite_cif_usd_t", o["bauxite.modelled_cif_usd_t"])
    # The smelters' output and the aluminium price are the market's (from the previous pass of the
    # chain, :func:`evaluate`); on the first pass, the potential output and the declared price.
    output = o.get("smelting.output_2026_kt", o["smelting.potential_output_2026_kt"])
    aluminium = _pinned(v, "smelting.aluminium_price_cny_t",
                        o.get("pricing.modelled_price_cny_t", _FIRST_PASS_ALUMINIUM_CNY_T))
    need = output * v["smelting.alumina_t_per_t"]
    # Refineries short of ore make less; the smelters' need is taken at the output the cap allows
    # when alumina is short (dear alumina would curtail some smelters and ease it; left out, so that
    # the short market is priced against the need it has to meet).
    produced = v["alumina.output_kt"] - o["alumina.ore_shortfall_cut_kt"]
    at_cap = o["smelting.potential_output_2026_kt"] * v["smelting.alumina_t_per_t"]
    need = np.where(o["alumina.ore_shortfall_cut_kt"] > 0, at_cap, need)
    surplus = produced - v["alumina.net_exports_kt"] - need
    cost = (v["alumina.bauxite_per_alumina_t_per_t"] * cif * v["macro.usd_cny"]
            + v["alumina.energy_cost_cny_t"] + v["alumina.caustic_soda_lime_other_cny_t"])
    contract = v["alumina.contract_ratio_pct"] / 100 * aluminium
    weight = 1 / (1 + np.exp(np.clip(surplus / v["alumina.surplus_scale_kt"], -50, 50)))
    price = cost + np.maximum(contract - cost, 0) * weight
    # A market short of alumina leaves the band: the price rises above the contract level with the
    # share of the smelters' need it cannot meet.
    short_pct = np.maximum(-surplus, 0) / np.maximum(need, 1e-9) * 100
    price = price + contract * v["alumina.deficit_markup_pct_per_pct"] / 100 * short_pct
    return {"alumina.output_after_ore_kt": produced + 0 * price,
            "alumina.need_kt": need, "alumina.market_surplus_kt": surplus, "alumina.modelled_cash_cost_cny_t": cost,
            "alumina.contract_level_cny_t": contract, "alumina.modelled_price_cny_t": price,
            "alumina.aluminium_price_in_contract_cny_t": aluminium + 0 * price}


# The first pass of the chain needs an aluminium price before the market has set one: a round
# level inside the 2025 Shanghai range (zijin2025: 20,000–21,100); the second pass replaces it
# with the market's price, so it only sets where the iteration starts.
_FIRST_PASS_ALUMINIUM_CNY_T = 20000.0


_COST_READS = ("smelting.anode_price_cny_t", "smelting.alumina_t_per_t", "smelting.power_kwh_per_t",
               "smelting.anode_t_per_t", "smelting.other_costs_cny_t")


@functools.lru_cache(maxsize=1)
def _southwest_kt() -> tuple[float, float]:
    from aluminium.data import catalogue

    sw = catalogue.load("smelting-southwest-running-capacity-2024-09").set_index("province")["running_capacity_kt"]
    return float(sw[["Yunnan", "Sichuan"]].sum()), float(sw[["Guangxi", "Guizhou"]].sum())


def china_blocks(v) -> tuple[list[str], list, list]:
    """China's cost-curve blocks: names, capacities (kt/yr) and power prices (CNY/kWh).

    The split of :func:`aluminium.stages.smelting.cost_curve_blocks` (the smelting chapter's curve),
    written on arrays so that a sweep can vary running capacity and the captive share."""
    hydro, sw_grid = _southwest_kt()
    rest = np.maximum(v["smelting.running_capacity_kt"] - hydro - sw_grid, 0)
    captive = rest * v["smelting.captive_share_of_rest_pct"] / 100
    names = ["south-west hydro", "south-west grid", "north-west captive coal", "grid elsewhere"]
    caps = [hydro, sw_grid, captive, rest - captive]
    # The national average power price moves every block by the same amount (a coal or tariff
    # change reaches all of them); the block prices set the spread between them.
    shift = v["smelting.power_price_cny_kwh"] - national_power_default()
    power = [v["smelting.hydro_power_price_cny_kwh"] + shift, v["smelting.grid_power_price_cny_kwh"] + shift,
             v["smelting.captive_power_price_cny_kwh"] + shift, v["smelting.grid_power_price_cny_kwh"] + shift]
    return names, caps, power


@functools.lru_cache(maxsize=1)
def national_power_default() -> float:
    """The national average power price's default (CNY/kWh), from which a set value shifts the blocks."""
    from aluminium.stages.smelting import derive_power_price_cny_kwh

    return float(derive_power_price_cny_kwh())


def marginal_cost(costs: np.ndarray, caps: np.ndarray, quantity, spread_pct) -> tuple[np.ndarray, np.ndarray]:
    """Cost of the marginal tonne on a cost curve, per run (vectorised over rows).

    ``costs`` and ``caps`` are (runs × blocks); blocks are stacked cheapest first, and inside a
    block plant costs run from cost × (1 − spread) to cost × (1 + spread). Returns the
    marginal cost (CNY/t) and the index of the marginal block. A quantity beyond the curve
    takes the dearest plant.
    """
    order = np.argsort(costs, axis=1, kind="stable")
    c = np.take_along_axis(costs, order, axis=1)
    k = np.take_along_axis(caps, order, axis=1)
    cost, idx = marginal_cost_sorted(c, k, quantity, spread_pct)
    return cost, order[np.arange(c.shape[0]), idx]


def marginal_cost_sorted(c: np.ndarray, k: np.ndarray, quantity, spread_pct) -> tuple[np.ndarray, np.ndarray]:
    """:func:`marginal_cost` on blocks already sorted cheapest first; returns the sorted index."""
    end = np.cumsum(k, axis=1)
    q = np.asarray(quantity, dtype=float).reshape(-1)
    idx = np.minimum((end < q[:, None]).sum(axis=1), c.shape[1] - 1)
    rows = np.arange(c.shape[0])
    size = k[rows, idx]
    within = np.clip((q - (end[rows, idx] - size)) / np.maximum(size, 1e-9), 0, 1)
    s = np.asarray(spread_pct, dtype=float).reshape(-1) / 100
    return c[rows, idx] * (1 - s + 2 * s * within), idx


def smelting_cost(v, o) -> dict:
    """Average cash cost and China's cost curve at the alumina price from upstream (or its pin)."""
    from aluminium.stages.smelting import COST_INPUTS, cash_cost

    alumina = _pinned(v, "smelting.alumina_price_cny_t", o["alumina.modelled_price_cny_t"])
    # The smelting parameters, with the alumina price from upstream and the power price per block.
    inputs = {name: v[f"smelting.{name}"] for name in COST_INPUTS if name != "power_price_cny_kwh"}
    inputs["alumina_price_cny_t"] = alumina
    average = cash_cost(power_price_cny_kwh=v["smelting.power_price_cny_kwh"], **inputs)
    _, caps, power = china_blocks(v)
    costs = [cash_cost(power_price_cny_kwh=np.maximum(p, 0), **inputs) for p in power]
    return {"smelting.alumina_price_in_cost_cny_t": alumina, "smelting.modelled_cash_cost_cny_t": average,
            "_block_costs": costs, "_block_caps": caps}


def china_demand(v, o) -> dict:
    """China's primary demand in 2026 (kt): the demand model's default, the stock-reconciled
    2025 level carried forward at its drivers' 2025→2026 growth (:func:`aluminium.stages.demand.demand_2026_kt`)."""
    from aluminium.stages import demand

    values = {name.split(".", 1)[1]: v[name] for name in DEMAND_READS}
    return {"demand.demand_2026_kt": demand.demand_2026_kt(values)["reconciled_2026"]}


def _demand_reads() -> tuple[str, ...]:
    from aluminium.stages.demand import SECTORS

    return (*(f"demand.growth_{s}_pct" for s in SECTORS), "demand.vehicle_al_growth_2025_pct",
            "demand.vehicle_al_growth_2026_pct", "demand.pv_growth_2025_pct", "demand.pv_growth_2026_pct",
            "demand.storage_added_2026_kt")


DEMAND_READS = _demand_reads()


def balance_weight(tightness_pct, midpoint_pct, scale_pct):
    """Where the price sits between the cost floor (0) and import parity (1): a logistic in the
    balance's tightness (deficit as % of demand; a surplus is negative), ``1 / (1 + exp(−(t − mid) / scale))``."""
    z = (np.asarray(tightness_pct, dtype=float) - midpoint_pct) / np.maximum(scale_pct, 1e-9)
    return 1 / (1 + np.exp(-np.clip(z, -50, 50)))


def price_in_band(floor_cny_t, ceiling_cny_t, weight):
    """The Shanghai price: the cost floor, raised toward the import ceiling by the balance weight (0–1).

    The ceiling is import parity plus the most the window opens before imports flood in; where the
    floor is above it (China's cost above world parity), the ceiling wins and the dear plants curtail."""
    low = np.minimum(floor_cny_t, ceiling_cny_t)
    return low + (ceiling_cny_t - low) * weight


def curtailed_share(costs, price, spread_pct, response_pct):
    """Share of each block's output lost to curtailment at a price (runs × blocks).

    Inside a block plant costs run from cost × (1 − spread) to cost × (1 + spread); the plants above
    the price are under water, and ``response`` % of them stop within the year."""
    s = np.maximum(np.asarray(spread_pct, dtype=float).reshape(-1, 1) / 100, 1e-9)
    p = np.asarray(price, dtype=float).reshape(-1, 1)
    under = np.clip((costs * (1 + s) - p) / (2 * s * costs), 0, 1)
    return under * np.asarray(response_pct, dtype=float).reshape(-1, 1) / 100


# Damped fixed-point steps of the market (price → curtailment, trade → balance → price). The
# map contracts fast (a 1,000 CNY/t price error moves the balance by well under 1 % of demand);
# 30 steps from parity, then 12 from the previous pass's price, leave the price within 0.5 CNY/t
# of the fixed point on every shipped scenario (tested). The counts are fixed, so one run and a
# sweep's row agree to the last digit.
MARKET_ITERATIONS = 30
MARKET_ITERATIONS_WARM = 12


def market(v, o) -> dict:
    """China's market in the outlook year: output, trade, balance, the Shanghai price and the window.

    One price view. The LME price in force and the dated exchange rate give import parity,
    ``(LME + premium) × CNY/USD × (1 + duty) × (1 + VAT) + fees``. The Shanghai price sits between
    a cost floor (the plant at ``pricing.floor_percentile_pct`` of China's cash-cost curve at the
    output the market runs) and an import ceiling (parity + ``macro.window_open_max_cny_t``):
    ``floor + (ceiling − floor) × w`` (:func:`price_in_band`), with ``w`` a
    logistic in the balance's tightness (:func:`balance_weight`). A surplus pulls it down to the
    floor, a deficit up toward parity, in both directions. The balance answers back:

    - smelters whose cash cost is above the price curtail (``smelting.curtailment_response_pct`` of
      the plants under water), the south-west having already lost its drought tonnes;
    - net primary imports follow the window (Shanghai − parity) around the window of a basis of
      one (Shanghai = LME × CNY/USD × 1.13, as on average in 2024), never below the contracted floor;
    - net exports of semis and products rise as Shanghai falls further below parity.

    Solved by damped iteration on whole arrays. The Shanghai/LME basis, Shanghai ÷ (LME × CNY/USD
    × (1 + VAT)), is reported: it ties the two prices of the one view.
    """
    from aluminium.stages.macro import import_parity_cny_t

    demand_kt, potential = o["demand.demand_2026_kt"], o["smelting.potential_output_2026_kt"]
    lme, fx, vat = v["macro.lme_price_usd_t"], v["macro.usd_cny"], v["macro.vat_pct"]
    parity = import_parity_cny_t(lme, fx, vat, v["macro.import_duty_pct"], v["macro.import_premium_usd_t"],
                                 v["macro.import_fees_cny_t"])
    n = max(np.size(x) for x in [potential, demand_kt, parity, *o["_block_costs"], *o["_block_caps"],
                                 *(v[name] for name in _MARKET_READS)])
    costs = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (n,)) for c in o["_block_costs"]])
    caps = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (n,)) for c in o["_block_caps"]])
    # The blocks at the output the cap and utilisation allow; the drought's tonnes come out of the
    # south-west hydro block (the first).
    caps = caps * (np.broadcast_to(potential + o["smelting.drought_cut_kt"], (n,))
                   / np.maximum(caps.sum(axis=1), 1e-9))[:, None]
    caps[:, 0] = np.maximum(caps[:, 0] - np.broadcast_to(o["smelting.drought_cut_kt"], (n,)), 0)
    spread, response = v["smelting.block_cost_spread_pct"], v["smelting.curtailment_response_pct"]
    ref, resp, floor_kt = v["demand.net_imports_kt"], v["macro.import_response_kt_per_kcny_t"], v["macro.net_imports_floor_kt"]
    x_resp = v["demand.semis_export_response_kt_per_kcny_t"]
    # The window at a basis of one: what 2024's net imports came with.
    window_ref = lme * fx * (1 + vat / 100) - parity
    mid, scale = v["pricing.balance_midpoint_pct"], v["pricing.balance_scale_pct"]
    ceiling = parity + v["macro.window_open_max_cny_t"]
    pctl = np.asarray(v["pricing.floor_percentile_pct"], dtype=float) / 100
    pinned = v.get("macro.shanghai_price_cny_t")
    # Sorted once (the block costs do not change inside the market), cheapest first.
    order = np.argsort(costs, axis=1, kind="stable")
    costs, caps = np.take_along_axis(costs, order, axis=1), np.take_along_axis(caps, order, axis=1)
    previous = o.get("pricing.modelled_price_cny_t")  # a later pass starts from the last pass's price
    start = parity if previous is None else previous
    price = np.broadcast_to(np.asarray(start, dtype=float), (n,)).copy()
    for _ in range(MARKET_ITERATIONS if previous is None else MARKET_ITERATIONS_WARM):
        running = caps * (1 - curtailed_share(costs, price, spread, response))
        output = running.sum(axis=1)
        floor, block = marginal_cost_sorted(costs, running, pctl * output, spread)
        shanghai = price if pinned is None else np.broadcast_to(np.asarray(pinned, dtype=float), (n,))
        window = shanghai - parity
        net_imports = np.maximum(ref + resp * (window - window_ref) / 1000, floor_kt)
        semis = -x_resp * (window - window_ref) / 1000
        balance = output + net_imports - semis - demand_kt
        tightness = -balance / demand_kt * 100
        weight = balance_weight(tightness, mid, scale)
        price = 0.5 * price + 0.5 * price_in_band(floor, ceiling, weight)
    block = order[np.arange(n), block]
    shanghai = price if pinned is None else np.broadcast_to(np.asarray(pinned, dtype=float), (n,))
    window = shanghai - parity
    basis = shanghai / (lme * fx * (1 + vat / 100))
    return {"smelting.output_2026_kt": output, "smelting.curtailed_kt": np.broadcast_to(potential, (n,)) - output,
            "demand.net_imports_2026_kt": net_imports, "demand.semis_exports_change_kt": semis,
            "demand.balance_2026_kt": balance, "pricing.tightness_pct": tightness, "pricing.balance_weight": weight,
            "pricing.cost_floor_cny_t": floor, "pricing.marginal_block": block,
            "pricing.modelled_price_cny_t": price,
            "pricing.modelled_price_low_cny_t": price * (1 + v["pricing.price_band_low_pct"] / 100),
            "pricing.modelled_price_high_cny_t": price * (1 + v["pricing.price_band_high_pct"] / 100),
            "pricing.modelled_margin_cny_t": price - o["smelting.modelled_cash_cost_cny_t"],
            "pricing.shanghai_lme_basis": basis,
            "macro.import_parity_cny_t": parity, "macro.import_window_cny_t": window}


_MARKET_READS = ("macro.lme_price_usd_t", "macro.usd_cny", "macro.vat_pct", "macro.import_duty_pct",
                 "macro.import_premium_usd_t", "macro.import_fees_cny_t", "macro.window_open_max_cny_t",
                 "pricing.balance_midpoint_pct",
                 "pricing.balance_scale_pct", "pricing.floor_percentile_pct", "demand.net_imports_kt",
                 "macro.import_response_kt_per_kcny_t", "macro.net_imports_floor_kt",
                 "demand.semis_export_response_kt_per_kcny_t", "smelting.block_cost_spread_pct",
                 "smelting.curtailment_response_pct", "macro.shanghai_price_cny_t",
                 "pricing.price_band_low_pct", "pricing.price_band_high_pct")

LINKS: tuple[Link, ...] = (
    Link("smelter output", "smelting", ("smelting.capacity_cap_kt", "demand.utilisation_pct",
                                        "smelting.southwest_drought_cut_kt", "smelting.running_capacity_kt"), (),
         smelter_output, ("smelting.potential_output_2026_kt", "smelting.drought_cut_kt")),
    Link("bauxite stack", "bauxite",
         ("alumina.output_kt", "alumina.bauxite_per_alumina_t_per_t", "bauxite.china_import_dependency_pct",
          "bauxite.indonesia_supply_removed", "bauxite.china_imports_reference_mt",
          "bauxite.indonesia_share_of_imports_pct", "bauxite.fob_usd_t", "bauxite.freight_usd_t",
          "bauxite.other_delivery_cost_usd_t", "bauxite.guinea_restart_supply_mt", "bauxite.distant_origin_volume_mt",
          "bauxite.restart_premium_usd_t", "bauxite.distant_origin_premium_usd_t", "bauxite.guinea_share_of_imports_pct",
          "bauxite.guinea_disruption_mt"), (), bauxite_stack,
         ("bauxite.need_mt", "bauxite.china_imports_mt", "bauxite.guinea_supply_mt", "bauxite.indonesia_supply_mt",
          "bauxite.modelled_cif_usd_t", "bauxite.marginal_source", "bauxite.shortfall_mt", "alumina.ore_shortfall_cut_kt")),
    Link("alumina market", "alumina",
         ("alumina.bauxite_cif_usd_t", "smelting.alumina_t_per_t", "alumina.output_kt", "alumina.net_exports_kt",
          "alumina.bauxite_per_alumina_t_per_t", "macro.usd_cny", "alumina.energy_cost_cny_t",
          "alumina.caustic_soda_lime_other_cny_t", "alumina.contract_ratio_pct", "smelting.aluminium_price_cny_t",
          "alumina.surplus_scale_kt", "alumina.deficit_markup_pct_per_pct"),
         ("smelter output", "bauxite stack", "market"), alumina_market,
         ("alumina.output_after_ore_kt",
          "alumina.need_kt", "alumina.market_surplus_kt", "alumina.modelled_cash_cost_cny_t", "alumina.contract_level_cny_t",
          "alumina.modelled_price_cny_t", "alumina.aluminium_price_in_contract_cny_t")),
    Link("smelting cost", "smelting",
         ("smelting.alumina_price_cny_t", "smelting.power_price_cny_kwh", *_COST_READS,
          "smelting.running_capacity_kt", "smelting.captive_share_of_rest_pct", "smelting.hydro_power_price_cny_kwh",
          "smelting.captive_power_price_cny_kwh", "smelting.grid_power_price_cny_kwh"), ("alumina market",), smelting_cost,
         ("smelting.alumina_price_in_cost_cny_t", "smelting.modelled_cash_cost_cny_t")),
    Link("china demand", "demand", DEMAND_READS, (), china_demand, ("demand.demand_2026_kt",)),
    Link("market", "pricing", _MARKET_READS,
         ("smelter output", "smelting cost", "china demand"), market,
         ("smelting.output_2026_kt", "smelting.curtailed_kt", "demand.net_imports_2026_kt", "demand.semis_exports_change_kt",
          "demand.balance_2026_kt", "pricing.tightness_pct", "pricing.balance_weight", "pricing.cost_floor_cny_t",
          "pricing.marginal_block", "pricing.modelled_price_cny_t", "pricing.modelled_price_low_cny_t",
          "pricing.modelled_price_high_cny_t", "pricing.modelled_margin_cny_t", "pricing.shanghai_lme_basis",
          "macro.import_parity_cny_t", "macro.import_window_cny_t")),
)

OUTPUTS: tuple[Output, ...] = (
    Output("bauxite.need_mt", "Mt", "Bauxite China's alumina output needs, 2026"),
    Output("bauxite.china_imports_mt", "Mt", "China's bauxite imports, 2026"),
    Output("bauxite.guinea_supply_mt", "Mt", "Guinean bauxite in China's seaborne stack, 2026"),
    Output("bauxite.indonesia_supply_mt", "Mt", "Indonesian bauxite in China's seaborne stack, 2026 (0 with the ban)"),
    Output("bauxite.modelled_cif_usd_t", "USD/t", "Marginal CIF China bauxite price, 2026"),
    Output("bauxite.shortfall_mt", "Mt", "Bauxite China needs but no tier of the seaborne stack can supply, 2026"),
    Output("alumina.ore_shortfall_cut_kt", "kt", "Alumina output lost for want of ore, 2026"),
    Output("alumina.output_after_ore_kt", "kt", "China's alumina output after any ore shortfall, 2026"),
    Output("alumina.need_kt", "kt", "Alumina the smelters need at their 2026 output"),
    Output("alumina.market_surplus_kt", "kt", "Alumina market surplus, 2026 (output − net exports − need)"),
    Output("alumina.modelled_cash_cost_cny_t", "CNY/t", "Alumina cash cost at the modelled bauxite CIF"),
    Output("alumina.modelled_price_cny_t", "CNY/t", "Modelled alumina price, 2026"),
    Output("alumina.aluminium_price_in_contract_cny_t", "CNY/t", "Aluminium price the ratio contract is set on (the chain's)"),
    Output("smelting.potential_output_2026_kt", "kt", "Output the cap and utilisation allow, 2026, less drought losses"),
    Output("smelting.drought_cut_kt", "kt", "Output lost to a south-west drought, 2026"),
    Output("smelting.output_2026_kt", "kt", "China's primary output, 2026 (after loss-making plants curtail)"),
    Output("smelting.curtailed_kt", "kt", "Output curtailed because plants are under water at the price, 2026"),
    Output("smelting.modelled_cash_cost_cny_t", "CNY/t", "Average smelting cash cost at the modelled alumina price"),
    Output("demand.demand_2026_kt", "kt", "China's primary demand, 2026"),
    Output("demand.net_imports_2026_kt", "kt", "China's net primary imports, 2026 (following the window)"),
    Output("demand.semis_exports_change_kt", "kt", "Change in net exports of semis and products, 2026 (following the window)"),
    Output("demand.balance_2026_kt", "kt", "China's primary balance, 2026 (surplus +)"),
    Output("pricing.tightness_pct", "% of demand", "Tightness of China's balance, 2026 (deficit as % of demand)"),
    Output("pricing.balance_weight", "fraction", "Where the price sits between cost floor (0) and import parity (1)"),
    Output("pricing.cost_floor_cny_t", "CNY/t", "Cost floor: the percentile plant of China's cash-cost curve"),
    Output("pricing.modelled_price_cny_t", "CNY/t", "The book's modelled Shanghai aluminium price, 2026"),
    Output("pricing.modelled_price_low_cny_t", "CNY/t", "Modelled price, low end (backtest errors)"),
    Output("pricing.modelled_price_high_cny_t", "CNY/t", "Modelled price, high end (backtest errors)"),
    Output("pricing.modelled_margin_cny_t", "CNY/t", "Smelting margin at the modelled price"),
    Output("pricing.shanghai_lme_basis", "ratio", "Shanghai ÷ (LME × CNY/USD × 1.13): the basis tying the two prices"),
    Output("macro.import_parity_cny_t", "CNY/t", "Import parity of the LME price in force (premium, fees, VAT)"),
    Output("macro.import_window_cny_t", "CNY/t", "Import window at the modelled Shanghai price (positive = open)"),
)
OUTPUT_IDS = tuple(o.id for o in OUTPUTS)


# -- evaluation -----------------------------------------------------------------------------------
def values_in_force(overrides: Mapping[str, object] | None = None, names=None) -> dict:
    """Parameter values (defaults, then the checked overrides), by full name: every parameter,
    or only ``names`` (a chapter need not derive defaults it does not use, nor read their data)."""
    from aluminium import params

    reg = params.registry()
    values = {name: reg[name].default() for name in (reg if names is None else names)}
    values.update(params.validate(dict(overrides or {})))
    return values


# The chain has one loop: the market's aluminium price and output feed back into the alumina
# market (the ratio contract, the alumina need). The links are run in order PASSES times, each
# pass reading the market of the one before; the feedback is weak (a 1,000 CNY/t change of the
# aluminium price moves the alumina price by tens of CNY/t): the second pass moves the price by a few
# CNY/t, the third by well under 0.01, so the contract's price and the market's agree to the
# CNY/t a reader sees (tested).
PASSES = 3


def evaluate(values: Mapping[str, object], links=None, passes: int = PASSES) -> dict:
    """The links (all, or the given ones) in dependency order, ``passes`` times; returns their
    outputs (arrays where any input is an array)."""
    out: dict = {}
    for _ in range(passes):
        for link in LINKS if links is None else links:
            out.update(link.fn(values, out))
    return {k: out[k] for k in out if not k.startswith("_")}


def run(overrides: Mapping[str, object] | None = None, stage: str | None = None) -> dict:
    """The chain at the parameters in force, every output as a float; with ``stage``, only the
    links that stage's figures depend on."""
    if stage is None:
        values, links = values_in_force(overrides), None
    else:
        links = upstream_links(stage)
        values = values_in_force(overrides, {p for link in links for p in link.reads})
        links = [link for link in LINKS if link in links]
    return {k: float(np.asarray(v).reshape(-1)[0]) for k, v in evaluate(values, links).items()}


def _with_needs(names: list[str]) -> list[Link]:
    """The named links and every link they need, transitively, in chain order."""
    by_name = {link.name: link for link in LINKS}
    seen: set[str] = set()
    while names:
        name = names.pop()
        if name not in seen:
            seen.add(name)
            names.extend(by_name[name].needs)
    return [link for link in LINKS if link.name in seen]


def upstream_links(stage: str) -> list[Link]:
    """The links a stage's chain figures depend on: those that compute them, and all they need."""
    return _with_needs([link.name for link in LINKS if any(o.startswith(f"{stage}.") for o in link.outputs)])


def parameters_of(output_id: str) -> set[str]:
    """Every parameter one chain output depends on (the reads of its link and the links it needs)."""
    links = [link.name for link in LINKS if output_id in link.outputs]
    if not links:
        raise KeyError(f"no chain link computes '{output_id}'")
    return {p for link in _with_needs(links) for p in link.reads}


def upstream_parameters(stage: str) -> list[str]:
    """Names of every parameter upstream of a stage's chain figures (sorted)."""
    return sorted({name for link in upstream_links(stage) for name in link.reads})


def outputs_of(stage: str) -> list[Output]:
    return [o for o in OUTPUTS if o.id.split(".", 1)[0] == stage]


def stage_figures(stage: str, overrides: Mapping[str, object] | None = None) -> dict:
    """The chain outputs a chapter records, at the parameters in force."""
    result = run(overrides)
    return {o.id: result[o.id] for o in outputs_of(stage)}


def stage_table(stage: str, results: Mapping[str, float]):
    """The chain's figures for one stage as a table a reader reads: ``figure``, ``value``, ``unit``."""
    import pandas as pd

    from aluminium.numbers import fmt

    # Each row in its own unit's precision (a column of mixed units cannot share one).
    return pd.DataFrame([{"figure": o.label, "value": fmt(results[o.id], o.unit, show_unit=False), "unit": o.unit}
                         for o in outputs_of(stage)])


def show_stage(ch, skip: tuple[str, ...] = ()) -> None:
    """Record a chapter's chain figures (those not recorded by the chapter itself, ``skip``) and
    show them with the parameters they came from."""
    results = ch.params.chain
    for o in outputs_of(ch.name):
        if o.id not in skip:
            ch.record(o.id, results[o.id], o.unit, o.label)
    ch.table(stage_table(ch.name, results), name="chain-figures",
             title=f"The chain at the parameters in force: what the {ch.name} stage passes on",
             source="the book's chain model at the parameters in force")
