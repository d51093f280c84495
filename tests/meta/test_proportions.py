"""Pooled proportions against published worked examples, to the precision they were printed.

Data and results are facts carried over from the publications (and metafor's documented checks of
them); the computations are ours, through statsmodels and PyMARE.
"""

import math

import pytest

from litmus.meta.proportions import (
    StudyProportion,
    exact_interval,
    logit_effect,
    pool_proportions,
    random_effects,
)

# Niel-Weise et al. (2007), anti-infective-treated central venous catheters: catheter-related
# bloodstream infections per trial, as analysed by Stijnen, Hamza & Özdemir (2010), Stat Med
# 29:3046-3067, Table II (normal-normal model on the logit scale), and by metafor's analysis example
# "stijnen2010" (rma(measure = "PLO"), REML), which prints the same results to four decimals.
NIEL_WEISE_CONTROL = [  # (trial, events, patients) in the standard-catheter arms
    ("Bach 1996", 3, 117), ("George 1997", 3, 35), ("Maki 1997", 9, 195), ("Raad 1997", 7, 136),
    ("Heard 1998", 6, 157), ("Collin 1999", 4, 139), ("Hannan 1999", 3, 177), ("Marik 1999", 2, 39),
    ("Pierce 2000", 19, 103), ("Sheng 2000", 2, 122), ("Chatzinikolaou 2003", 7, 64), ("Corral 2003", 1, 58),
    ("Brun-Buisson 2004", 5, 175), ("Leon 2004", 11, 180), ("Yucel 2004", 0, 105), ("Moretti 2005", 1, 262),
    ("Rupp 2005", 3, 362), ("Osma 2006", 1, 69),
]
NIEL_WEISE_TREATED = [  # the anti-infective arms: six trials with no event at all
    ("Bach 1996", 0, 116), ("George 1997", 1, 44), ("Maki 1997", 2, 208), ("Raad 1997", 0, 130),
    ("Heard 1998", 5, 151), ("Collin 1999", 1, 98), ("Hannan 1999", 1, 174), ("Marik 1999", 1, 74),
    ("Pierce 2000", 1, 97), ("Sheng 2000", 1, 113), ("Chatzinikolaou 2003", 0, 66), ("Corral 2003", 0, 70),
    ("Brun-Buisson 2004", 3, 188), ("Leon 2004", 6, 187), ("Yucel 2004", 0, 118), ("Moretti 2005", 0, 252),
    ("Rupp 2005", 1, 345), ("Osma 2006", 4, 64),
]


def studies(rows):
    return [StudyProportion(label, events, total) for label, events, total in rows]


def logit(p):
    return math.log(p / (1 - p))


def test_stijnen_2010_control_arms_reml():
    pooled = pool_proportions(studies(NIEL_WEISE_CONTROL), method="REML")
    # Table II: logit mean -3.30 (SE 0.24), tau^2 0.663; metafor to four decimals: -3.3018 (0.2378), 0.6629,
    # pooled proportion 0.0355 [0.0226, 0.0554] (printed as 0.035 [0.023, 0.056] in the paper).
    assert round(logit(pooled.proportion), 4) == -3.3018
    assert round(pooled.tau2, 4) == 0.6629
    assert round(pooled.proportion, 4) == 0.0355
    assert (round(pooled.ci_low, 4), round(pooled.ci_high, 4)) == (0.0226, 0.0554)
    se = (logit(pooled.ci_high) - logit(pooled.ci_low)) / (2 * 1.959964)
    assert round(se, 2) == 0.24 and round(se, 4) == 0.2378
    assert pooled.corrected == ("Yucel 2004",)  # the one arm with no event gets the 0.5 correction
    assert (pooled.k, pooled.events, pooled.total) == (18, 87, 2495)  # every arm counted once


def test_stijnen_2010_treated_arms_with_zero_events_reml():
    pooled = pool_proportions(studies(NIEL_WEISE_TREATED), method="REML")
    # Table II: -4.26 (0.26), tau^2 0.393, 0.014 [0.008, 0.023]; metafor: -4.2604, 0.3928, 0.0139 [0.0084, 0.0229].
    assert round(logit(pooled.proportion), 4) == -4.2604
    assert round(pooled.tau2, 4) == 0.3928
    assert round(pooled.proportion, 4) == 0.0139
    assert (round(pooled.ci_low, 4), round(pooled.ci_high, 4)) == (0.0084, 0.0229)
    assert len(pooled.corrected) == 6 and "Yucel 2004" in pooled.corrected


# DerSimonian & Kacker (2007), Contemp Clin Trials 28:105-114, Tables 3 and 4: the CLASP trials
# (aspirin in pregnancy, pre-eclampsia), log odds ratios; tau, mu and SE per tau^2 estimator.
CLASP = [(5, 156, 8, 74), (5, 303, 17, 303), (12, 565, 9, 477), (69, 1570, 94, 1565), (9, 103, 11, 105), (313, 4659, 352, 4650)]


def clasp_log_odds_ratios():
    effects, variances = [], []
    for a, n1, c, n2 in CLASP:
        b, d = n1 - a, n2 - c
        effects.append(math.log(a * d / (b * c)))
        variances.append(1 / a + 1 / b + 1 / c + 1 / d)
    return effects, variances


@pytest.mark.parametrize("method, tau, mu, se", [("DL", 0.2323, -0.3240, 0.1540), ("REML", 0.1843, -0.2980, 0.1343)])
def test_dersimonian_kacker_2007_clasp(method, tau, mu, se):
    fit = random_effects(*clasp_log_odds_ratios(), method=method)
    assert (round(math.sqrt(fit.tau2), 4), round(fit.mean, 4), round(fit.se, 4)) == (tau, mu, se)
    assert sum(fit.weights) == pytest.approx(1.0)


def test_dersimonian_laird_truncates_a_negative_tau2_at_zero():
    # Three nearly identical studies: Q < df, so the moment estimate is negative and DL gives tau^2 = 0.
    pooled = pool_proportions(studies([("a", 10, 100), ("b", 10, 101), ("c", 10, 99)]), method="DL")
    assert pooled.tau2 == 0.0 and pooled.i2 == 0.0
    assert pooled.weights == pytest.approx([1 / 3, 1 / 3, 1 / 3], abs=0.01)
    assert pooled.proportion == pytest.approx(0.0997, abs=1e-3)


def test_heterogeneity_and_prediction_interval():
    pooled = pool_proportions(studies(NIEL_WEISE_CONTROL), method="DL")
    assert pooled.q > 17  # more spread than 17 degrees of freedom explain
    assert pooled.i2 == pytest.approx((pooled.q - 17) / pooled.q)
    assert 0 < pooled.q_pvalue < 0.05
    # HTS prediction interval: wider than the confidence interval, on both sides
    assert pooled.pi_low < pooled.ci_low < pooled.proportion < pooled.ci_high < pooled.pi_high
    two = pool_proportions(studies(NIEL_WEISE_CONTROL[:2]))
    assert two.pi_low is None and two.pi_high is None  # needs k >= 3 (t with k - 2 df)


def test_one_study_is_reported_not_pooled():
    pooled = pool_proportions([StudyProportion("Cordoba 2021", 13, 15)])
    assert pooled.method == "single study" and pooled.k == 1 and pooled.tau2 is None
    assert pooled.proportion == pytest.approx(13 / 15)
    assert (pooled.ci_low, pooled.ci_high) == exact_interval(13, 15)
    assert "not pooled" in pooled.note


def test_exact_interval_known_values_and_zero_events():
    low, high = exact_interval(13, 15)
    assert (round(low, 4), round(high, 4)) == (0.5954, 0.9834)
    assert exact_interval(0, 10) == (0.0, pytest.approx(0.3085, abs=1e-4))
    assert exact_interval(10, 10)[1] == 1.0


def test_continuity_correction_only_for_zero_or_all_events():
    assert logit_effect(0, 10) == (math.log(0.5 / 10.5), 1 / 0.5 + 1 / 10.5, True)
    assert logit_effect(10, 10)[2] is True
    assert logit_effect(3, 10) == (math.log(3 / 7), 1 / 3 + 1 / 7, False)


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="outside"):
        StudyProportion("x", 12, 10)
    with pytest.raises(ValueError, match="nothing to pool"):
        pool_proportions([])
    with pytest.raises(ValueError, match="unknown tau"):
        random_effects([0.1, 0.2], [0.01, 0.02], method="PM")
