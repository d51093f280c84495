-- Which process a run belongs to, so a run killed mid-way can be told from one still going.
ALTER TABLE run_log ADD COLUMN pid INTEGER;
ALTER TABLE run_log ADD COLUMN host VARCHAR;
