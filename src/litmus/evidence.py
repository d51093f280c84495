"""Which of the review's strategies a study belongs to, decided from its extracted entities.

The strategies are the editorial's: dual targeting (tandem, bispecific, cocktail/sequential),
a novel CD19 epitope, combination with targeted drugs (BTKi, BCL-2i, HDACi, PD-1/PD-L1, IMiD,
PI3K/AKT/mTOR, hypomethylating agents), transplant consolidation (ASCT, allo-HSCT), bridging
chemo- or radiotherapy, and CAR-NK. Every assignment carries the mentions that caused it, a label
for humans, and whether it is the study's primary strategy: the one it is grouped under in evidence
tables and forest plots, so that a study in two strategies is drawn and pooled once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

DESIGN_STRATEGIES = {
    "design:tandem_CAR": ("dual_targeting:tandem", "dual_targeting"),
    "design:bispecific_CAR": ("dual_targeting:bispecific", "dual_targeting"),
    "design:cocktail": ("dual_targeting:cocktail_sequential", "dual_targeting"),
    "design:sequential_infusion": ("dual_targeting:cocktail_sequential", "dual_targeting"),
    "design:21D4": ("novel_epitope:cd19", "novel_epitope"),
    "procedure:ASCT": ("transplant:asct", "transplant"),
    "procedure:allo-HSCT": ("transplant:allo_hsct", "transplant"),
    "procedure:bridging_chemotherapy": ("bridging:chemotherapy", "bridging"),
    "procedure:bridging_radiotherapy": ("bridging:radiotherapy", "bridging"),
    "celltherapy:CAR-NK": ("car_nk", "car_nk"),
}
DRUG_CLASS_STRATEGIES = {
    "BTK inhibitor": "combination:btki",
    "BCL-2 inhibitor": "combination:bcl2i",
    "HDAC inhibitor": "combination:hdaci",
    "PD-1/PD-L1 antibody": "combination:pd1",
    "IMiD": "combination:imid",
    "PI3K/AKT/mTOR inhibitor": "combination:pi3k_akt_mtor",
    "hypomethylating agent": "combination:hma",
    "γ-secretase inhibitor": "combination:gamma_secretase",
}
# Antigens a CAR is aimed at in haematological malignancies; two of them in one study (and no
# design named) still make it a dual-targeting study.
CAR_TARGETS = frozenset(
    {"target:CD19", "target:CD20", "target:CD22", "target:BCMA", "target:CD38", "target:CD7",
     "target:CD30", "target:CD123", "target:CD33", "target:CLL-1", "target:GPRC5D", "target:SLAMF7",
     "target:CD5", "target:CD70", "target:kappa_light_chain"}
)


# The one mapping from strategy codes to what a reader sees (report, forest plot, warehouse views).
FAMILY_LABELS = {
    "dual_targeting": "Dual targeting",
    "novel_epitope": "Novel CD19 epitope",
    "car_nk": "CAR-NK",
    "combination": "Combination with targeted drugs",
    "transplant": "Transplant consolidation",
    "bridging": "Bridging therapy",
    "single_target": "Single target",
    "unclassified": "Unclassified",
}
STRATEGY_LABELS = {
    "dual_targeting:tandem": "Dual targeting — tandem CAR",
    "dual_targeting:bispecific": "Dual targeting — bispecific CAR",
    "dual_targeting:cocktail_sequential": "Dual targeting — sequential cocktail",
    "dual_targeting:unspecified": "Dual targeting — design not named",
    "novel_epitope:cd19": "Novel CD19 epitope (21D4)",
    "combination:btki": "Combination — BTK inhibitor",
    "combination:bcl2i": "Combination — BCL-2 inhibitor",
    "combination:hdaci": "Combination — HDAC inhibitor",
    "combination:pd1": "Combination — PD-1/PD-L1 blockade",
    "combination:imid": "Combination — IMiD",
    "combination:pi3k_akt_mtor": "Combination — PI3K/AKT/mTOR inhibitor",
    "combination:hma": "Combination — hypomethylating agent",
    "combination:gamma_secretase": "Combination — γ-secretase inhibitor",
    "transplant:asct": "Transplant — autologous (ASCT)",
    "transplant:allo_hsct": "Transplant — allogeneic (allo-HSCT)",
    "bridging:chemotherapy": "Bridging — chemotherapy",
    "bridging:radiotherapy": "Bridging — radiotherapy",
    "car_nk": "CAR-NK cells",
    "unclassified": "Unclassified",
}
# A study in several strategies is grouped under the first of its families in this order: the
# review's novel strategies before the co-treatments they are given with.
FAMILY_PRIORITY = ("dual_targeting", "novel_epitope", "car_nk", "combination", "transplant", "bridging", "single_target")


def strategy_label(strategy: str) -> str:
    """"dual_targeting:cocktail_sequential" -> "Dual targeting — sequential cocktail"; unknown codes stay readable."""
    if strategy in STRATEGY_LABELS:
        return STRATEGY_LABELS[strategy]
    family, _, detail = strategy.partition(":")
    if family == "single_target" and detail:
        return f"Single target — {detail.upper()}"
    name = FAMILY_LABELS.get(family, family.replace("_", " ").capitalize())
    return f"{name} — {detail.replace('_', ' ')}" if detail else name


def family_label(family: str) -> str:
    return FAMILY_LABELS.get(family, family.replace("_", " ").capitalize())


def primary_strategy(assignments: list["StrategyAssignment"]) -> "StrategyAssignment | None":
    """The strategy a study is grouped under: by FAMILY_PRIORITY, then by strategy code."""
    def rank(a: StrategyAssignment) -> tuple[int, str]:
        order = FAMILY_PRIORITY.index(a.family) if a.family in FAMILY_PRIORITY else len(FAMILY_PRIORITY)
        return order, a.strategy

    return min(assignments, key=rank, default=None)


@dataclass(frozen=True)
class Mention:
    concept_id: str
    text: str
    source: str  # title | abstract


@dataclass(frozen=True)
class StrategyAssignment:
    pmid: str
    strategy: str
    family: str
    reason: str


def _quote(mentions: list[Mention]) -> str:
    seen = list(dict.fromkeys(f"'{m.text}' ({m.source})" for m in mentions))
    return ", ".join(seen[:3])


def classify_study(pmid: str, mentions: Iterable[Mention], drug_classes: Mapping[str, str]) -> list[StrategyAssignment]:
    """Strategies of one study; `drug_classes` maps drug concept ids to their class."""
    by_strategy: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    targets: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.concept_id in DESIGN_STRATEGIES:
            by_strategy[DESIGN_STRATEGIES[mention.concept_id]].append(mention)
        drug_class = drug_classes.get(mention.concept_id)
        if drug_class in DRUG_CLASS_STRATEGIES:
            by_strategy[(DRUG_CLASS_STRATEGIES[drug_class], "combination")].append(mention)
        if mention.concept_id in CAR_TARGETS:
            targets[mention.concept_id].append(mention)
    assignments = [
        StrategyAssignment(pmid, strategy, family, f"mentions {_quote(found)}")
        for (strategy, family), found in sorted(by_strategy.items())
    ]
    if len(targets) >= 2 and not any(a.family == "dual_targeting" for a in assignments):
        names = ", ".join(sorted(t.removeprefix("target:") for t in targets))
        assignments.append(
            StrategyAssignment(pmid, "dual_targeting:unspecified", "dual_targeting", f"targets {names} in one study")
        )
    if not any(a.family in {"dual_targeting", "novel_epitope", "car_nk"} for a in assignments) and len(targets) == 1:
        (target, found), = targets.items()
        name = target.removeprefix("target:")
        assignments.append(
            StrategyAssignment(pmid, f"single_target:{name.lower()}", "single_target", f"one CAR target: {_quote(found)}")
        )
    return assignments


def classify_stored_studies(con, pmids: Iterable[str] | None = None) -> int:
    """(Re)classify stored studies from their entity rows and store the assignments."""
    import pyarrow as pa

    from litmus.nlp.lexicon import load_lexicon
    from litmus.warehouse.load import insert_arrow, transaction

    lexicon = load_lexicon()
    drug_classes = {c.concept_id: c.drug_class for c in lexicon if c.drug_class}
    query = "SELECT pmid, concept_id, text, source FROM entities WHERE concept_id IS NOT NULL"
    params: list = []
    if pmids is not None:
        query += " AND list_contains(?, pmid)"
        params.append(list(pmids))
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for pmid, concept_id, text, source in con.execute(query + " ORDER BY pmid, mention_index", params).fetchall():
        mentions[pmid].append(Mention(concept_id, text, source))
    scope = list(mentions) if pmids is None else list(pmids)
    rows, primary = [], set()
    for pmid in scope:
        assignments = classify_study(pmid, mentions.get(pmid, []), drug_classes)
        rows.extend(assignments)
        if assignments:
            primary.add(primary_strategy(assignments))
    table = pa.table({
        "pmid": [a.pmid for a in rows], "strategy": [a.strategy for a in rows],
        "family": [a.family for a in rows], "reason": [a.reason for a in rows],
        "label": [strategy_label(a.strategy) for a in rows], "family_label": [family_label(a.family) for a in rows],
        "is_primary": [a in primary for a in rows],
    }, schema=pa.schema([("pmid", pa.string()), ("strategy", pa.string()), ("family", pa.string()), ("reason", pa.string()),
                         ("label", pa.string()), ("family_label", pa.string()), ("is_primary", pa.bool_())]))
    with transaction(con):
        if pmids is None:
            con.execute("DELETE FROM paper_strategies")
        else:
            con.execute("DELETE FROM paper_strategies WHERE list_contains(?, pmid)", [scope])
        insert_arrow(con, "paper_strategies", table)
    return len(rows)
