-- The evidence table per outcome: one row per study and outcome, never one per strategy (the
-- study's primary strategy is its group; all its strategies are a column). Counts are only ever
-- the source's own: `events`/`total` are what the sentence states. When a sentence gives only a
-- percentage, `derived_events`/`derived_total` hold k/n recomputed from a sample size the abstract
-- states, and only when that k/n gives back the printed percentage (to its last printed digit);
-- `k_n_source` says which ('stated', 'derived', 'none') and `derivation` how. Pooling uses stated
-- k/n only (`poolable`).

CREATE OR REPLACE VIEW study_design AS
SELECT p.pmid,
       CASE WHEN list_contains(t.types, 'Clinical Trial, Phase III') THEN 'phase 3'
            WHEN list_contains(t.types, 'Clinical Trial, Phase II') AND list_contains(t.types, 'Clinical Trial, Phase I') THEN 'phase 1/2'
            WHEN list_contains(t.types, 'Clinical Trial, Phase II') THEN 'phase 2'
            WHEN list_contains(t.types, 'Clinical Trial, Phase I') THEN 'phase 1'
            WHEN regexp_matches(p.title || ' ' || coalesce(p.abstract, ''), '(?i)phase (1/2|i/ii)\b') THEN 'phase 1/2'
            WHEN regexp_matches(p.title || ' ' || coalesce(p.abstract, ''), '(?i)phase (3|iii)\b') THEN 'phase 3'
            WHEN regexp_matches(p.title || ' ' || coalesce(p.abstract, ''), '(?i)phase (2|ii)\b') THEN 'phase 2'
            WHEN regexp_matches(p.title || ' ' || coalesce(p.abstract, ''), '(?i)phase (1|i)\b') THEN 'phase 1'
       END AS phase,
       CASE WHEN list_contains(t.types, 'Randomized Controlled Trial')
                 OR regexp_matches(coalesce(p.abstract, ''), '(?i)\brandomi[sz]ed\b') THEN 'randomised'
            WHEN regexp_matches(p.title || ' ' || coalesce(p.abstract, ''), '(?i)single[- ]arm|phase (1|i)\b|phase (2|ii)\b|first-in-human|pilot')
                 OR list_has_any(t.types, ['Clinical Trial', 'Clinical Trial, Phase I', 'Clinical Trial, Phase II']) THEN 'single-arm'
       END AS allocation,
       list_contains(coalesce(h.descriptors, []), 'Retrospective Studies')
           OR regexp_matches(p.title || ' ' || coalesce(p.abstract, ''), '(?i)\bretrospective') AS retrospective,
       CASE WHEN regexp_matches(p.title || ' ' || coalesce(p.abstract, ''), '(?i)relapsed|refractory|\br/r\b') THEN 'relapsed/refractory'
            WHEN regexp_matches(p.title || ' ' || coalesce(p.abstract, ''), '(?i)newly diagnosed|first[- ]line|front[- ]?line') THEN 'first line'
       END AS line_of_therapy
FROM papers p
LEFT JOIN (SELECT pmid, list(publication_type) AS types FROM publication_types GROUP BY pmid) t USING (pmid)
LEFT JOIN (SELECT pmid, list(descriptor) AS descriptors FROM mesh_headings GROUP BY pmid) h USING (pmid);

CREATE OR REPLACE VIEW study_groups AS
-- Every stored study once, with its primary strategy (or 'unclassified') and all its strategies.
SELECT p.pmid,
       coalesce(s.strategy, 'unclassified')            AS strategy,
       coalesce(s.label, 'Unclassified')               AS strategy_label,
       coalesce(s.family, 'unclassified')              AS family,
       coalesce(s.family_label, 'Unclassified')        AS family_label,
       coalesce(a.labels, [])                          AS all_strategies
FROM papers p
LEFT JOIN paper_strategies s ON s.pmid = p.pmid AND s.is_primary
LEFT JOIN (SELECT pmid, list(coalesce(label, strategy) ORDER BY strategy) AS labels FROM paper_strategies GROUP BY pmid) a
       ON a.pmid = p.pmid;

CREATE OR REPLACE VIEW outcome_evidence AS
WITH figures AS (
    SELECT m.*,
           coalesce(m.composite, m.endpoint) AS outcome,
           CASE m.stat WHEN 'median' THEN 'median' WHEN 'hr' THEN 'hazard ratio' ELSE 'proportion' END AS measure,
           -- survival at a time point is a Kaplan-Meier estimate, not k of n: never recomputed as counts
           m.endpoint IN ('PFS', 'OS', 'EFS', 'LFS', 'DOR') AS time_to_event
    FROM metrics m
    WHERE m.source = 'abstract'
      AND m.endpoint NOT IN ('N_ENROLLED', 'N_TREATED', 'N_EVALUABLE', 'FOLLOW_UP', 'OTHER')
),
chosen AS (
    -- One figure per study, outcome and measure: the whole population before a subgroup, a figure
    -- with its own k/n before one without, then the first in the abstract.
    SELECT * EXCLUDE (choice) FROM (
        SELECT f.*, row_number() OVER (
                   PARTITION BY f.pmid, f.outcome, f.measure
                   ORDER BY (f.subgroup IS NOT NULL), (f.count IS NULL OR f.total IS NULL), (f.stat <> 'rate'), f.metric_index) AS choice
        FROM figures f)
    WHERE choice = 1
),
follow_up AS (
    SELECT pmid, min(value) FILTER (WHERE stat = 'median' AND subgroup IS NULL) AS median_follow_up_months
    FROM metrics WHERE endpoint = 'FOLLOW_UP' AND unit ILIKE 'month%' GROUP BY pmid
),
stated AS (
    SELECT c.* EXCLUDE (total),
           c.total AS reported_total,
           CASE WHEN c.measure = 'proportion' THEN c.count END AS events,
           -- An absence in words ("no patient had grade 3-4 CRS") states k = 0, not n: unless n is in the
           -- sentence, the n the extractor gives it is the study's size, and counts as derived (below).
           CASE WHEN c.measure = 'proportion' AND c.count IS NOT NULL
                     AND NOT (coalesce(c.negated, false) AND NOT regexp_matches(c.quote, '\b' || c.total || '\b'))
                THEN c.total END AS total,
           -- how close k/n must come to a printed percentage: one unit of its last printed digit
           power(10, -length(split_part(printf('%g', c.value), '.', 2))) AS tolerance
    FROM chosen c
),
candidates AS (
    -- Ways to recover k/n for a figure the source gives without it, best first:
    -- 0. a percentage stated with its count (in the figure or its sentence): n = round(100 k / %);
    -- 1-3. a percentage: k = round(% x N) for the evaluable, treated, then enrolled N;
    -- 4. a count without n: the treated (infused) N, the population toxicities are counted in;
    -- and an absence stated in words takes the n the extractor read for it (rank 0).
    -- Each is kept only if k/n gives back the printed percentage to its last printed digit.
    SELECT s.pmid, s.outcome, s.measure, 0 AS rank, f.count AS k,
           CAST(round(100.0 * f.count / s.value) AS INTEGER) AS n,
           'n = ' || CAST(round(100.0 * f.count / s.value) AS INTEGER) || ', recomputed from the '
               || f.count || ' events and ' || printf('%g', s.value) || '% stated in the same sentence' AS how
    FROM stated s
    JOIN figures f ON f.pmid = s.pmid AND f.outcome = s.outcome AND f.sentence_index = s.sentence_index
                  AND f.stat = 'count' AND f.count > 0 AND f.total IS NULL
    WHERE s.events IS NULL AND s.unit = '%' AND s.value > 0
    UNION ALL
    SELECT s.pmid, s.outcome, s.measure, 0, s.events, CAST(round(100.0 * s.events / s.value) AS INTEGER),
           'n = ' || CAST(round(100.0 * s.events / s.value) AS INTEGER) || ', recomputed from the '
               || s.events || ' events and ' || printf('%g', s.value) || '% stated together'
    FROM stated s
    WHERE s.events > 0 AND s.total IS NULL AND s.unit = '%' AND s.value > 0
    UNION ALL
    SELECT s.pmid, s.outcome, s.measure, size.rank,
           CAST(round(s.value * size.n / 100) AS INTEGER), CAST(size.n AS INTEGER),
           'k = ' || CAST(round(s.value * size.n / 100) AS INTEGER) || ' of ' || CAST(size.n AS INTEGER) || ' '
               || size.kind || ' patients, recomputed from ' || printf('%g', s.value) || '%'
    FROM stated s
    JOIN study_sample_sizes z USING (pmid)
    CROSS JOIN LATERAL (VALUES (1, 'evaluable', z.n_evaluable), (2, 'treated', z.n_treated), (3, 'enrolled', z.n_enrolled))
        AS size(rank, kind, n)
    WHERE s.events IS NULL AND s.unit = '%' AND s.value IS NOT NULL AND size.n > 0
    UNION ALL
    SELECT s.pmid, s.outcome, s.measure, 4, s.events, CAST(z.n_treated AS INTEGER),
           'n = ' || CAST(z.n_treated AS INTEGER) || ' treated patients: the study''s sample size, not stated with this count'
    FROM stated s
    JOIN study_sample_sizes z USING (pmid)
    WHERE s.events IS NOT NULL AND s.total IS NULL AND z.n_treated >= s.events
    UNION ALL
    SELECT s.pmid, s.outcome, s.measure, 0, 0, s.reported_total,
           'no event, stated in words; n = ' || s.reported_total || ' is the study''s size, not stated in that sentence'
    FROM stated s
    WHERE coalesce(s.negated, false) AND s.events = 0 AND s.total IS NULL AND s.reported_total > 0
),
derived AS (
    SELECT c.pmid, c.outcome, c.measure,
           first(c.k ORDER BY c.rank) AS derived_events,
           first(c.n ORDER BY c.rank) AS derived_total,
           first(c.how ORDER BY c.rank) AS derivation
    FROM candidates c
    JOIN stated s USING (pmid, outcome, measure)
    WHERE NOT s.time_to_event AND c.n > 0 AND c.k <= c.n
      AND (s.unit IS DISTINCT FROM '%' OR s.value IS NULL OR abs(100.0 * c.k / c.n - s.value) < s.tolerance)
    GROUP BY c.pmid, c.outcome, c.measure
)
SELECT s.outcome,
       s.measure,
       s.pmid,
       coalesce((SELECT a.last_name FROM authors a WHERE a.pmid = s.pmid ORDER BY a.position LIMIT 1), 'PMID ' || s.pmid)
           || coalesce(' ' || p.pub_year, '') AS study,
       p.title,
       p.pub_year,
       'https://pubmed.ncbi.nlm.nih.gov/' || s.pmid || '/' AS pubmed_url,
       g.strategy, g.strategy_label, g.family, g.family_label, g.all_strategies,
       e.diseases AS population,
       d.line_of_therapy,
       d.phase, d.allocation, d.retrospective,
       z.n_enrolled, z.n_treated, z.n_evaluable,
       fu.median_follow_up_months,
       CASE WHEN s.measure = 'proportion' AND s.unit = '%' THEN s.value
            WHEN s.measure = 'proportion' AND s.events IS NOT NULL AND s.total > 0 THEN round(100.0 * s.events / s.total, 1)
       END AS rate_pct,
       s.value, s.unit, s.not_reached,
       coalesce(s.negated, false) AS stated_as_absent,
       s.events, s.total,
       dv.derived_events, dv.derived_total,
       CASE WHEN s.events IS NOT NULL AND s.total IS NOT NULL THEN 'stated'
            WHEN dv.derived_total IS NOT NULL THEN 'derived' ELSE 'none' END AS k_n_source,
       dv.derivation,
       s.ci_low, s.ci_high,
       s.timepoint, s.timepoint_months,
       s.subgroup, s.composite,
       coalesce(s.measure = 'proportion' AND s.events IS NOT NULL AND s.total > 0 AND s.subgroup IS NULL, false) AS poolable,
       s.quote,
       s.start_offset, s.end_offset,
       EXISTS (SELECT 1 FROM citations c WHERE c.pmid = s.pmid) AS cited_by_review,
       r.searches AS found_by_searches,
       (SELECT min(h.first_seen) FROM search_hits h WHERE h.pmid = s.pmid) AS first_seen
FROM stated s
JOIN papers p USING (pmid)
JOIN study_groups g USING (pmid)
LEFT JOIN study_entities e USING (pmid)
LEFT JOIN study_design d USING (pmid)
LEFT JOIN study_sample_sizes z USING (pmid)
LEFT JOIN follow_up fu USING (pmid)
LEFT JOIN derived dv USING (pmid, outcome, measure)
LEFT JOIN paper_relevance r USING (pmid)
WHERE coalesce(r.in_evidence, true) OR EXISTS (SELECT 1 FROM citations c WHERE c.pmid = s.pmid);
