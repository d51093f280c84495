-- The evidence table: one row per study and strategy (`primary_strategy` marks the one row per study
-- to keep; outcome_evidence is the per-outcome table, one row per study), with its design, population, targets,
-- CAR design, combination partners, N and main endpoints. Studies no strategy matched appear
-- once with family 'unclassified'. cited_by_review says whether a stored review cites it;
-- papers that saved searches found and the relevance classifier judged non-clinical are left
-- out (see paper_relevance; query it to see them).

CREATE OR REPLACE VIEW evidence_table AS
WITH strategies AS (
    SELECT p.pmid,
           coalesce(s.family, 'unclassified')   AS family,
           coalesce(s.strategy, 'unclassified') AS strategy,
           coalesce(s.label, 'Unclassified')    AS strategy_label,
           coalesce(s.is_primary, true)         AS primary_strategy,
           coalesce(s.reason, 'no strategy entity found in title or abstract') AS why
    FROM papers p LEFT JOIN paper_strategies s USING (pmid)
),
pick AS (
    SELECT pmid,
           any_value(value)            FILTER (WHERE endpoint = 'ORR' AND stat = 'rate')  AS orr_pct,
           any_value(ci_low)           FILTER (WHERE endpoint = 'ORR' AND stat = 'rate')  AS orr_ci_low,
           any_value(ci_high)          FILTER (WHERE endpoint = 'ORR' AND stat = 'rate')  AS orr_ci_high,
           any_value(value)            FILTER (WHERE endpoint IN ('CR', 'CRi') AND stat = 'rate') AS cr_pct,
           any_value(timepoint_months) FILTER (WHERE endpoint IN ('CR', 'CRi') AND stat = 'rate') AS cr_months,
           any_value(count)            FILTER (WHERE endpoint IN ('CR', 'CRi') AND stat = 'rate') AS cr_count,
           any_value(total)            FILTER (WHERE endpoint IN ('CR', 'CRi') AND stat = 'rate') AS cr_total,
           any_value(value)            FILTER (WHERE endpoint = 'PFS' AND stat = 'median') AS pfs_median_months,
           any_value(value)            FILTER (WHERE endpoint = 'PFS' AND stat = 'rate')   AS pfs_rate_pct,
           any_value(timepoint_months) FILTER (WHERE endpoint = 'PFS' AND stat = 'rate')   AS pfs_rate_months,
           any_value(value)            FILTER (WHERE endpoint = 'OS' AND stat = 'median')  AS os_median_months,
           any_value(value)            FILTER (WHERE endpoint = 'OS' AND stat = 'rate')    AS os_rate_pct,
           any_value(timepoint_months) FILTER (WHERE endpoint = 'OS' AND stat = 'rate')    AS os_rate_months
    FROM study_metric_choice
    GROUP BY pmid
)
SELECT st.family,
       st.strategy,
       st.strategy_label,
       st.primary_strategy,
       p.pmid,
       p.title,
       (SELECT a.last_name FROM authors a WHERE a.pmid = p.pmid ORDER BY a.position LIMIT 1) AS first_author,
       p.pub_year,
       p.journal_iso,
       (SELECT list(t.publication_type ORDER BY t.publication_type) FROM publication_types t WHERE t.pmid = p.pmid) AS design,
       e.diseases  AS population,
       e.targets,
       e.car_designs,
       e.car_products,
       e.drugs     AS combination_partners,
       e.procedures,
       coalesce(n.n_treated, n.n_enrolled, n.n_evaluable) AS n,
       n.n_enrolled, n.n_treated, n.n_evaluable,
       k.* EXCLUDE (pmid),
       EXISTS (SELECT 1 FROM citations c WHERE c.pmid = p.pmid) AS cited_by_review,
       r.searches AS found_by_searches,
       st.why
FROM strategies st
JOIN papers p USING (pmid)
LEFT JOIN study_entities e USING (pmid)
LEFT JOIN study_sample_sizes n USING (pmid)
LEFT JOIN pick k USING (pmid)
LEFT JOIN paper_relevance r USING (pmid)
WHERE coalesce(r.in_evidence, true)
   OR EXISTS (SELECT 1 FROM citations c WHERE c.pmid = p.pmid);
