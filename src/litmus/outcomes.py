"""The evidence per outcome: the warehouse's `outcome_evidence` rows, grouped and pooled.

One function, `outcome_evidence`, gives the report, the forest plot, `litmus forest` and Prefect
artifacts the same tables: one row per study (grouped under its primary strategy), subgroup and
overall random-effects estimates. Only counts the source states are pooled; a k/n litmus recomputed
(`k_n_source = 'derived'`) is shown, marked, and pooled only when asked (`include_derived`).
"""

from __future__ import annotations

from collections.abc import Iterable

from dataclasses import dataclass, field

import duckdb

from litmus.meta.proportions import PooledProportion, StudyProportion, pool_proportions

# CR and the composite CR/CRi stay apart (pooling "CR 86%" with "CR/CRi 86%" would mix endpoints).
POOLED_OUTCOMES = ("CR", "CR/CRi", "ORR", "CRS_GE3", "ICANS_GE3")
OUTCOME_LABELS = {
    "CR": "Complete remission (CR)", "CRi": "CR with incomplete count recovery (CRi)", "CR/CRi": "CR or CRi",
    "ORR": "Overall response (ORR)", "PR": "Partial response", "MRD_NEG": "MRD-negative remission",
    "CRS_ANY": "Cytokine release syndrome, any grade", "CRS_GE3": "Cytokine release syndrome, grade ≥3",
    "ICANS_ANY": "ICANS, any grade", "ICANS_GE3": "ICANS (neurotoxicity), grade ≥3",
    "PFS": "Progression-free survival", "OS": "Overall survival", "EFS": "Event-free survival",
    "LFS": "Leukaemia-free survival", "DOR": "Duration of response", "RELAPSE": "Relapse", "NRM": "Non-relapse mortality",
    "MORTALITY": "Mortality",
}
GROUPINGS = ("strategy", "family")


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome.replace("_", " "))


@dataclass(frozen=True, slots=True)
class StudyRow:
    """One study's figure for one outcome, as `outcome_evidence` gives it."""

    pmid: str
    study: str
    group: str  # the strategy (or family) code it is grouped under
    group_label: str
    fields: dict  # every column of the view, for tables and exports

    @property
    def events(self) -> int | None:
        return self.fields["events"] if self.fields["k_n_source"] == "stated" else self.fields["derived_events"]

    @property
    def total(self) -> int | None:
        return self.fields["total"] if self.fields["k_n_source"] == "stated" else self.fields["derived_total"]

    @property
    def derived(self) -> bool:
        return self.fields["k_n_source"] == "derived"

    @property
    def cited(self) -> bool:
        return bool(self.fields["cited_by_review"])


@dataclass(frozen=True, slots=True)
class Subgroup:
    key: str
    label: str
    studies: list[StudyRow]
    pooled: PooledProportion | None  # None when no study in it can be pooled


@dataclass(frozen=True, slots=True)
class OutcomeEvidence:
    outcome: str
    label: str
    by: str
    method: str
    include_derived: bool
    subgroups: list[Subgroup]
    overall: PooledProportion | None
    weights: dict[str, float] = field(default_factory=dict)  # pmid -> share of the overall random-effects weight
    not_pooled: list[StudyRow] = field(default_factory=list)  # a figure, but no k/n to pool

    def in_pooling(self, row: StudyRow) -> bool:
        return poolable(row, self.include_derived)


def study_rows(con: duckdb.DuckDBPyConnection, outcome: str | None = None, measure: str = "proportion") -> list[dict]:
    """`outcome_evidence` as dicts (every outcome when `outcome` is None), ordered for reading."""
    query = "SELECT * FROM outcome_evidence WHERE measure = ?"
    params: list = [measure]
    if outcome is not None:
        query += " AND outcome = ?"
        params.append(outcome)
    cursor = con.execute(query + " ORDER BY outcome, family, strategy, pub_year, study, pmid", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def outcome_evidence(
    con: duckdb.DuckDBPyConnection, outcome: str, by: str = "strategy", method: str = "REML", include_derived: bool = False,
) -> OutcomeEvidence:
    """One outcome's studies grouped by primary strategy (or family), with subgroup and overall estimates."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}: choose {' or '.join(GROUPINGS)}")
    key, label = ("strategy", "strategy_label") if by == "strategy" else ("family", "family_label")
    rows = [StudyRow(r["pmid"], r["study"], r[key], r[label], r) for r in study_rows(con, outcome)]
    groups: dict[str, list[StudyRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    subgroups = [
        Subgroup(group, members[0].group_label, members, _pool(members, method, include_derived))
        for group, members in sorted(groups.items(), key=lambda item: _group_order(item[1][0]))
    ]
    pooled_rows = [r for r in rows if poolable(r, include_derived)]
    overall = _pool(rows, method, include_derived)
    weights = {r.pmid: w for r, w in zip(pooled_rows, overall.weights)} if overall else {}
    not_pooled = [r for r in rows if not poolable(r, include_derived)]
    return OutcomeEvidence(outcome, outcome_label(outcome), by, method, include_derived, subgroups, overall, weights, not_pooled)


def _group_order(row: StudyRow) -> tuple[int, str]:
    """The review's novel strategies first (as FAMILY_PRIORITY ranks them), unclassified last."""
    from litmus.evidence import FAMILY_PRIORITY

    family = row.fields["family"]
    rank = FAMILY_PRIORITY.index(family) if family in FAMILY_PRIORITY else len(FAMILY_PRIORITY)
    return rank, row.group_label


def poolable(row: StudyRow, include_derived: bool = False) -> bool:
    """Whole-population k/n the source states (or, when asked, that litmus recomputed)."""
    return (row.events is not None and bool(row.total) and row.fields["subgroup"] is None
            and (include_derived or not row.derived))


def _pool(rows: list[StudyRow], method: str, include_derived: bool) -> PooledProportion | None:
    studies = [StudyProportion(r.study, r.events, r.total) for r in rows if poolable(r, include_derived)]
    return pool_proportions(studies, method=method) if studies else None


def evidence_as_rows(con: duckdb.DuckDBPyConnection, outcomes=POOLED_OUTCOMES, by: str = "strategy") -> dict[str, list[dict]]:
    """Plain rows for artifacts and exports: {"studies": [...], "pooled": [...]} over the given outcomes."""
    studies, pooled = [], []
    for outcome in outcomes:
        evidence = outcome_evidence(con, outcome, by=by)
        for subgroup in evidence.subgroups:
            for row in subgroup.studies:
                studies.append({**row.fields, "weight_pct": _pct(evidence.weights.get(row.pmid)),
                                "pooled": evidence.in_pooling(row)})
        pooled.extend(_pooled_rows(evidence))
    return {"studies": studies, "pooled": pooled}


def _pooled_rows(evidence: OutcomeEvidence) -> list[dict]:
    found = [(evidence.by, s.key, s.label, s.pooled, s.studies) for s in evidence.subgroups]
    found.append(("overall", "all", "All studies", evidence.overall, [r for s in evidence.subgroups for r in s.studies]))
    rows = []
    for grouping, key, label, pooled, members in found:
        if pooled is None:
            continue
        rows.append({
            "outcome": evidence.outcome, "grouping": grouping, "group_key": key, "group_label": label,
            "method": pooled.method, "k": pooled.k, "events": pooled.events, "total": pooled.total,
            "proportion_pct": _pct(pooled.proportion), "ci_low_pct": _pct(pooled.ci_low), "ci_high_pct": _pct(pooled.ci_high),
            "pi_low_pct": _pct(pooled.pi_low), "pi_high_pct": _pct(pooled.pi_high), "tau2": pooled.tau2,
            "i2_pct": _pct(pooled.i2), "q": pooled.q, "q_pvalue": pooled.q_pvalue,
            "pmids": [r.pmid for r in members if evidence.in_pooling(r)],
            "not_pooled": [r.pmid for r in members if not evidence.in_pooling(r)], "note": pooled.note,
        })
    return rows


def _pct(value: float | None) -> float | None:
    return None if value is None else 100 * value


def refresh_evidence(con: duckdb.DuckDBPyConnection, pmids: Iterable[str] | None = None) -> int:
    """Re-classify the strategies of these stored studies (all when None), then re-pool every outcome
    (pooling groups by primary strategy, so any new assignment can move a pooled estimate)."""
    from litmus.evidence import classify_stored_studies

    assignments = classify_stored_studies(con, pmids)
    store_pooled_estimates(con)
    return assignments


def store_pooled_estimates(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute `pooled_estimates` (stated k/n only; REML and DL; by strategy, family and overall)."""
    import pyarrow as pa

    from litmus.warehouse.load import insert_arrow, transaction

    rows: dict[tuple, dict] = {}
    for outcome in POOLED_OUTCOMES:
        for method in ("REML", "DL"):
            for by in GROUPINGS:
                for row in _pooled_rows(outcome_evidence(con, outcome, by=by, method=method)):
                    rows[(row["outcome"], row["grouping"], row["group_key"], row["method"])] = row
    table = pa.Table.from_pylist(list(rows.values()), schema=_pooled_schema())
    with transaction(con):
        con.execute("DELETE FROM pooled_estimates")
        insert_arrow(con, "pooled_estimates", table)
    return table.num_rows


def _pooled_schema():
    import pyarrow as pa

    text, number = pa.string(), pa.float64()
    return pa.schema([
        ("outcome", text), ("grouping", text), ("group_key", text), ("group_label", text), ("method", text),
        ("k", pa.int32()), ("events", pa.int32()), ("total", pa.int32()), ("proportion_pct", number),
        ("ci_low_pct", number), ("ci_high_pct", number), ("pi_low_pct", number), ("pi_high_pct", number),
        ("tau2", number), ("i2_pct", number), ("q", number), ("q_pvalue", number),
        ("pmids", pa.list_(text)), ("not_pooled", pa.list_(text)), ("note", text),
    ])
