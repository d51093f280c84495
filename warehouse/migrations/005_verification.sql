-- Verification: the review's claims, each fact's verdict against the cited paper, arithmetic
-- findings, and the strategy each stored study belongs to (for the evidence tables).

CREATE TABLE claims (
    review_id      VARCHAR NOT NULL,
    claim_id       VARCHAR NOT NULL,
    origin         VARCHAR NOT NULL,          -- prose (read from the review's text) | transcription
    section        VARCHAR,
    text           VARCHAR,                   -- the review's sentence(s); our summary for transcribed claims
    start_offset   INTEGER,
    end_offset     INTEGER,
    cites          VARCHAR[] NOT NULL,
    kind           VARCHAR NOT NULL,          -- numeric | qualitative
    population     VARCHAR,
    intervention   VARCHAR,
    verdict        VARCHAR NOT NULL,          -- supported | partly_supported | contradicted | unverifiable
    explanation    VARCHAR NOT NULL,
    flags          VARCHAR[],
    verified_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (review_id, claim_id)
);

CREATE TABLE claim_facts (
    review_id                  VARCHAR NOT NULL,
    claim_id                   VARCHAR NOT NULL,
    fact_index                 INTEGER NOT NULL,
    endpoint                   VARCHAR NOT NULL,
    label                      VARCHAR,
    stat                       VARCHAR,
    value                      DOUBLE,
    unit                       VARCHAR,
    written                    VARCHAR,
    timepoint_months           DOUBLE,
    subgroup                   VARCHAR,
    qualifier                  VARCHAR,
    citation_key               VARCHAR,
    verdict                    VARCHAR NOT NULL,  -- supported | mismatch | not_in_abstract | source_unavailable
    explanation                VARCHAR NOT NULL,
    reported_pmid              VARCHAR,
    reported_endpoint          VARCHAR,
    reported_value             DOUBLE,
    reported_unit              VARCHAR,
    reported_timepoint_months  DOUBLE,
    evidence_sentence          VARCHAR,
    evidence_start             INTEGER,          -- offsets in papers.abstract of reported_pmid
    evidence_end               INTEGER,
    notes                      VARCHAR[],
    PRIMARY KEY (review_id, claim_id, fact_index)
);

CREATE TABLE arithmetic_findings (
    review_id     VARCHAR NOT NULL,
    claim_id      VARCHAR NOT NULL,
    position      INTEGER NOT NULL,
    kind          VARCHAR NOT NULL,              -- grim_inconsistent | count_percent_mismatch | sample_size_differs
    endpoint      VARCHAR,
    message       VARCHAR NOT NULL,
    percent       DOUBLE,
    n             INTEGER,
    alternatives  VARCHAR[],                     -- "57/65"
    PRIMARY KEY (review_id, claim_id, position)
);

CREATE TABLE paper_strategies (
    pmid        VARCHAR NOT NULL,
    strategy    VARCHAR NOT NULL,                -- dual_targeting:tandem, combination:btki, transplant:asct, …
    family      VARCHAR NOT NULL,                -- dual_targeting | novel_epitope | combination | transplant | car_nk | single_target
    reason      VARCHAR NOT NULL,                -- the entities (and words) that put it there
    PRIMARY KEY (pmid, strategy)
);
