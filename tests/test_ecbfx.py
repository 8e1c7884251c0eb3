"""The dated CNY/USD rate: the ECB loader on a given file, the committed extract, the refresh path."""
import zipfile

import pytest

from aluminium.data import ecbfx
from aluminium.errors import DataError

HEAD = "Date,USD,JPY,CNY,\n"


def _days(month: str, n: int, usd: float, cny: float) -> str:
    return "".join(f"{month}-{d:02d},{usd},150,{cny},\n" for d in range(1, n + 1))


def _history(tmp_path, months=14, zipped=True):
    rows = "".join(_days(f"2023-{m:02d}" if m <= 12 else f"2024-{m - 12:02d}", 20, 1.1, 7.7 + 0.011 * m)
                   for m in range(1, months + 1))
    csv = HEAD + rows
    if not zipped:
        p = tmp_path / "eurofxref-hist.csv"
        p.write_text(csv)
        return p
    p = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("eurofxref-hist.csv", csv)
    return p


def test_cross_rate_is_cny_per_eur_over_usd_per_eur(tmp_path):
    daily = ecbfx.read_daily(_history(tmp_path))
    assert daily["cny_per_usd"].iloc[0] == pytest.approx((7.7 + 0.011) / 1.1)


def test_monthly_extract_from_zip_and_csv_agree(tmp_path):
    a, meta = ecbfx.derive_extract(_history(tmp_path))
    b, _ = ecbfx.derive_extract(_history(tmp_path, zipped=False))
    assert a.equals(b) and len(a) == 14 and meta["last_month"] == "2024-02"
    assert a.set_index("month").loc["2023-03", "cny_per_usd"] == pytest.approx(round((7.7 + 0.033) / 1.1, 5))


def test_bad_files_are_named(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("Date,EUR\n2024-01-02,1\n")
    with pytest.raises(DataError, match="x.csv.*no column USD, CNY"):
        ecbfx.read_daily(bad)
    bad.write_text(HEAD + "2024-01-02,1.1,150,seven,\n")
    with pytest.raises(DataError, match="line 2: column CNY"):
        ecbfx.read_daily(bad)
    with pytest.raises(DataError, match="not found"):
        ecbfx.read_daily(tmp_path / "missing.zip")


def test_committed_extract_matches_known_rates():
    s = ecbfx.monthly_cny_per_usd()
    # Independent anchors: the onshore rate averaged about 6.90 in 2019, 6.45 in 2021 and 7.19 in 2024
    # (PBoC central parity annual means 6.8985, 6.4515, 7.1217; an ECB cross differs by hundredths).
    for year, level in ((2019, 6.90), (2021, 6.45), (2024, 7.19)):
        assert s[s.index.str.startswith(str(year))].mean() == pytest.approx(level, abs=0.08)
    assert ecbfx.rate_in("2024-11") == pytest.approx(7.21, abs=0.03)
    with pytest.raises(DataError, match="no CNY/USD rate for 1990-01"):
        ecbfx.rate_in("1990-01")


def test_refresh_writes_extract_and_vintage(tmp_path):
    import shutil

    from aluminium.paths import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    src = tmp_path / "src"
    src.mkdir()
    # The committed extract's checks want 2012–2024 covered: a short file is refused, nothing written.
    before = (data / ecbfx.EXTRACT_PATH).read_text()
    with pytest.raises(DataError):
        ecbfx.write_extract(_history(src), data)
    assert (data / ecbfx.EXTRACT_PATH).read_text() == before
