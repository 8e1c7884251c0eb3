"""The macro chapter: the monetary backdrop, China's policy stance, and import parity.

Models are pure functions on floats and pandas objects. The import-parity model converts an
LME price into the cost of landing that metal in China, in the units of the Shanghai (SHFE)
price:

    parity (CNY/t) = (LME + premium) × USD/CNY × (1 + duty) × (1 + VAT) + fees

The duty is charged on the landed (CIF) value and VAT on value plus duty, hence the product;
SHFE prices include VAT, so the comparison is like for like. The window is SHFE − parity:
positive means importing pays (the window is open).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from aluminium.calc import nonnegative, sensitivity
from aluminium.calc import number as _num
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue, ecbfx, worldbank
from aluminium.data.facts import fact
from aluminium.links import Output
from aluminium.parameter import Param
from aluminium.words import KeyPoint, Values, change_words, fmt, times, window_state

CLAIMS = ClaimRegistry()  # this stage's claim recomputations, read by the audit

# -- parameters ------------------------------------------------------------------------
# Declared once in the chapter that owns them: the Shanghai aluminium price and the power a
# tonne of aluminium takes.
USES = ("smelting.aluminium_price_cny_t", "smelting.power_kwh_per_t")

def derive_russian_imports_kt() -> float:
    """Russia's primary aluminium exports to China in 2025, annualised from Jan–Oct (kt)."""
    return float(fact("smelting.russia_primary_exports_to_china_jan_oct_2025_kt").central) * 12 / 10



PARAMETERS: list[Param] = [
    Param(name="macro.lme_price_usd_t", type="float", unit="USD/t",
          description="LME aluminium price of the build's one price view (import parity is set on it)",
          derive=lambda: derive_dated_lme_usd_t(),
          origin="Dated: the World Bank's monthly LME average in the last month of the committed extract "
                 "(November 2024, 2,582 USD/t); a forecast such as Goldman Sachs' 3,150 USD/t for H1 2026 "
                 "(article2026) is a scenario view (the scenario “The LME at Goldman Sachs' H1 2026 "
                 "forecast”), never set against a price from another view", minimum=500, maximum=10000),
    Param(name="macro.usd_cny", type="float", unit="CNY/USD",
          description="Exchange rate, yuan per US dollar, at the date of the LME price",
          derive=lambda: derive_dated_usd_cny(),
          origin="Dated: the ECB reference rates' CNY/USD cross, averaged over the month of the LME price "
                 "(November 2024, 7.21), from the monthly extract that ships with the book", minimum=4.0, maximum=10.0),
    Param(name="macro.vat_pct", type="float", unit="%",
          description="China's import VAT on primary aluminium",
          value=13.0, origin="China's standard VAT rate on goods since 1 April 2019 (13 %), also the rate "
                             "in the customs tariff for HS 7601; not stated in the reports.",
          minimum=0, maximum=30),
    Param(name="macro.import_duty_pct", type="float", unit="%",
          description="China's import duty on unwrought, non-alloy primary aluminium",
          value=0.0, origin="China's 2024 customs tariff: HS 7601.1090 (non-alloy aluminium under "
                            "99.95 % Al, the standard 99.70 % ingot) carries a provisional import rate of "
                            "0 % (the most-favoured-nation rate is 5 %, which applies to 7601.1010, "
                            "99.95 % Al and above); not stated in the reports.",
          minimum=0, maximum=30),
    Param(name="macro.import_premium_usd_t", type="float", unit="USD/t",
          description="Physical premium paid over LME for metal delivered CIF China",
          value=100.0, origin="ASSUMPTION (the reports give no CIF China premium): about 100 USD/t, the order of "
                              "the Yangshan (CIF Shanghai) premium the trade quoted in 2024–2025", minimum=0, maximum=2000),
    Param(name="macro.import_fees_cny_t", type="float", unit="CNY/t",
          description="Port, financing and handling fees per tonne of imported metal",
          value=150.0, origin="ASSUMPTION (the reports give none): the middle of the 100–200 CNY/t of port, "
                              "financing and handling costs the trade allows for", minimum=0, maximum=5000),
    Param(name="macro.smelter_power_price_usd_mwh", type="float", unit="USD/MWh",
          description="Power price typical of US smelters",
          fact="smelting.us_smelter_power_price_usd_mwh", minimum=0, maximum=500),
    Param(name="macro.data_centre_power_price_usd_mwh", type="float", unit="USD/MWh",
          description="Power price US data centres are willing to pay (report: over 100)",
          fact="macro.us_data_centre_power_price_usd_mwh", fact_field="low", minimum=0, maximum=1000),
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
          derive=derive_russian_imports_kt,
          origin="Derived: Russia's 1,576.6 kt of primary exports to China in Jan–Oct 2025 (zijin2025), "
                 "annualised (× 12/10); they kept coming in 2025 with the window shut", minimum=-5000, maximum=5000),
    Param(name="macro.window_open_max_cny_t", type="float", unit="CNY/t",
          description="Most the import window opens (Shanghai above import parity) before imports flood in: the "
                      "price's ceiling is parity plus this",
          value=500.0, origin="ASSUMPTION (no report gives it): when the window opened in 2020 and in 2022–23, "
                              "metal arrived within weeks and closed it; about 500 CNY/t (2.5 % of the price) pays "
                              "an importer well. Range 0–2,000 CNY/t; the back-test error is 4.7 % at 0, 6.1 % at "
                              "500 and 8.7 % at 1,000 (the history holds no Shanghai series to pin it)",
          minimum=0, maximum=5000),
]

# The window in the chain (computed by the market, :mod:`aluminium.stages.pricing`).
OUTPUTS = (
    Output("macro.import_parity_cny_t", "CNY/t", "Import parity of the LME price in force (premium, fees, VAT)"),
    Output("macro.import_window_cny_t", "CNY/t", "Import window at the modelled Shanghai price (positive = open)"),
)
LINKS = ()


def price_view_month() -> str:
    """The month of the build's dated price view: the last month of the World Bank LME extract."""
    return str(worldbank.monthly_prices()["Aluminum"].dropna().index[-1])


def derive_dated_lme_usd_t() -> float:
    return float(worldbank.monthly_prices()["Aluminum"][price_view_month()])


def derive_dated_usd_cny() -> float:
    return round(ecbfx.rate_in(price_view_month()), 4)


def view_words(lme_usd_t: float, usd_cny: float) -> str:
    """How a price view is dated, for prose: ``"at the November 2024 LME and exchange rate"`` when both
    are the dated view's; otherwise it says which of the two this build set itself."""
    import calendar

    year, m = price_view_month().split("-")
    month = f"{calendar.month_name[int(m)]} {year}"
    lme_dated = abs(float(lme_usd_t) - derive_dated_lme_usd_t()) < 0.005
    fx_dated = abs(float(usd_cny) - derive_dated_usd_cny()) < 0.00005
    if lme_dated and fx_dated:
        return f"at the {month} LME and exchange rate"
    if fx_dated:
        return f"at an LME set for this build and the {month} exchange rate"
    if lme_dated:
        return f"at the {month} LME and an exchange rate set for this build"
    return "at an LME and an exchange rate set for this build"


# -- import parity ----------------------------------------------------------------------------
def import_parity_cny_t(lme_usd_t: float, usd_cny: float, vat_pct: float, duty_pct: float,
                        premium_usd_t: float = 0.0, fees_cny_t: float = 0.0) -> float:
    """SHFE-equivalent cost (CNY/t, VAT included) of importing LME metal into China.

    ``(lme_usd_t + premium_usd_t) × usd_cny × (1 + duty_pct/100) × (1 + vat_pct/100) + fees_cny_t``
    """
    if np.ndim(lme_usd_t) or np.ndim(usd_cny) or np.ndim(vat_pct) or np.ndim(premium_usd_t) or np.ndim(fees_cny_t):
        # Arrays (a sweep): checked as a whole.
        for name, x in dict(lme_usd_t=lme_usd_t, usd_cny=usd_cny).items():
            if np.any(np.asarray(x, dtype=float) <= 0):
                raise ValueError(f"{name}: must be positive")
        for name, x in dict(vat_pct=vat_pct, duty_pct=duty_pct, premium_usd_t=premium_usd_t, fees_cny_t=fees_cny_t).items():
            nonnegative(name, x)
        lme, fx, vat, duty, prem, fees = lme_usd_t, usd_cny, vat_pct, duty_pct, premium_usd_t, fees_cny_t
    else:
        lme = _num(lme_usd_t, "lme_usd_t", positive=True)
        fx = _num(usd_cny, "usd_cny", positive=True)
        vat, duty = _num(vat_pct, "vat_pct", nonneg=True), _num(duty_pct, "duty_pct", nonneg=True)
        prem, fees = _num(premium_usd_t, "premium_usd_t", nonneg=True), _num(fees_cny_t, "fees_cny_t", nonneg=True)
    return (lme + prem) * fx * (1 + duty / 100) * (1 + vat / 100) + fees


def import_window_cny_t(shfe_cny_t: float, parity_cny_t: float) -> float:
    """Import profit (CNY/t): SHFE price − import parity. Positive = window open (importing pays)."""
    return _num(shfe_cny_t, "shfe_cny_t", positive=True) - _num(parity_cny_t, "parity_cny_t", positive=True)


def breakeven_lme_usd_t(shfe_cny_t: float, usd_cny: float, vat_pct: float, duty_pct: float,
                        premium_usd_t: float = 0.0, fees_cny_t: float = 0.0) -> float:
    """LME price (USD/t) at which the window is exactly shut, given the SHFE price.

    ``(shfe − fees) / (usd_cny × (1 + duty) × (1 + VAT)) − premium``; below it, imports pay.
    """
    shfe = _num(shfe_cny_t, "shfe_cny_t", positive=True)
    fx = _num(usd_cny, "usd_cny", positive=True)
    factor = fx * (1 + _num(duty_pct, "duty_pct", nonneg=True) / 100) * (1 + _num(vat_pct, "vat_pct", nonneg=True) / 100)
    return (shfe - _num(fees_cny_t, "fees_cny_t", nonneg=True)) / factor - _num(premium_usd_t, "premium_usd_t", nonneg=True)


def breakeven_premium_usd_t(shfe_cny_t: float, lme_usd_t: float, usd_cny: float, vat_pct: float,
                            duty_pct: float, fees_cny_t: float = 0.0) -> float:
    """Premium (USD/t) at which the window is exactly shut; negative means it is shut even at zero premium."""
    breakeven = breakeven_lme_usd_t(shfe_cny_t, usd_cny, vat_pct, duty_pct, 0.0, fees_cny_t)
    return breakeven - _num(lme_usd_t, "lme_usd_t", positive=True)


def parity_sensitivity(base: dict, shfe_cny_t: float, ranges: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """One-at-a-time sensitivity of the import window (a tornado table), via ``calc.sensitivity``.

    ``base``: keyword arguments of :func:`import_parity_cny_t`; ``ranges``: for some of those
    names, a (low, high) pair. Returns one row per input: ``input``, ``low``, ``high``,
    ``window_low_cny_t``, ``window_high_cny_t``, ``swing_cny_t`` (|high − low| of the window),
    sorted by swing, largest first.
    """
    unknown = set(ranges) - set(base)
    if unknown:
        raise ValueError(f"ranges: '{sorted(unknown)[0]}' is not an input of the parity model ({', '.join(base)})")
    table = sensitivity(lambda **kw: import_window_cny_t(shfe_cny_t, import_parity_cny_t(**kw)), base, ranges)
    out = table.rename(columns={"low_value": "low", "high_value": "high", "output_at_low": "window_low_cny_t",
                                "output_at_high": "window_high_cny_t", "swing": "swing_cny_t"})
    out = out[["input", "low", "high", "window_low_cny_t", "window_high_cny_t", "swing_cny_t"]]
    out.attrs["base_window_cny_t"] = float(table["output_base"].iloc[0]) if len(table) else \
        import_window_cny_t(shfe_cny_t, import_parity_cny_t(**base))
    return out


# -- the Fed path -----------------------------------------------------------------------------
def cumulative_cuts(path: pd.DataFrame, column: str = "cut_bp") -> pd.DataFrame:
    """The cut path with a running total (``cumulative_bp``), in the order given."""
    if column not in path.columns:
        raise ValueError(f"expected a column '{column}' (bp per cut)")
    if path[column].isna().any():
        raise ValueError(f"'{column}' has missing values")
    out = path.copy()
    out["cumulative_bp"] = out[column].astype(float).cumsum()
    return out


def cuts_between(rate_before_pct: float, rate_after_pct: float, step_bp: float = 25) -> float:
    """Number of cuts of ``step_bp`` basis points that take a policy rate from one level to another (%)."""
    step = _num(step_bp, "step_bp", positive=True)
    return (_num(rate_before_pct, "rate_before_pct") - _num(rate_after_pct, "rate_after_pct")) * 100 / step


# -- power prices: smelters against data centres ----------------------------------------------
def power_cost_usd_t(price_usd_mwh: float, kwh_per_t: float) -> float:
    """Electricity cost per tonne of aluminium (USD/t) = price (USD/MWh) × consumption (kWh/t) / 1000."""
    return _num(price_usd_mwh, "price_usd_mwh", nonneg=True) * _num(kwh_per_t, "kwh_per_t", nonneg=True) / 1000


# -- Russian metal in China's imports ----------------------------------------------------------
def share_volume_kt(total_kt: float, share_pct: float) -> float:
    """Volume (kt) of a partner's share in a total: total × share / 100."""
    share = _num(share_pct, "share_pct", nonneg=True)
    if share > 100:
        raise ValueError(f"share_pct: must be at most 100, got {share}")
    return _num(total_kt, "total_kt", nonneg=True) * share / 100


def previous_period_kt(current_kt: float, growth_pct: float) -> float:
    """Volume a year earlier (kt) implied by a volume and its year-on-year growth: current / (1 + g/100)."""
    g = _num(growth_pct, "growth_pct")
    if g <= -100:
        raise ValueError(f"growth_pct: must be above -100, got {g}")
    return _num(current_kt, "current_kt", nonneg=True) / (1 + g / 100)


# -- facts as tables -------------------------------------------------------------------------
PROPERTY_PRICE_FACTS = [
    ("macro.china_property_completions_yoy_2022_pct", 2022, "China property completions"),
    ("macro.china_property_completions_yoy_2024_pct", 2024, "China property completions"),
    ("pricing.lme_change_2022_pct", 2022, "LME aluminium price"),
    ("pricing.shfe_change_2022_pct", 2022, "SHFE aluminium price"),
]


def property_vs_price(spec=PROPERTY_PRICE_FACTS) -> pd.DataFrame:
    """Year-on-year changes (%) the reports give for property completions and the aluminium price:
    ``year``, ``indicator``, ``change_pct``, ``fact``. Only the years the reports print."""
    rows = []
    for fid, year, indicator in spec:
        f = fact(fid)
        if f.unit != "%":
            raise ValueError(f"fact '{fid}' is in {f.unit}, not %")
        rows.append({"year": year, "indicator": indicator, "change_pct": f.central, "fact": fid})
    return pd.DataFrame(rows)


def power_competition(kwh_per_t: float, smelter_usd_mwh: float, data_centre_usd_mwh: float) -> pd.DataFrame:
    """Power cost per tonne of aluminium (USD/t) at the smelters' and the data centres' power price.

    Rows ``buyer`` (US smelter, US data centre), ``price_usd_mwh``, ``power_cost_usd_t``
    (= price × kWh/t / 1000) and ``extra_vs_smelter_usd_t`` (cost above the smelter case).
    """
    cases = [("US smelter", _num(smelter_usd_mwh, "smelter_usd_mwh", nonneg=True)),
             ("US data centre", _num(data_centre_usd_mwh, "data_centre_usd_mwh", nonneg=True))]
    df = pd.DataFrame([{"buyer": b, "price_usd_mwh": p, "power_cost_usd_t": power_cost_usd_t(p, kwh_per_t)}
                       for b, p in cases])
    df["extra_vs_smelter_usd_t"] = df["power_cost_usd_t"] - df.loc[0, "power_cost_usd_t"]
    return df


def russian_imports() -> pd.DataFrame:
    """China's primary aluminium imports from Russia as the reports give them, plus what they imply.

    Rows (``period``, ``russia_kt``, ``russia_share_pct``, ``kind`` reported/derived, ``how``):
    - Jan–Nov 2023: total imports × Russia's share (about 80 %), derived;
    - Jan–Oct 2024: the Jan–Oct 2025 volume divided by (1 + its growth), derived;
    - Jan–Oct 2025: as reported (share: over 80 %, a lower bound).
    """
    tot23 = fact("smelting.china_primary_imports_jan_nov_2023_kt").value
    sh23 = fact("smelting.russia_share_china_primary_imports_2023_pct").value
    v25 = fact("smelting.russia_primary_exports_to_china_jan_oct_2025_kt").value
    g25 = fact("smelting.russia_primary_exports_to_china_growth_jan_oct_2025_pct").value
    sh25 = fact("smelting.russia_share_china_primary_imports_2025_pct").low
    return pd.DataFrame([
        {"period": "2023 Jan–Nov", "russia_kt": share_volume_kt(tot23, sh23), "russia_share_pct": sh23, "kind": "derived",
         "how": "derived: total imports × Russia's share (jianghai2024)"},
        {"period": "2024 Jan–Oct", "russia_kt": previous_period_kt(v25, g25), "russia_share_pct": float("nan"), "kind": "derived",
         "how": "derived: 2025 volume ÷ (1 + growth) (zijin2025)"},
        {"period": "2025 Jan–Oct", "russia_kt": v25, "russia_share_pct": sh25, "kind": "reported",
         "how": "reported; share is a lower bound (zijin2025)"},
    ])


# -- claims ------------------------------------------------------------------------------------
@CLAIMS.register("macro.goldman_2024_total_cuts_bp")
def _goldman_total_cuts_bp() -> float:
    return float(cumulative_cuts(catalogue.load("macro-goldman-fed-cut-forecast-2024"))["cumulative_bp"].iloc[-1])


@CLAIMS.register("macro.fed_cuts_2025_count")
def _fed_cuts_2025() -> float:
    return cuts_between(fact("macro.fed_funds_range_before_2025_cuts_pct").low,
                        fact("macro.fed_funds_range_dec2025_pct_zijin2025").low)


@CLAIMS.register("macro.fed_funds_range_repeated_upper_pct")
def _fed_range_repeated() -> float:
    """Zijin2025's upper bound after the December 2025 cut, to set against the article's (the claim)."""
    return fact("macro.fed_funds_range_dec2025_pct_zijin2025").high


# -- the window in the chain: Shanghai answers the LME (the curve itself: aluminium.outlook) ----
def chain_breakeven_lme_usd_t(curve: pd.DataFrame) -> float:
    """The LME price at which the chain's window crosses zero (linear between grid points); NaN if
    it does not cross inside the curve. Below it the window is open."""
    w, lme = curve["window_cny_t"].to_numpy(), curve["lme_usd_t"].to_numpy()
    sign = np.sign(w)
    cross = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    if cross.size == 0:
        at = np.flatnonzero(w == 0)
        return float(lme[at[0]]) if at.size else float("nan")
    i = int(cross[-1])
    return float(lme[i] + (lme[i + 1] - lme[i]) * w[i] / (w[i] - w[i + 1]))


# -- key points: what the chapter concludes, chosen by its numbers ---------------------------------
def key_points(v: Values) -> list[KeyPoint]:
    window, parity = v["macro.import_window_cny_t"], v["macro.import_parity_cny_t"]
    lme, shfe = v["macro.lme_price_usd_t"], parity + window  # the window is Shanghai price − parity
    be_lme = v["macro.import_breakeven_lme_usd_t"]
    if window < 0:
        lead = f"**The import window is {window_state(window)}.**"
        then = (f"with Shanghai following the LME down, it opens only if the LME price falls below {fmt(be_lme, 'USD/t')}."
                if be_lme == be_lme else "no LME price between 1,500 and 4,000 USD/t opens it, with Shanghai following.")
    else:
        lead = f"**The import window is {window_state(window)}:** importing metal pays."
        then = (f"it stays open as long as the LME price is below {fmt(be_lme, 'USD/t')}, with Shanghai following."
                if be_lme == be_lme else "it stays open at any LME price between 1,500 and 4,000 USD/t.")
    dated = view_words(lme, v["macro.usd_cny"]).removeprefix("at ")
    parity = (f"{lead} At an LME price of {fmt(lme, 'USD/t')} ({dated}), a tonne landed in China costs "
              f"{fmt(parity, 'CNY/t')} against a Shanghai price of {fmt(shfe, 'CNY/t')}; {then}")

    cuts, upper = v["macro.fed_cuts_2025_bp"], v["macro.fed_funds_upper_dec2025_pct"]
    dollar = v["macro.dollar_index_change_h1_2025_pct"]
    fed = f"cut rates by {fmt(cuts, 'bp')}" if cuts >= 0 else f"raised rates by {fmt(-cuts, 'bp')}"
    money = (f"**Money {'eased' if cuts > 0 else 'tightened'} in 2025.** The Fed {fed} in the autumn, "
             f"taking the top of its target range to {fmt(upper, '%')}, and the dollar index "
             f"{change_words(dollar, '%')} in the first half, which the reports read as support for a "
             "dollar-priced metal.")

    gap = v["macro.power_cost_gap_usd_t"]
    ratio = v["macro.data_centre_to_smelter_power_price_ratio"]
    power_lead = ("**US smelters are outbid for power.**" if gap > 0
                  else "**US smelters are not outbid for power at these prices.**")
    power = (f"{power_lead} Data centres pay {times(ratio)} the smelters' power price; at their price a "
             f"tonne of aluminium would carry {fmt(abs(gap), 'USD/t')} "
             f"{'more' if gap > 0 else 'less'} power cost.")

    russia = (f"**Russian metal fills China's imports.** Russia supplied about "
              f"{fmt(v['macro.russia_share_china_imports_2023_pct'], '%')} of China's primary aluminium imports "
              f"in 2023, and shipped {fmt(v['macro.russia_to_china_jan_oct_2025_kt'], 'kt')} to China in "
              "January–October 2025.")
    return [KeyPoint("macro", parity, "macro-import-parity", headline=True),
            KeyPoint("macro", money, "macro-fed-dollar"),
            KeyPoint("macro", power, "macro-power"),
            KeyPoint("macro", russia, "macro-russia")]

