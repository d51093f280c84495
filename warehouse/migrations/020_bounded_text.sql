-- What the limits of litmus.limits changed, kept beside the data they changed (docs/reliability.md).
-- An abstract over abstract_chars is stored cut at a sentence or word end: the flag says so.
ALTER TABLE papers ADD COLUMN abstract_truncated BOOLEAN DEFAULT false;
-- What extraction left out or did differently because of a limit ("metrics: 1 sentence(s) over 5,000
-- characters not searched …"); NULL when nothing was.
ALTER TABLE extractions ADD COLUMN bounded VARCHAR[];
