-- Verdicts as one readable row per checked item of a claim: each figure it states (check = 'figure')
-- and each word checked against the source (concept, comparison, population, design). A claim with
-- nothing checked is one row with no item. Filter on a discrepancy kind with
--   WHERE list_contains(claim_discrepancy_kinds, 'composite_endpoint')   (claims)
--   WHERE discrepancy_kind = 'composite_endpoint'                        (items)

CREATE OR REPLACE VIEW claim_verdicts AS
WITH items AS (
    SELECT review_id, claim_id, fact_index AS item_index, 'figure' AS "check", endpoint AS subject, endpoint,
           coalesce(nullif(written, ''), printf('%g', value)) || coalesce(' ' || unit, '') AS claimed,
           timepoint_months AS claimed_timepoint_months, subgroup AS claimed_group, composite AS claimed_composite,
           citation_key, verdict, discrepancy_kinds[1] AS discrepancy_kind,
           array_to_string(discrepancy_reasons, '; ') AS discrepancy, explanation, reported_pmid, reported_endpoint,
           reported_value, reported_unit, reported_timepoint_months, reported_composite, evidence_sentence,
           evidence_start, evidence_end, array_to_string(notes, '; ') AS notes
    FROM claim_facts
    UNION ALL
    SELECT review_id, claim_id, 1000 + position, check_kind, subject, NULL, NULL, NULL, NULL, NULL,
           citation_key, verdict, discrepancy_kind, NULL, explanation, NULL, NULL, NULL, NULL, NULL, NULL,
           evidence_sentence, evidence_start, evidence_end, NULL
    FROM claim_findings
)
SELECT c.review_id,
       c.claim_id,
       c.section,
       c.origin,
       c.text                         AS claim_text,
       c.start_offset                 AS text_start,
       c.end_offset                   AS text_end,
       c.review_start,
       c.review_end,
       array_to_string(c.cites, ', ') AS cites,
       c.kind,
       c.verdict                      AS claim_verdict,
       coalesce(c.discrepancy_kinds, []) AS claim_discrepancy_kinds,
       c.explanation                  AS claim_explanation,
       i.item_index                   AS fact_index,
       i."check",
       i.subject,
       i.endpoint,
       i.claimed,
       i.claimed_timepoint_months,
       i.claimed_group,
       i.claimed_composite,
       i.citation_key,
       i.verdict                      AS fact_verdict,
       i.discrepancy_kind,
       i.discrepancy,
       i.explanation                  AS fact_explanation,
       i.reported_pmid,
       i.reported_endpoint,
       i.reported_value,
       i.reported_unit,
       i.reported_timepoint_months,
       i.reported_composite,
       i.evidence_sentence,
       i.evidence_start,
       i.evidence_end,
       i.notes                        AS fact_notes,
       array_to_string(c.notes, '; ') AS claim_notes,
       array_to_string(c.flags, '; ') AS flags,
       (SELECT string_agg(a.message, '; ' ORDER BY a.position) FROM arithmetic_findings a
         WHERE a.review_id = c.review_id AND a.claim_id = c.claim_id) AS arithmetic
FROM claims c
LEFT JOIN items i USING (review_id, claim_id)
ORDER BY c.review_id, c.claim_id, i.item_index;
