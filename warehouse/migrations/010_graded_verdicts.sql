-- Graded verdicts (supported | supported_with_discrepancy | contradicted | not_in_source |
-- source_unavailable | unverifiable), the discrepancies behind them, where the claim stands in the
-- review file, and the qualitative findings (concepts, comparisons, populations, study design).
-- Verdicts written before this migration keep their old words until the review is verified again.

ALTER TABLE claims ADD COLUMN review_start INTEGER;           -- offsets of `text` in the review file as given
ALTER TABLE claims ADD COLUMN review_end INTEGER;
ALTER TABLE claims ADD COLUMN discrepancy_kinds VARCHAR[];    -- every kind found in the claim, major ones first
ALTER TABLE claims ADD COLUMN notes VARCHAR[];                -- no error of the review: "the source reports 13/15 as 86% …"

ALTER TABLE claim_facts ADD COLUMN composite VARCHAR;         -- the composite the review names ("CR/CRi")
ALTER TABLE claim_facts ADD COLUMN value_high DOUBLE;         -- a range's upper bound; `value` is then its lower bound
ALTER TABLE claim_facts ADD COLUMN reported_composite VARCHAR;
ALTER TABLE claim_facts ADD COLUMN reported_group VARCHAR;
ALTER TABLE claim_facts ADD COLUMN discrepancy_kinds VARCHAR[];   -- major ones first
ALTER TABLE claim_facts ADD COLUMN discrepancy_reasons VARCHAR[]; -- one line each, both sides named

CREATE TABLE claim_findings (
    review_id          VARCHAR NOT NULL,
    claim_id           VARCHAR NOT NULL,
    position           INTEGER NOT NULL,
    check_kind         VARCHAR NOT NULL,  -- concept | comparison | population | design
    subject            VARCHAR NOT NULL,  -- the claim's word: "CD22", "superior", "B-ALL", "phase 2"
    citation_key       VARCHAR,
    verdict            VARCHAR NOT NULL,  -- supported | supported_with_discrepancy | contradicted | not_in_source
    explanation        VARCHAR NOT NULL,
    discrepancy_kind   VARCHAR,           -- no_comparator | population_not_studied | study_design
    evidence_sentence  VARCHAR,           -- the source sentence the finding rests on
    evidence_start     INTEGER,           -- its offsets in papers.abstract
    evidence_end       INTEGER,
    PRIMARY KEY (review_id, claim_id, position)
);
