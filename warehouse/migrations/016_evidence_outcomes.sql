-- Evidence per outcome: strategy labels for humans and the primary strategy a study is grouped
-- under (so a study in two strategies is drawn and pooled once), and the pooled proportions per
-- outcome and strategy that litmus.outcomes computes after every classification.

ALTER TABLE paper_strategies ADD COLUMN label VARCHAR;         -- "Dual targeting — sequential cocktail"
ALTER TABLE paper_strategies ADD COLUMN family_label VARCHAR;  -- "Dual targeting"
ALTER TABLE paper_strategies ADD COLUMN is_primary BOOLEAN;    -- one row per study is primary

CREATE TABLE pooled_estimates (
    outcome         VARCHAR NOT NULL,    -- CR, ORR, CRS_GE3, ICANS_GE3
    grouping        VARCHAR NOT NULL,    -- overall | family | strategy (the studies' primary strategy)
    group_key       VARCHAR NOT NULL,    -- 'all', a family code or a strategy code
    group_label     VARCHAR NOT NULL,
    method          VARCHAR NOT NULL,    -- REML | DL | single study
    k               INTEGER NOT NULL,    -- studies pooled
    events          INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    proportion_pct  DOUBLE NOT NULL,
    ci_low_pct      DOUBLE NOT NULL,
    ci_high_pct     DOUBLE NOT NULL,
    pi_low_pct      DOUBLE,              -- prediction interval, k >= 3
    pi_high_pct     DOUBLE,
    tau2            DOUBLE,              -- between-study variance, logit scale
    i2_pct          DOUBLE,
    q               DOUBLE,
    q_pvalue        DOUBLE,
    pmids           VARCHAR[] NOT NULL,  -- the studies pooled
    not_pooled      VARCHAR[] NOT NULL,  -- studies with this outcome but no stated k/n (derived or none)
    note            VARCHAR NOT NULL,
    computed_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (outcome, grouping, group_key, method)
);
