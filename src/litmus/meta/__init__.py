"""Meta-analysis of the evidence: random-effects pooling of single-arm proportions (`proportions`)."""
