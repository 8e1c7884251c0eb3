/* The Aluminium Chain Book: the chain (aluminium/chain.py) evaluated in the reader's browser.
 *
 * A hand-written port of the Python links, one run at a time (scalars, not arrays). The data it
 * needs (parameter defaults, block capacities, the demand model's base levels, the iteration
 * counts) come from the page's JSON island, written at build time by aluminium/book/explore.py;
 * nothing is copied here by hand. tests/test_explore_parity.py evaluates this file in Chromium on
 * every shipped scenario and 1,000 random draws and fails on any output that differs from
 * aluminium.chain by more than 1e-9 (relative), or on a link, output or parameter this file lacks.
 */
(function (root) {
  "use strict";

  function clip(x, lo, hi) { return Math.min(Math.max(x, lo), hi); }
  function pinned(v, name, modelled) { var x = v[name]; return x === null || x === undefined ? modelled : x; }

  // The parameters each link reads (full names), as in aluminium.chain.LINKS; the parity test
  // compares these lists with the Python ones, so a new parameter fails it until ported.
  var READS = {
    "bauxite stack": ["alumina.output_kt", "alumina.bauxite_per_alumina_t_per_t", "bauxite.china_import_dependency_pct",
                      "bauxite.indonesia_supply_removed", "bauxite.china_imports_reference_mt",
                      "bauxite.indonesia_share_of_imports_pct", "bauxite.fob_usd_t", "bauxite.freight_usd_t",
                      "bauxite.other_delivery_cost_usd_t", "bauxite.guinea_restart_supply_mt",
                      "bauxite.distant_origin_volume_mt", "bauxite.restart_premium_usd_t",
                      "bauxite.distant_origin_premium_usd_t", "bauxite.guinea_share_of_imports_pct",
                      "bauxite.guinea_disruption_mt"],
    "smelter output": ["smelting.capacity_cap_kt", "demand.utilisation_pct", "smelting.southwest_drought_cut_kt",
                       "smelting.running_capacity_kt"],
    "alumina market": ["alumina.bauxite_cif_usd_t", "smelting.alumina_t_per_t", "alumina.output_kt",
                       "alumina.net_exports_kt", "alumina.bauxite_per_alumina_t_per_t", "macro.usd_cny",
                       "alumina.energy_cost_cny_t", "alumina.caustic_soda_lime_other_cny_t",
                       "alumina.contract_ratio_pct", "smelting.aluminium_price_cny_t", "alumina.surplus_scale_kt",
                       "alumina.deficit_markup_pct_per_pct"],
    "smelting cost": ["smelting.alumina_price_cny_t", "smelting.power_price_cny_kwh", "smelting.anode_price_cny_t",
                      "smelting.alumina_t_per_t", "smelting.power_kwh_per_t", "smelting.anode_t_per_t",
                      "smelting.other_costs_cny_t", "smelting.running_capacity_kt",
                      "smelting.captive_share_of_rest_pct", "smelting.hydro_power_price_cny_kwh",
                      "smelting.captive_power_price_cny_kwh", "smelting.grid_power_price_cny_kwh"],
    "china demand": null,  // the demand model's growth rates: filled from the island's sectors below
    "market": ["macro.lme_price_usd_t", "macro.usd_cny", "macro.vat_pct", "macro.import_duty_pct",
               "macro.import_premium_usd_t", "macro.import_fees_cny_t", "macro.window_open_max_cny_t",
               "pricing.balance_midpoint_pct", "pricing.balance_scale_pct", "pricing.floor_percentile_pct",
               "demand.net_imports_kt", "macro.import_response_kt_per_kcny_t", "macro.net_imports_floor_kt",
               "demand.semis_export_response_kt_per_kcny_t", "smelting.block_cost_spread_pct",
               "smelting.curtailment_response_pct", "macro.shanghai_price_cny_t", "pricing.price_band_low_pct",
               "pricing.price_band_high_pct"]
  };
  var DEMAND_DRIVERS = ["demand.vehicle_al_growth_2025_pct", "demand.vehicle_al_growth_2026_pct",
                        "demand.pv_growth_2025_pct", "demand.pv_growth_2026_pct", "demand.storage_added_2026_kt"];

  function reads(K) {
    var out = {};
    Object.keys(READS).forEach(function (k) {
      out[k] = READS[k] || K.demand.sectors.map(function (s) { return "demand.growth_" + s[0] + "_pct"; })
        .concat(DEMAND_DRIVERS);
    });
    return out;
  }

  // -- links (aluminium.chain) -------------------------------------------------------------------
  function smelterOutput(v, o, K) {
    var potential = v["smelting.capacity_cap_kt"] * v["demand.utilisation_pct"] / 100;
    var scale = potential / Math.max(v["smelting.running_capacity_kt"], 1e-9);
    var drought = Math.min(v["smelting.southwest_drought_cut_kt"], K.southwest_hydro_kt * scale);
    o["smelting.potential_output_2026_kt"] = potential - drought;
    o["smelting.drought_cut_kt"] = drought;
  }

  function bauxiteStack(v, o) {
    var needMt = v["alumina.output_kt"] / 1000 * v["alumina.bauxite_per_alumina_t_per_t"];
    var imports = needMt * v["bauxite.china_import_dependency_pct"] / 100;
    var ref = v["bauxite.china_imports_reference_mt"];
    var banned = v["bauxite.indonesia_supply_removed"] ? 1 : 0;
    var gshare = v["bauxite.guinea_share_of_imports_pct"];
    var guinea = Math.max(ref * gshare / 100 - v["bauxite.guinea_disruption_mt"], 0);
    var others = ref * (1 - gshare / 100);
    var indonesia = (1 - banned) * ref * v["bauxite.indonesia_share_of_imports_pct"] / 100;
    var existing = guinea + others + indonesia;
    var guineaCif = v["bauxite.fob_usd_t"] + v["bauxite.freight_usd_t"] + v["bauxite.other_delivery_cost_usd_t"];
    var beyond = imports - existing;
    var restart = v["bauxite.guinea_restart_supply_mt"];
    var intoRestart = clip(beyond / Math.max(restart, 1e-9), 0, 1);
    var intoDistant = clip((beyond - restart) / v["bauxite.distant_origin_volume_mt"], 0, 1);
    var rp = v["bauxite.restart_premium_usd_t"], dp = v["bauxite.distant_origin_premium_usd_t"];
    var cif = guineaCif + rp * intoRestart + Math.max(dp - rp, 0) * intoDistant;
    var shortfall = Math.max(beyond - restart - v["bauxite.distant_origin_volume_mt"], 0);
    o["bauxite.need_mt"] = needMt;
    o["bauxite.china_imports_mt"] = imports - shortfall;
    o["bauxite.guinea_supply_mt"] = guinea;
    o["bauxite.indonesia_supply_mt"] = indonesia;
    o["bauxite.modelled_cif_usd_t"] = cif;
    o["bauxite.marginal_source"] = beyond <= 0 ? 0 : beyond <= restart ? 1 : 2;
    o["bauxite.shortfall_mt"] = shortfall;
    o["alumina.ore_shortfall_cut_kt"] = shortfall * 1000 / v["alumina.bauxite_per_alumina_t_per_t"];
  }

  function aluminaMarket(v, o, K) {
    var cif = pinned(v, "alumina.bauxite_cif_usd_t", o["bauxite.modelled_cif_usd_t"]);
    var output = "smelting.output_2026_kt" in o ? o["smelting.output_2026_kt"] : o["smelting.potential_output_2026_kt"];
    var aluminium = pinned(v, "smelting.aluminium_price_cny_t",
                           "pricing.modelled_price_cny_t" in o ? o["pricing.modelled_price_cny_t"] : K.first_pass_aluminium_cny_t);
    var need = output * v["smelting.alumina_t_per_t"];
    var produced = v["alumina.output_kt"] - o["alumina.ore_shortfall_cut_kt"];
    var atCap = o["smelting.potential_output_2026_kt"] * v["smelting.alumina_t_per_t"];
    if (o["alumina.ore_shortfall_cut_kt"] > 0) need = atCap;
    var surplus = produced - v["alumina.net_exports_kt"] - need;
    var cost = v["alumina.bauxite_per_alumina_t_per_t"] * cif * v["macro.usd_cny"]
      + v["alumina.energy_cost_cny_t"] + v["alumina.caustic_soda_lime_other_cny_t"];
    var contract = v["alumina.contract_ratio_pct"] / 100 * aluminium;
    var weight = 1 / (1 + Math.exp(clip(surplus / v["alumina.surplus_scale_kt"], -50, 50)));
    var price = cost + Math.max(contract - cost, 0) * weight;
    var shortPct = Math.max(-surplus, 0) / Math.max(need, 1e-9) * 100;
    price = price + contract * v["alumina.deficit_markup_pct_per_pct"] / 100 * shortPct;
    o["alumina.output_after_ore_kt"] = produced;
    o["alumina.need_kt"] = need;
    o["alumina.market_surplus_kt"] = surplus;
    o["alumina.modelled_cash_cost_cny_t"] = cost;
    o["alumina.contract_level_cny_t"] = contract;
    o["alumina.modelled_price_cny_t"] = price;
    o["alumina.aluminium_price_in_contract_cny_t"] = aluminium;
  }

  // aluminium.stages.smelting.cash_cost: the sum of cost_breakdown's items, in its order.
  function cashCost(v, alumina, power) {
    return v["smelting.alumina_t_per_t"] * alumina + v["smelting.power_kwh_per_t"] * power
      + v["smelting.anode_t_per_t"] * v["smelting.anode_price_cny_t"] + v["smelting.other_costs_cny_t"];
  }

  // aluminium.chain.china_blocks: capacities (kt/yr) and power prices (CNY/kWh) of the curve's blocks.
  function chinaBlocks(v, K) {
    var hydro = K.southwest_hydro_kt, swGrid = K.southwest_grid_kt;
    var rest = Math.max(v["smelting.running_capacity_kt"] - hydro - swGrid, 0);
    var captive = rest * v["smelting.captive_share_of_rest_pct"] / 100;
    var shift = v["smelting.power_price_cny_kwh"] - K.national_power_default_cny_kwh;
    return {caps: [hydro, swGrid, captive, rest - captive],
            power: [v["smelting.hydro_power_price_cny_kwh"] + shift, v["smelting.grid_power_price_cny_kwh"] + shift,
                    v["smelting.captive_power_price_cny_kwh"] + shift, v["smelting.grid_power_price_cny_kwh"] + shift]};
  }

  function smeltingCost(v, o, K) {
    var alumina = pinned(v, "smelting.alumina_price_cny_t", o["alumina.modelled_price_cny_t"]);
    var blocks = chinaBlocks(v, K);
    o["smelting.alumina_price_in_cost_cny_t"] = alumina;
    o["smelting.modelled_cash_cost_cny_t"] = cashCost(v, alumina, v["smelting.power_price_cny_kwh"]);
    o._block_costs = blocks.power.map(function (p) { return cashCost(v, alumina, Math.max(p, 0)); });
    o._block_caps = blocks.caps;
  }

  // aluminium.stages.demand.demand_2026_kt: the driver build for 2025 and 2026, and the
  // stock-implied 2025 level carried forward at its growth.
  function chinaDemand(v, o, K) {
    var D = K.demand, d25 = 0, d26 = 0;
    D.sectors.forEach(function (s) {
      var g = 1 + v["demand.growth_" + s[0] + "_pct"] / 100;
      d25 = d25 + s[1] * Math.pow(g, 1);
      d26 = d26 + s[1] * Math.pow(g, 2);
    });
    var veh25 = D.vehicles_base_kt * (1 + v["demand.vehicle_al_growth_2025_pct"] / 100);
    var pv25 = D.pv_base_kt * (1 + v["demand.pv_growth_2025_pct"] / 100);
    var veh26 = veh25 * (1 + v["demand.vehicle_al_growth_2026_pct"] / 100);
    var pv26 = pv25 * (1 + v["demand.pv_growth_2026_pct"] / 100);
    d25 = d25 + veh25 + pv25 + 0.0;
    d26 = d26 + veh26 + pv26 + v["demand.storage_added_2026_kt"];
    o["demand.demand_2026_kt"] = D.level_2025_kt * d26 / d25;
  }

  // aluminium.chain.curtailed_share, marginal_cost_sorted, balance_weight, price_in_band
  function curtailedShare(cost, price, spreadPct, responsePct) {
    var s = Math.max(spreadPct / 100, 1e-9);
    return clip((cost * (1 + s) - price) / (2 * s * cost), 0, 1) * responsePct / 100;
  }

  function marginalCostSorted(c, k, q, spreadPct) {
    var end = [], sum = 0, i, idx = 0;
    for (i = 0; i < k.length; i++) { sum += k[i]; end.push(sum); }
    for (i = 0; i < end.length; i++) if (end[i] < q) idx++;
    idx = Math.min(idx, c.length - 1);
    var size = k[idx];
    var within = clip((q - (end[idx] - size)) / Math.max(size, 1e-9), 0, 1);
    var s = spreadPct / 100;
    return {cost: c[idx] * (1 - s + 2 * s * within), block: idx};
  }

  function balanceWeight(t, mid, scale) {
    var z = (t - mid) / Math.max(scale, 1e-9);
    return 1 / (1 + Math.exp(-clip(z, -50, 50)));
  }

  function priceInBand(floor, ceiling, weight) {
    var low = Math.min(floor, ceiling);
    return low + (ceiling - low) * weight;
  }

  function importParity(v) {
    return (v["macro.lme_price_usd_t"] + v["macro.import_premium_usd_t"]) * v["macro.usd_cny"]
      * (1 + v["macro.import_duty_pct"] / 100) * (1 + v["macro.vat_pct"] / 100) + v["macro.import_fees_cny_t"];
  }

  function market(v, o, K) {
    var demand = o["demand.demand_2026_kt"], potential = o["smelting.potential_output_2026_kt"];
    var drought = o["smelting.drought_cut_kt"];
    var lme = v["macro.lme_price_usd_t"], fx = v["macro.usd_cny"], vat = v["macro.vat_pct"];
    var parity = importParity(v);
    var costs0 = o._block_costs, caps0 = o._block_caps, i, it;
    var total = 0;
    for (i = 0; i < caps0.length; i++) total += caps0[i];
    var factor = (potential + drought) / Math.max(total, 1e-9);
    var capsAll = caps0.map(function (c) { return c * factor; });
    capsAll[0] = Math.max(capsAll[0] - drought, 0);
    var spread = v["smelting.block_cost_spread_pct"], response = v["smelting.curtailment_response_pct"];
    var ref = v["demand.net_imports_kt"], resp = v["macro.import_response_kt_per_kcny_t"];
    var floorKt = v["macro.net_imports_floor_kt"], xResp = v["demand.semis_export_response_kt_per_kcny_t"];
    var windowRef = lme * fx * (1 + vat / 100) - parity;
    var mid = v["pricing.balance_midpoint_pct"], scale = v["pricing.balance_scale_pct"];
    var ceiling = parity + v["macro.window_open_max_cny_t"];
    var pctl = v["pricing.floor_percentile_pct"] / 100;
    var pin = v["macro.shanghai_price_cny_t"];
    var isPinned = !(pin === null || pin === undefined);
    // Sorted once, cheapest first; a stable sort, as numpy's argsort(kind="stable").
    var order = costs0.map(function (_, j) { return j; });
    order.sort(function (a, b) { return costs0[a] - costs0[b] || a - b; });
    var costs = order.map(function (j) { return costs0[j]; });
    var caps = order.map(function (j) { return capsAll[j]; });
    var output, floor, block, netImports, semis, balance, tightness, weight, shanghai, window, running;
    // The market at a price (aluminium.stages.pricing.market's band): plants, trade, balance, band.
    function band(price) {
      running = [];
      output = 0;
      for (i = 0; i < caps.length; i++) {
        running.push(caps[i] * (1 - curtailedShare(costs[i], price, spread, response)));
      }
      for (i = 0; i < running.length; i++) output += running[i];
      var m = marginalCostSorted(costs, running, pctl * output, spread);
      floor = m.cost; block = m.block;
      shanghai = isPinned ? pin : price;
      window = shanghai - parity;
      netImports = Math.max(ref + resp * (window - windowRef) / 1000, floorKt);
      semis = -xResp * (window - windowRef) / 1000;
      balance = output + netImports - semis - demand;
      tightness = -balance / demand * 100;
      weight = balanceWeight(tightness, mid, scale);
      return priceInBand(floor, ceiling, weight);
    }
    // Bisection on [0, ceiling], as many halvings as the Python chain (MARKET_BISECTIONS).
    var low = 0, high = ceiling, middle;
    for (it = 0; it < K.market_bisections; it++) {
      middle = 0.5 * (low + high);
      if (middle >= band(middle)) high = middle; else low = middle;
    }
    var price = high;
    band(price);
    shanghai = isPinned ? pin : price;
    window = shanghai - parity;
    o["smelting.output_2026_kt"] = output;
    o["smelting.curtailed_kt"] = potential - output;
    o["demand.net_imports_2026_kt"] = netImports;
    o["demand.semis_exports_change_kt"] = semis;
    o["demand.balance_2026_kt"] = balance;
    o["pricing.tightness_pct"] = tightness;
    o["pricing.balance_weight"] = weight;
    o["pricing.cost_floor_cny_t"] = floor;
    o["pricing.marginal_block"] = order[block];
    o["pricing.modelled_price_cny_t"] = price;
    o["pricing.modelled_price_low_cny_t"] = price * (1 + v["pricing.price_band_low_pct"] / 100);
    o["pricing.modelled_price_high_cny_t"] = price * (1 + v["pricing.price_band_high_pct"] / 100);
    o["pricing.modelled_margin_cny_t"] = price - o["smelting.modelled_cash_cost_cny_t"];
    o["pricing.shanghai_lme_basis"] = shanghai / (lme * fx * (1 + vat / 100));
    o["macro.import_parity_cny_t"] = parity;
    o["macro.import_window_cny_t"] = window;
    // For the cost curve drawn on the page: the blocks cheapest first at the output the market runs.
    o._curve = {costs: costs, caps: caps, order: order, running: running};
  }

  var LINKS = [["bauxite stack", bauxiteStack], ["smelter output", smelterOutput], ["alumina market", aluminaMarket],
               ["smelting cost", smeltingCost], ["china demand", chinaDemand], ["market", market]];

  /** Every output of the chain for one set of parameter values (full names; pins null = modelled). */
  function evaluate(values, K) {
    var o = {}, p, l;
    for (p = 0; p < K.passes; p++) {
      for (l = 0; l < LINKS.length; l++) LINKS[l][1](values, o, K);
    }
    return o;
  }

  root.AluminiumChain = {evaluate: evaluate, reads: reads, links: LINKS.map(function (l) { return l[0]; })};
})(typeof window !== "undefined" ? window : globalThis);
