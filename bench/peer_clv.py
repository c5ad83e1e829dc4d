"""BG/NBD and Gamma-Gamma: our fit (gold.clv_parameters) against the Python `lifetimes` package fitted
on the very same per-customer summary (gold.clv: frequency, recency, age and average order value, in days).

When few customers drop out, the BG/NBD likelihood is nearly flat along a ridge where a and b grow
together (a / (a + b), the drop-out chance, stays put), and lifetimes' default start may stop on it
with a ConvergenceError. Then lifetimes' own likelihood is minimised without derivatives
(Nelder-Mead), and both estimates are scored with lifetimes' log-likelihood, so the comparison says
which optimum is higher, not only how far apart the parameters are."""
import time
from pathlib import Path

import numpy as np
from deltalake import DeltaTable


def significant(x, digits=3):
    return float(f"{x:.{digits}g}")


def fit_bg_nbd(clv, ours):
    from lifetimes import BetaGeoFitter
    from lifetimes.utils import ConvergenceError

    from scipy.optimize import minimize

    names = ["r", "alpha", "a", "b"]
    data = (clv["frequency"].to_numpy(), clv["recency_days"].to_numpy(), clv["age_days"].to_numpy(), np.ones(len(clv)), 0.0)

    def mean_log_likelihood(params):
        return -BetaGeoFitter._negative_log_likelihood(np.log(params), *data)

    notes = {"optimiser": "lifetimes (BFGS from its default start)"}
    started = time.perf_counter()
    try:
        fitted = BetaGeoFitter(penalizer_coef=0.0).fit(clv["frequency"], clv["recency_days"], clv["age_days"]).params_
        estimate = [float(fitted[p]) for p in names]
    except ConvergenceError:
        # lifetimes' BFGS stops on the ridge with "precision loss"; minimise its own likelihood without
        # derivatives instead, from its default start (log parameters 0).
        notes["optimiser"] = "Nelder-Mead on lifetimes' likelihood (lifetimes' BFGS raised ConvergenceError)"
        found = minimize(lambda x: BetaGeoFitter._negative_log_likelihood(x, *data), np.zeros(4), method="Nelder-Mead",
                         options={"maxiter": 20000, "xatol": 1e-10, "fatol": 1e-12})
        estimate = list(np.exp(found.x))
    seconds = time.perf_counter() - started
    notes["mean_log_likelihood_ours"] = float(mean_log_likelihood([ours[("bg_nbd", p)] for p in names]))
    notes["mean_log_likelihood_lifetimes"] = float(mean_log_likelihood(estimate))
    return dict(zip(names, estimate)), seconds, notes


def compare(lake: Path, workdir: Path):
    from lifetimes import GammaGammaFitter

    clv = DeltaTable(str(lake / "gold" / "clv")).to_pandas()
    params = DeltaTable(str(lake / "gold" / "clv_parameters")).to_pandas()
    as_of = clv["as_of_date"].max()
    clv = clv[clv["as_of_date"] == as_of]
    ours = {(r.model, r.parameter): r.value for r in params[params["as_of_date"] == as_of].itertuples()}

    bg, bg_seconds, bg_notes = fit_bg_nbd(clv, ours)
    repeat = clv[(clv["frequency"] > 0) & (clv["avg_order_value"] > 0)]
    started = time.perf_counter()
    gg = GammaGammaFitter(penalizer_coef=0.0).fit(repeat["frequency"], repeat["avg_order_value"])
    gg_seconds = time.perf_counter() - started

    theirs = {("bg_nbd", k): float(v) for k, v in bg.items()}
    theirs.update({("gamma_gamma", {"v": "gamma"}.get(k, k)): float(v) for k, v in gg.params_.items()})
    rows = []
    for key, value in sorted(theirs.items()):
        mine = ours.get(key)
        rows.append({"model": key[0], "parameter": key[1], "ours": mine, "lifetimes": value,
                     "relative_difference": None if mine is None else abs(mine - value) / max(abs(mine), abs(value)),
                     "same_3_significant_digits": mine is not None and significant(mine) == significant(value)})
    return {"customers": int(len(clv)), "gamma_gamma_customers": int(len(repeat)), "parameters": rows,
            "all_agree_3_digits": all(r["same_3_significant_digits"] for r in rows), "bg_nbd": bg_notes,
            "lifetimes_fit_seconds": round(bg_seconds + gg_seconds, 3)}
