-- Foundation: reviews, their citations and how each was resolved, PubMed papers, and the run log.
-- Natural keys everywhere (review_id, citation_key, pmid) so loads are idempotent upserts.

CREATE TABLE reviews (
    review_id      VARCHAR PRIMARY KEY,
    title          VARCHAR NOT NULL,
    doi            VARCHAR,
    pmid           VARCHAR,
    pmcid          VARCHAR,
    journal        VARCHAR,
    year           INTEGER,
    authors        VARCHAR[],
    source         VARCHAR,
    loaded_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE citations (
    review_id              VARCHAR NOT NULL,
    citation_key           VARCHAR NOT NULL,   -- "3" for a numbered reference, "Nan et al." for a named one
    position               INTEGER NOT NULL,   -- order in the review
    kind                   VARCHAR NOT NULL,   -- numbered | named
    authors                VARCHAR[],
    title                  VARCHAR,
    journal                VARCHAR,
    year                   INTEGER,
    volume                 VARCHAR,
    issue                  VARCHAR,
    pages                  VARCHAR,
    doi                    VARCHAR,
    stated_pmid            VARCHAR,            -- a PMID the review itself gives
    pmcid                  VARCHAR,
    note                   VARCHAR,
    pmid                   VARCHAR,            -- the resolved PubMed record, NULL when unresolved
    resolution_method      VARCHAR,            -- known_pmid | doi | ecitmatch | title | unresolved
    resolution_confidence  DOUBLE,
    resolution_detail      VARCHAR,
    resolved_at            TIMESTAMP,
    PRIMARY KEY (review_id, citation_key)
);

CREATE TABLE papers (
    pmid               VARCHAR PRIMARY KEY,
    version            INTEGER NOT NULL DEFAULT 1,
    doi                VARCHAR,
    pmcid              VARCHAR,
    title              VARCHAR NOT NULL,
    abstract           VARCHAR,               -- sections joined as "LABEL: text" lines; offsets refer to this text
    has_abstract       BOOLEAN NOT NULL,
    journal            VARCHAR,
    journal_iso        VARCHAR,
    issn               VARCHAR,
    pub_year           INTEGER,
    pub_date           VARCHAR,
    volume             VARCHAR,
    issue              VARCHAR,
    pages              VARCHAR,
    language           VARCHAR,
    keywords           VARCHAR[],
    chemicals          VARCHAR[],
    is_retracted       BOOLEAN NOT NULL DEFAULT false,
    has_correction     BOOLEAN NOT NULL DEFAULT false,
    date_revised       VARCHAR,
    source             VARCHAR NOT NULL,      -- eutils | replay | bulk:<file name>
    loaded_at          TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE abstract_sections (
    pmid           VARCHAR NOT NULL,
    section_index  INTEGER NOT NULL,
    label          VARCHAR,
    nlm_category   VARCHAR,
    text           VARCHAR NOT NULL,
    start_offset   INTEGER NOT NULL,          -- where the section's text starts in papers.abstract
    PRIMARY KEY (pmid, section_index)
);

CREATE TABLE authors (
    pmid             VARCHAR NOT NULL,
    position         INTEGER NOT NULL,
    last_name        VARCHAR,
    fore_name        VARCHAR,
    initials         VARCHAR,
    collective_name  VARCHAR,
    affiliations     VARCHAR[],
    PRIMARY KEY (pmid, position)
);

CREATE TABLE publication_types (
    pmid              VARCHAR NOT NULL,
    publication_type  VARCHAR NOT NULL,
    PRIMARY KEY (pmid, publication_type)
);

CREATE TABLE mesh_headings (
    pmid         VARCHAR NOT NULL,
    position     INTEGER NOT NULL,
    descriptor   VARCHAR NOT NULL,
    ui           VARCHAR,
    major        BOOLEAN NOT NULL,
    qualifiers   VARCHAR[],
    major_qualifiers VARCHAR[],
    PRIMARY KEY (pmid, position)
);

CREATE TABLE comments_corrections (
    pmid        VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    ref_type    VARCHAR NOT NULL,
    ref_pmid    VARCHAR,
    ref_source  VARCHAR,
    PRIMARY KEY (pmid, position)
);

CREATE TABLE run_log (
    run_id        VARCHAR PRIMARY KEY,
    flow          VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL,           -- running | completed | failed
    parameters    JSON,
    counts        JSON,
    message       VARCHAR
);
