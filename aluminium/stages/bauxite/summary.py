"""What the bauxite chapter concludes, chosen by its numbers: its key points (``key_points``).
"""
from __future__ import annotations

from aluminium.words import KeyPoint, Values, fmt, hhi_band, moved


def key_points(v: Values) -> list[KeyPoint]:
    h15, h23 = v["bauxite.hhi_2015"], v["bauxite.hhi_2023"]
    concentration = (f"**Supply is concentrating on Guinea.** The HHI of world output "
                     f"{moved(h15, h23, '', up='rose', down='fell')} between 2015 and 2023 "
                     f"({hhi_band(h23)}); Guinea mined {fmt(v['bauxite.guinea_share_2023_pct'], '%')} of the world's "
                     f"bauxite in 2023 and supplied {fmt(v['bauxite.guinea_contribution_2017_2023_pct'], '%')} of the "
                     "growth since 2017.")
    dependency = (f"**China leans on one exporter.** About {fmt(v['bauxite.china_supply_from_guinea_pct'], '%')} "
                  "of all the bauxite China's refineries used in January–September 2024 came from Guinea.")
    cif, freight = v["bauxite.cif_usd_t"], v["bauxite.freight_usd_t"]
    landed = (f"**Freight is the swing cost.** Guinean ore lands in China at {fmt(cif, 'USD/t')}, of which "
              f"ocean freight is {fmt(freight, 'USD/t')} ({fmt(v['bauxite.freight_share_pct'], '%')}); doubling "
              f"freight lifts the landed cost to {fmt(v['bauxite.cif_at_double_freight_usd_t'], 'USD/t')}.")
    lost, share = v["bauxite.indonesia_output_lost_mt"], v["bauxite.indonesia_share_lost_pct"]
    h_after = v["bauxite.hhi_without_indonesia"]
    if v["bauxite.indonesia_supply_removed"]:
        scenario = (f"With the export ban in force since June 2023, as in this build, its {fmt(lost, 'Mt')} "
                    f"({fmt(share, '%')} of world output) is out of the seaborne market, and the HHI of what is left "
                    f"{moved(h23, h_after, '', up='rises', down='falls', flat='stays at')}.")
    else:
        scenario = (f"This build lifts the export ban: {fmt(lost, 'Mt')} ({fmt(share, '%')} of world output) returns to "
                    f"the seaborne market, which keeps the HHI at {fmt(h23)} instead of {fmt(h_after)}.")
    indonesia = (f"**Indonesia's ore is staying at home.** Its planned refineries need "
                 f"{fmt(v['bauxite.indonesia_project_bauxite_need_mt'], 'Mt/yr')} of bauxite, which takes mine growth "
                 f"of {fmt(v['bauxite.indonesia_cagr_2023_2030_pct'], '%')} a year to 2030. {scenario}")
    return [KeyPoint("bauxite", concentration, "bauxite-concentration", headline=True),
            KeyPoint("bauxite", dependency, "bauxite-import-dependency", headline=True),
            KeyPoint("bauxite", landed, "bauxite-delivered-cost"),
            KeyPoint("bauxite", indonesia, "bauxite-indonesia")]
