"""BG/NBD and Gamma-Gamma: our fit (gold.clv_parameters) against the Python `lifetimes` package fitted
on the very same per-customer summary (gold.clv: frequency, recency, age and average order value, in days)."""
import time
from pathlib import Path

from deltalake import DeltaTable


def significant(x, digits=3):
    return float(f"{x:.{digits}g}")


def compare(lake: Path, workdir: Path):
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    clv = DeltaTable(str(lake / "gold" / "clv")).to_pandas()
    params = DeltaTable(str(lake / "gold" / "clv_parameters")).to_pandas()
    as_of = clv["as_of_date"].max()
    clv = clv[clv["as_of_date"] == as_of]
    ours = {(r.model, r.parameter): r.value for r in params[params["as_of_date"] == as_of].itertuples()}

    started = time.perf_counter()
    bg = BetaGeoFitter(penalizer_coef=0.0)
    bg.fit(clv["frequency"], clv["recency_days"], clv["age_days"])
    bg_seconds = time.perf_counter() - started
    repeat = clv[(clv["frequency"] > 0) & (clv["avg_order_value"] > 0)]
    started = time.perf_counter()
    gg = GammaGammaFitter(penalizer_coef=0.0)
    gg.fit(repeat["frequency"], repeat["avg_order_value"])
    gg_seconds = time.perf_counter() - started

    theirs = {("bg_nbd", k): float(v) for k, v in bg.params_.items()}
    theirs.update({("gamma_gamma", {"v": "gamma"}.get(k, k)): float(v) for k, v in gg.params_.items()})
    rows = []
    for key, value in sorted(theirs.items()):
        mine = ours.get(key)
        rows.append({"model": key[0], "parameter": key[1], "ours": mine, "lifetimes": value,
                     "relative_difference": None if mine is None else abs(mine - value) / max(abs(mine), abs(value)),
                     "same_3_significant_digits": mine is not None and significant(mine) == significant(value)})
    return {"customers": int(len(clv)), "gamma_gamma_customers": int(len(repeat)), "parameters": rows,
            "all_agree_3_digits": all(r["same_3_significant_digits"] for r in rows),
            "lifetimes_fit_seconds": round(bg_seconds + gg_seconds, 3)}
