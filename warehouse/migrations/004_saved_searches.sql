-- Saved PubMed searches run incrementally (litmus.updates): watermarks, per-run rows, what each
-- search found, and whether each paper found counts as a clinical study.
-- Keys are natural (search name, datetype, pmid) so a re-run of a day upserts instead of duplicating.

CREATE TABLE saved_searches (
    search_name   VARCHAR PRIMARY KEY,
    query         VARCHAR NOT NULL,            -- the PubMed query as written in the TOML file
    term          VARCHAR NOT NULL,            -- query plus filters: what ESearch is sent
    description   VARCHAR,
    source_file   VARCHAR,
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The date of a search's last successful run, per ESearch datetype (edat: added to PubMed,
-- mdat: modified). A run on day D asks for the whole days from the watermark to D - 1, so
-- consecutive runs cover every day once, and a re-run of the same day asks nothing.
CREATE TABLE search_watermarks (
    search_name   VARCHAR NOT NULL,
    datetype      VARCHAR NOT NULL,            -- edat | mdat
    watermark     DATE NOT NULL,               -- the as-of date of the last run; next window starts here
    term          VARCHAR NOT NULL,            -- a changed term starts over from the lookback window
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (search_name, datetype)
);

CREATE TABLE search_runs (
    run_id         VARCHAR NOT NULL,           -- one update run (all its searches share it)
    search_name    VARCHAR NOT NULL,
    datetype       VARCHAR NOT NULL,           -- edat | mdat
    as_of          DATE NOT NULL,
    mindate        DATE,                       -- NULL when nothing was asked (up to date, first mdat)
    maxdate        DATE,
    status         VARCHAR NOT NULL,           -- searched | up_to_date | baseline
    result_count   INTEGER NOT NULL,           -- PubMed's Count over the whole window
    slices         INTEGER NOT NULL,           -- ESearch windows asked (> 1 when Count > 9,999)
    found_pmids    VARCHAR[] NOT NULL,
    new_pmids      VARCHAR[] NOT NULL,         -- fetched because the warehouse did not hold them
    updated_pmids  VARCHAR[] NOT NULL,         -- re-fetched because PubMed modified them
    warnings       VARCHAR[],
    ran_at         TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (run_id, search_name, datetype)
);

-- Which saved search found which paper, first on which day.
CREATE TABLE search_hits (
    pmid              VARCHAR NOT NULL,
    search_name       VARCHAR NOT NULL,
    first_seen        DATE NOT NULL,           -- the as-of date of the run that first found it
    run_id            VARCHAR NOT NULL,
    new_to_warehouse  BOOLEAN NOT NULL,        -- the paper came in through this search
    PRIMARY KEY (pmid, search_name)
);

-- Is a paper a clinical study? Evidence tables join this and keep `in_evidence` rows by default.
CREATE TABLE paper_relevance (
    pmid             VARCHAR PRIMARY KEY,
    is_clinical      BOOLEAN NOT NULL,
    reasons          VARCHAR[] NOT NULL,       -- why, one short phrase each
    searches         VARCHAR[] NOT NULL,       -- saved searches that found it
    cited_by_review  BOOLEAN NOT NULL,         -- false: found only by saved searches
    in_evidence      BOOLEAN NOT NULL,         -- is_clinical OR cited_by_review
    classifier       VARCHAR NOT NULL,         -- version of litmus.updates.relevance
    classified_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);
