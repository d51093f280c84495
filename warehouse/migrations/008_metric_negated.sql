-- Zero events: a figure read from a statement that the event did not occur ("no grade >=3 CRS",
-- "severe ICANS did not occur"), stored as a rate of 0 % with count 0 and negated = true, so that
-- "0 %" read from a table stays apart from an absence stated in words. NULL for rows extracted
-- before the extractor read absences (extractor < 2.0.0); earlier rows are kept as they are.
ALTER TABLE metrics ADD COLUMN negated BOOLEAN;
