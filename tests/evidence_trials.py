"""Invented single-arm trials for the evidence tests (outcomes, forest plot, report): records to load and extract."""

from litmus.records import AbstractSection, Author, PubmedRecord

# Abstracts written for these tests; every number a test asserts on is in the text below.
TRIALS = [
    PubmedRecord(
        pmid="900001", title="Tandem CD19/CD20 CAR T cells in relapsed lymphoma: a phase 1 trial",
        authors=(Author("Alpha"),), pub_year=2021, publication_types=("Clinical Trial, Phase I",),
        abstract_sections=(AbstractSection(None, None,
            "We treated 20 patients with relapsed or refractory B-cell lymphoma with tandem CD19/CD20 CAR T cells. "
            "Complete remission was achieved in 12 of 20 patients (60%). "
            "Grade 3 or higher cytokine release syndrome occurred in 6 of 20 patients (30%)."),),
    ),
    PubmedRecord(
        pmid="900002", title="Bispecific CD19/CD22 CAR T cells for relapsed B-ALL",
        authors=(Author("Beta"),), pub_year=2022, publication_types=("Clinical Trial, Phase I",),
        abstract_sections=(AbstractSection(None, None,
            "Twenty-five patients with relapsed B-ALL were infused with bispecific CD19/CD22 CAR T cells. "
            "The complete remission rate was 72%."),),  # only a percentage: 18/25 is not stated
    ),
    PubmedRecord(
        pmid="900003", title="Sequential CD19 and CD22 CAR T-cell infusion in refractory B-ALL",
        authors=(Author("Gamma"),), pub_year=2023,
        abstract_sections=(AbstractSection(None, None,
            "Thirty patients received sequential infusion of CD19 and CD22 CAR T cells. "
            "Complete remission was achieved in 24 of 30 patients (80%). "
            "Grade 3 or higher cytokine release syndrome occurred in 3 of 30 patients (10%)."),),
    ),
    PubmedRecord(
        pmid="900004", title="BCMA CAR T cells in relapsed multiple myeloma",
        authors=(Author("Delta"),), pub_year=2024,
        abstract_sections=(AbstractSection(None, None,
            "An overall response was observed in 9 patients (75%), and the median duration of response "
            "was 10.9 months."),),  # k and % stated, n not: 12 is recomputed, and marked
    ),
    PubmedRecord(
        pmid="900005", title="CD19/CD22 CAR T cells in relapsed B-ALL: safety",
        authors=(Author("Epsilon"),), pub_year=2024,
        abstract_sections=(AbstractSection(None, None,
            "Twelve patients with relapsed B-ALL were infused with CD19/CD22 CAR T cells. "
            "No patient had grade 3 or higher cytokine release syndrome."),),  # k = 0 in words; n = 12 not in it
    ),
]




def build_trials_warehouse(path, review=None, resolutions=()):
    """A warehouse holding TRIALS (and a review with its resolved citations, if given), extracted and pooled."""
    from litmus.evidence import classify_stored_studies
    from litmus.extraction import extract_and_store, extractor_version, pending_papers
    from litmus.nlp.pipeline import build_pipeline
    from litmus.outcomes import store_pooled_estimates
    from litmus.warehouse import connect
    from litmus.warehouse.load import load_papers, save_resolutions, upsert_review

    con = connect(path)
    load_papers(con, TRIALS, source="replay")
    if review is not None:
        upsert_review(con, review)
        save_resolutions(con, resolutions)
    version = extractor_version()
    for page in pending_papers(con, version):
        extract_and_store(con, build_pipeline(), page, version)
    classify_stored_studies(con)
    store_pooled_estimates(con)
    return con
