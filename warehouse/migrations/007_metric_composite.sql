-- Which composite response a figure is ("CR/CRi", "sCR", ">=VGPR"), so that "CR 86%" and
-- "CR/CRi 86%" stay apart for verification and pooling. NULL for a plain endpoint and for rows
-- extracted before the extractor named composites.
ALTER TABLE metrics ADD COLUMN composite VARCHAR;
