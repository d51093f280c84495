-- Comments for the graded verification tables (migration 010), which came in beside 017's comments.
COMMENT ON TABLE claims IS 'A claim of a review: its citations, where it stands in the review, and its graded verdict (supported, supported_with_discrepancy, contradicted, not_in_source, source_unavailable, unverifiable) with discrepancy kinds.';
COMMENT ON TABLE claim_facts IS 'One figure a claim states, its graded verdict against the cited paper, the discrepancy kinds with reasons, and the source sentence that decides it.';
COMMENT ON TABLE claim_findings IS 'A word of a claim (concept, comparison, population, design) checked against the cited abstract, with the source sentence it rests on.';
COMMENT ON TABLE arithmetic_findings IS 'GRIM-style findings, once per claim: a percentage no k/n gives unless the source gives it so, k/n disagreeing with its percentage, a differing N.';
