-- Extraction: sentences, entity mentions and outcome metrics per paper, with provenance.
-- Offsets are character offsets into papers.title when source = 'title', else into papers.abstract.
-- Rows of one paper are replaced together, in one transaction (litmus.extraction.store_extractions).

CREATE TABLE sentences (
    pmid            VARCHAR NOT NULL,
    sentence_index  INTEGER NOT NULL,         -- 0 is the title, abstract sentences follow
    source          VARCHAR NOT NULL,         -- title | abstract
    section         VARCHAR,                  -- the abstract section label (RESULTS, …)
    start_offset    INTEGER NOT NULL,
    end_offset      INTEGER NOT NULL,
    text            VARCHAR NOT NULL,
    PRIMARY KEY (pmid, sentence_index)
);

CREATE TABLE entities (
    pmid               VARCHAR NOT NULL,
    mention_index      INTEGER NOT NULL,
    sentence_index     INTEGER,
    source             VARCHAR NOT NULL,
    start_offset       INTEGER NOT NULL,
    end_offset         INTEGER NOT NULL,
    text               VARCHAR NOT NULL,
    label              VARCHAR NOT NULL,      -- TARGET, DRUG, DISEASE, …
    concept_id         VARCHAR,               -- NULL: caught by a rule, not in the lexicon
    concept_name       VARCHAR,
    score              DOUBLE,
    linked             BOOLEAN NOT NULL,
    attributes         MAP(VARCHAR, VARCHAR),
    extractor_version  VARCHAR NOT NULL,
    PRIMARY KEY (pmid, mention_index)
);

CREATE TABLE metrics (
    pmid               VARCHAR NOT NULL,
    metric_index       INTEGER NOT NULL,
    sentence_index     INTEGER,
    source             VARCHAR NOT NULL,
    section            VARCHAR,
    start_offset       INTEGER NOT NULL,
    end_offset         INTEGER NOT NULL,
    endpoint           VARCHAR NOT NULL,      -- ORR, CR, PFS, … OTHER (see label)
    label              VARCHAR,
    stat               VARCHAR NOT NULL,      -- rate | median | count | hr
    value              DOUBLE,
    unit               VARCHAR,
    timepoint          VARCHAR,
    timepoint_months   DOUBLE,
    count              INTEGER,
    total              INTEGER,
    ci_low             DOUBLE,
    ci_high            DOUBLE,
    not_reached        BOOLEAN NOT NULL,
    subgroup           VARCHAR,
    quote              VARCHAR NOT NULL,      -- the sentence the number came from
    extractor_version  VARCHAR NOT NULL,
    PRIMARY KEY (pmid, metric_index)
);

CREATE TABLE extractions (
    pmid               VARCHAR PRIMARY KEY,
    extractor_version  VARCHAR NOT NULL,
    n_sentences        INTEGER NOT NULL,
    n_entities         INTEGER NOT NULL,
    n_metrics          INTEGER NOT NULL,
    extracted_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
);
