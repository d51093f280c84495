-- Per study: its headline figures, sample sizes and the entities that describe it.

CREATE OR REPLACE VIEW study_metric_choice AS
-- One figure per study, endpoint and statistic: the whole-population figure reported first in
-- the abstract, else the first subgroup figure.
SELECT * EXCLUDE (choice)
FROM (
    SELECT m.*,
           row_number() OVER (
               PARTITION BY m.pmid, m.endpoint, m.stat
               ORDER BY (m.subgroup IS NOT NULL), m.metric_index
           ) AS choice
    FROM metrics m
    WHERE m.source = 'abstract'
)
WHERE choice = 1;

CREATE OR REPLACE VIEW study_sample_sizes AS
SELECT pmid,
       max(coalesce(value, count)) FILTER (WHERE endpoint = 'N_ENROLLED')  AS n_enrolled,
       max(coalesce(value, count)) FILTER (WHERE endpoint = 'N_TREATED')   AS n_treated,
       max(coalesce(value, count)) FILTER (WHERE endpoint = 'N_EVALUABLE') AS n_evaluable
FROM metrics
WHERE endpoint IN ('N_ENROLLED', 'N_TREATED', 'N_EVALUABLE') AND subgroup IS NULL
GROUP BY pmid;

CREATE OR REPLACE VIEW study_entities AS
SELECT pmid,
       list(DISTINCT concept_name ORDER BY concept_name) FILTER (WHERE label = 'TARGET')      AS targets,
       list(DISTINCT concept_name ORDER BY concept_name) FILTER (WHERE label = 'DISEASE')     AS diseases,
       list(DISTINCT concept_name ORDER BY concept_name) FILTER (WHERE label IN ('CAR_DESIGN', 'COSTIM_DOMAIN')) AS car_designs,
       list(DISTINCT concept_name ORDER BY concept_name) FILTER (WHERE label = 'DRUG')        AS drugs,
       list(DISTINCT concept_name ORDER BY concept_name) FILTER (WHERE label = 'PROCEDURE')   AS procedures,
       list(DISTINCT concept_name ORDER BY concept_name) FILTER (WHERE label = 'CAR_PRODUCT') AS car_products
FROM entities
WHERE linked
GROUP BY pmid;
