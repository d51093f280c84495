-- Verdicts as one readable row per claimed fact (qualitative claims as one row with no fact).

CREATE OR REPLACE VIEW claim_verdicts AS
SELECT c.review_id,
       c.claim_id,
       c.section,
       array_to_string(c.cites, ', ') AS cites,
       c.kind,
       c.verdict                      AS claim_verdict,
       c.explanation                  AS claim_explanation,
       f.fact_index,
       f.endpoint,
       coalesce(nullif(f.written, ''), printf('%g', f.value)) || coalesce(' ' || f.unit, '') AS claimed,
       f.timepoint_months             AS claimed_timepoint_months,
       f.verdict                      AS fact_verdict,
       f.explanation                  AS fact_explanation,
       f.reported_pmid,
       f.reported_value,
       f.evidence_sentence,
       array_to_string(c.flags, '; ') AS flags,
       (SELECT string_agg(a.message, '; ') FROM arithmetic_findings a
         WHERE a.review_id = c.review_id AND a.claim_id = c.claim_id) AS arithmetic
FROM claims c
LEFT JOIN claim_facts f USING (review_id, claim_id)
ORDER BY c.review_id, c.claim_id, f.fact_index;
