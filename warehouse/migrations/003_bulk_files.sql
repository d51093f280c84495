-- Bulk PubMed files (baseline and update .xml/.xml.gz) and how far each was ingested.
-- One row per file name: NLM file names are unique and stable (pubmed25n0001.xml.gz …), and updates
-- must be applied in name order. A re-run skips a file whose row is 'completed' with the same
-- sha256 and filter; a 'running' row is an interrupted ingest, resumed after `items_done`.

CREATE TABLE bulk_files (
    name          VARCHAR PRIMARY KEY,       -- file name, e.g. pubmed25n1275.xml.gz
    path          VARCHAR NOT NULL,          -- where it was read from last
    size_bytes    BIGINT NOT NULL,
    sha256        VARCHAR NOT NULL,          -- content identity: a re-downloaded, changed file is ingested again
    filter        VARCHAR NOT NULL DEFAULT '',  -- the --keep query in force ('' for none)
    status        VARCHAR NOT NULL,          -- running | completed | failed
    items_done    BIGINT NOT NULL DEFAULT 0, -- records + deletions committed (the resume point)
    records       BIGINT NOT NULL DEFAULT 0, -- records read
    kept          BIGINT NOT NULL DEFAULT 0, -- records stored (after the filter and the version rule)
    deletions     BIGINT NOT NULL DEFAULT 0, -- <DeleteCitation> PMIDs applied
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    seconds       DOUBLE,
    message       VARCHAR                    -- why it failed
);
