"""Random-effects meta-analysis of single proportions on the logit scale, as R's `meta::metaprop` does it.

Reviewers check pooled response and toxicity rates against `metaprop(event, n, sm = "PLOGIT",
method = "Inverse")`; these functions follow its documented choices so the numbers can be compared:

- each study's logit(k/n) with variance 1/k + 1/(n-k); a study with no events (or only events) gets
  0.5 added to its events and non-events first (`incr = 0.5`, `method.incr = "only0"`), and that
  correction is reported;
- the between-study variance tau^2 by REML (metafor's and meta's default) or DerSimonian-Laird;
  the estimators come from kept libraries: PyMARE for REML, statsmodels' `combine_effects` for DL
  (statsmodels has no REML);
- I^2 from Cochran's Q, (Q - df) / Q floored at 0 (Higgins & Thompson 2002), as meta prints it;
- a Wald confidence interval for the pooled logit, and the Higgins-Thompson-Spiegelhalter
  prediction interval (t with k - 2 df, `method.predict = "HTS"`), which needs k >= 3;
- each study's own interval is Clopper-Pearson exact (`method.ci = "CP"`), unaffected by the
  continuity correction;
- one study is not pooled: its own proportion and exact interval are reported as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

METHODS = ("REML", "DL")
CONTINUITY_INCREMENT = 0.5


@dataclass(frozen=True, slots=True)
class StudyProportion:
    label: str
    events: int
    total: int

    def __post_init__(self):
        if self.total <= 0:
            raise ValueError(f"{self.label}: a proportion needs n > 0 patients, got n={self.total}")
        if not 0 <= self.events <= self.total:
            raise ValueError(f"{self.label}: {self.events} events is outside 0..n={self.total}")


@dataclass(frozen=True, slots=True)
class RandomEffects:
    """A random-effects fit on the analysis scale (here logits)."""

    method: str
    mean: float
    se: float
    tau2: float
    q: float
    df: int
    i2: float  # 0..1
    weights: tuple[float, ...]  # relative random-effects weights, summing to 1


@dataclass(frozen=True, slots=True)
class PooledProportion:
    method: str  # REML | DL | single study
    k: int
    events: int
    total: int
    proportion: float
    ci_low: float
    ci_high: float
    pi_low: float | None  # prediction interval, k >= 3 only
    pi_high: float | None
    tau2: float | None
    i2: float | None  # 0..1
    q: float | None
    q_pvalue: float | None
    weights: tuple[float, ...]  # per study, in input order, summing to 1
    corrected: tuple[str, ...]  # labels of studies that got the 0.5 continuity correction
    note: str


def logit_effect(events: int, total: int, increment: float = CONTINUITY_INCREMENT) -> tuple[float, float, bool]:
    """logit(k/n) and its variance; 0.5 is added to events and non-events of a 0/n or n/n study."""
    corrected = events == 0 or events == total
    if corrected:
        events, total = events + increment, total + 2 * increment
    non_events = total - events
    return math.log(events / non_events), 1 / events + 1 / non_events, corrected


def exact_interval(events: int, total: int, level: float = 0.95) -> tuple[float, float]:
    """Clopper-Pearson interval of k/n, as proportions."""
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(events, total, alpha=1 - level, method="beta")
    return float(np.nan_to_num(low, nan=0.0)), float(np.nan_to_num(high, nan=1.0))


def random_effects(effects: Sequence[float], variances: Sequence[float], method: str = "REML") -> RandomEffects:
    """Pool effects with known sampling variances; tau^2 by REML (PyMARE) or DerSimonian-Laird (statsmodels)."""
    if method not in METHODS:
        raise ValueError(f"unknown tau^2 estimator {method!r}: choose one of {', '.join(METHODS)}")
    y = np.asarray(effects, dtype=float)
    v = np.asarray(variances, dtype=float)
    if len(y) < 2:
        raise ValueError("random-effects pooling needs at least two studies")
    import warnings

    from statsmodels.stats.meta_analysis import combine_effects

    with warnings.catch_warnings():
        # A negative DL moment estimate makes statsmodels take square roots of negative variances for
        # results we do not use (they are replaced by the fixed-effect ones below).
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = combine_effects(y, v, method_re="dl")
    q, df = float(fit.q), len(y) - 1
    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0
    if method == "DL":
        if fit.tau2 > 0:
            mean, se, tau2, weights = fit.mean_effect_re, fit.sd_eff_w_re, float(fit.tau2), fit.weights_rel_re
        else:
            # statsmodels leaves a negative moment estimate as it is; DerSimonian-Laird truncates it
            # at 0, which makes the random-effects fit the fixed-effect one.
            mean, se, tau2, weights = fit.mean_effect_fe, fit.sd_eff_w_fe, 0.0, fit.weights_rel_fe
    else:
        mean, se, tau2 = _reml(y, v)
        raw = 1 / (v + tau2)
        weights = raw / raw.sum()
    return RandomEffects(method, float(mean), float(se), tau2, q, df, i2, tuple(float(w) for w in weights))


def _reml(y: np.ndarray, v: np.ndarray) -> tuple[float, float, float]:
    from pymare.estimators import VarianceBasedLikelihoodEstimator

    # "wald": the classic z-based standard error meta and metafor print by default (no Knapp-Hartung).
    estimator = VarianceBasedLikelihoodEstimator(method="REML", small_sample_correction="wald")
    estimator.fit(y[:, None], v[:, None], np.ones((len(y), 1)))
    params = estimator.params_
    return (float(params["fe_params"].ravel()[0]), math.sqrt(float(params["inv_cov"].ravel()[0])),
            float(params["tau2"].ravel()[0]))


def pool_proportions(studies: Sequence[StudyProportion], method: str = "REML", level: float = 0.95) -> PooledProportion:
    """Random-effects pooled proportion of single-arm studies (logit scale, back-transformed)."""
    if not studies:
        raise ValueError("nothing to pool: no study has events and a denominator")
    events = sum(s.events for s in studies)
    total = sum(s.total for s in studies)
    if len(studies) == 1:
        (study,) = studies
        low, high = exact_interval(study.events, study.total, level)
        return PooledProportion(
            "single study", 1, events, total, study.events / study.total, low, high, None, None, None, None, None,
            None, (1.0,), (), "one study: its own proportion with an exact (Clopper-Pearson) interval, not pooled",
        )
    from scipy import stats

    logits = [logit_effect(s.events, s.total) for s in studies]
    fit = random_effects([y for y, _, _ in logits], [v for _, v, _ in logits], method)
    z = stats.norm.isf((1 - level) / 2)
    pi_low = pi_high = None
    if len(studies) >= 3:
        half = stats.t.isf((1 - level) / 2, len(studies) - 2) * math.sqrt(fit.tau2 + fit.se**2)
        pi_low, pi_high = _expit(fit.mean - half), _expit(fit.mean + half)
    corrected = tuple(s.label for s, (_, _, c) in zip(studies, logits) if c)
    note = f"random effects, logit scale, tau^2 by {method}"
    if corrected:
        note += f"; 0.5 added to events and non-events of {len(corrected)} study(ies) with 0 or all events"
    return PooledProportion(
        method, len(studies), events, total, _expit(fit.mean), _expit(fit.mean - z * fit.se), _expit(fit.mean + z * fit.se),
        pi_low, pi_high, fit.tau2, fit.i2, fit.q, float(stats.chi2.sf(fit.q, fit.df)), fit.weights, corrected, note,
    )


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))
