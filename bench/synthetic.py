"""A synthetic PubMed bulk file of any size, shaped like real records, for scale benchmarks.

Every text is generated here from our own templates (no real abstract is copied): varied titles,
author lists, MeSH descriptors, publication types, and structured abstracts (BACKGROUND, METHODS,
RESULTS, CONCLUSIONS) whose results report outcome numbers in the styles trial abstracts use
("ORR 82% (41/50)", "median PFS of 11.2 months (95% CI 8.1-14.0)", "grade >=3 CRS in 4 of 40").
About 10% of records have no abstract and 5% an unstructured one, roughly as in PubMed. A fixed
seed gives the same file byte for byte. Records are rendered one at a time and streamed into the
(gzip) file, so generating 60,000 records needs no more memory than generating one.

    python bench/synthetic.py out.xml.gz --records 30000 [--seed 7] [--deletions 20]
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
from pathlib import Path
from typing import Iterator

from litmus.records import AbstractSection, Author, MeshHeading, MeshQualifier, PubmedRecord

# The PubMed renderer builds corpora and fixtures, so it lives with the tools, not in litmus.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from pubmed_render import PUBMED_DOCTYPE, render_pubmed_article  # noqa: E402

FIRST_PMID = 90_000_001  # far above real PMIDs in our fixtures, so synthetic and real never collide

TARGETS = ["CD19", "BCMA", "CD22", "CD30", "CD7", "GPRC5D", "CD123", "mesothelin", "HER2", "GD2", "CLL-1", "CD20"]
DISEASES = [
    "relapsed or refractory B-cell acute lymphoblastic leukemia", "multiple myeloma", "diffuse large B-cell lymphoma",
    "mantle cell lymphoma", "follicular lymphoma", "chronic lymphocytic leukemia", "acute myeloid leukemia",
    "T-cell acute lymphoblastic leukemia", "Hodgkin lymphoma", "neuroblastoma", "glioblastoma",
]
PRODUCTS = ["autologous CAR-T cells", "a humanized CAR-T product", "a bispecific CAR construct", "donor-derived CAR-T cells",
            "a fully human CAR", "CAR-NK cells", "a second-generation 4-1BB CAR", "a CD28-costimulated CAR"]
DESIGNS = ["a phase 1 dose-escalation study", "a single-arm phase 2 trial", "a multicenter phase 1/2 trial",
           "a retrospective cohort study", "an open-label, single-center trial", "a prospective registry analysis"]
TITLE_TEMPLATES = [
    "{target}-directed {product} in {disease}: results of {design}",
    "Safety and efficacy of {product} targeting {target} in patients with {disease}",
    "Long-term outcomes after {target} CAR-T therapy for {disease}",
    "{design_cap} of {product} against {target} for {disease}",
    "Cytokine release syndrome and neurotoxicity after {target}-targeted {product} in {disease}",
    "Predictors of relapse after {target} CAR-T cell therapy in {disease}",
]
SURNAMES = ["Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Smith", "Johnson", "Garcia",
            "Muller", "Rossi", "Tanaka", "Kim", "Park", "Nguyen", "Kowalski", "Dubois", "Silva", "Cohen", "Singh",
            "Novak", "Larsen", "Okafor", "Haddad", "Ivanova", "Moreau"]
FORENAMES = ["Wei", "Jun", "Lin", "Yan", "Hong", "Michael", "Sarah", "David", "Maria", "Luca", "Yuki", "Min-Jun",
             "Anh", "Piotr", "Claire", "Ana", "Noam", "Priya", "Jakub", "Freya", "Chidi", "Rania", "Olga", "Hugo"]
AFFILIATIONS = ["Department of Hematology, University Hospital {n}", "Cancer Center, Medical School {n}",
                "Institute of Cellular Therapy {n}", "Division of Oncology, General Hospital {n}"]
JOURNALS = [("Blood", "Blood", "0006-4971"), ("Journal of Clinical Oncology", "J Clin Oncol", "0732-183X"),
            ("Leukemia", "Leukemia", "0887-6924"), ("Haematologica", "Haematologica", "0390-6078"),
            ("Journal of Hematology & Oncology", "J Hematol Oncol", "1756-8722"),
            ("Frontiers in Immunology", "Front Immunol", "1664-3224"), ("Cancers", "Cancers (Basel)", "2072-6694")]
MESH = ["Immunotherapy, Adoptive", "Receptors, Chimeric Antigen", "Humans", "Adult", "Middle Aged", "Aged", "Female",
        "Male", "Antigens, CD19", "B-Cell Maturation Antigen", "Multiple Myeloma", "Lymphoma, Large B-Cell, Diffuse",
        "Precursor B-Cell Lymphoblastic Leukemia-Lymphoma", "Cytokine Release Syndrome", "Neoplasm Recurrence, Local",
        "Treatment Outcome", "Remission Induction", "Progression-Free Survival", "T-Lymphocytes", "Retrospective Studies"]
QUALIFIERS = ["therapy", "immunology", "adverse effects", "methods", "drug therapy", "mortality"]
PUBTYPES = ["Journal Article", "Clinical Trial, Phase I", "Clinical Trial, Phase II", "Multicenter Study",
            "Research Support, Non-U.S. Gov't", "Observational Study", "Review", "Case Reports"]
KEYWORDS = ["CAR-T", "chimeric antigen receptor", "cytokine release syndrome", "relapse", "minimal residual disease",
            "immunotherapy", "ICANS", "cellular therapy", "B-cell aplasia", "antigen escape"]
BACKGROUNDS = [
    "Patients with {disease} who relapse after standard therapy have few options.",
    "{target} is expressed on most malignant cells in {disease}, which makes it an attractive target for cellular therapy.",
    "Durable remissions after {product} remain uncommon in {disease}, and the determinants of response are unclear.",
]
METHODS = [
    "We enrolled {n} patients in {design} and infused {product} at {dose} x 10^6 cells/kg after lymphodepletion with fludarabine and cyclophosphamide.",
    "In {design}, {n} adults with {disease} received {product}; the primary endpoint was the overall response rate.",
    "We reviewed {n} consecutive patients treated with {product} at {sites} centers between {y0} and {y1}.",
]
RESULTS = [
    "The overall response rate was {pct}% ({k}/{n}), with complete remission in {cr}% of patients.",
    "ORR: {pct}% (95% CI, {lo}-{hi}); CR rate {cr}%.",
    "Of {n} evaluable patients, {k} ({pct}%) responded and {mrd} achieved MRD-negative remission.",
    "Median progression-free survival was {pfs} months (95% CI {pfs_lo}-{pfs_hi}) and median overall survival was not reached.",
    "At {months} months, the estimated event-free survival was {efs}% and overall survival {os}%.",
    "Cytokine release syndrome occurred in {crs}% of patients (grade >=3 in {crs3} of {n}), and ICANS in {icans}%.",
    "Grade 3 or higher neurotoxicity was observed in {crs3} patients ({icans3}%); no treatment-related deaths occurred.",
    "With a median follow-up of {fu} months, {rel} patients relapsed, {ae} of them with {target}-negative disease.",
    "The median duration of response was {dor} months.",
]
CONCLUSIONS = [
    "{product} targeting {target} induced high response rates with manageable toxicity in {disease}.",
    "These results support further evaluation of {target}-directed cellular therapy in earlier lines.",
    "Antigen escape remains the main cause of relapse after {target} CAR-T therapy.",
]


def _values(rng: random.Random, n: int) -> dict:
    k = rng.randint(max(1, n // 3), n)
    pct = round(100 * k / n, 1)
    crs3 = rng.randint(0, max(1, n // 5))
    return {
        "n": n, "k": k, "pct": pct, "cr": rng.randint(20, 90), "lo": max(0, round(pct - rng.uniform(5, 15), 1)),
        "hi": min(100, round(pct + rng.uniform(5, 15), 1)), "mrd": rng.randint(0, k), "pfs": round(rng.uniform(2, 30), 1),
        "pfs_lo": round(rng.uniform(1, 5), 1), "pfs_hi": round(rng.uniform(30, 40), 1), "months": rng.choice([6, 12, 18, 24, 36]),
        "efs": rng.randint(20, 80), "os": rng.randint(40, 95), "crs": rng.randint(30, 95), "crs3": crs3,
        "icans": rng.randint(0, 40), "icans3": round(100 * crs3 / n, 1), "fu": round(rng.uniform(6, 60), 1),
        "rel": rng.randint(0, k), "ae": 0, "dor": round(rng.uniform(4, 36), 1), "dose": rng.choice([0.5, 1, 2, 3, 5]),
        "sites": rng.randint(2, 25), "y0": rng.randint(2012, 2018), "y1": rng.randint(2019, 2024),
    }


def synthetic_record(rng: random.Random, pmid: int) -> PubmedRecord:
    words = {"target": rng.choice(TARGETS), "disease": rng.choice(DISEASES), "product": rng.choice(PRODUCTS),
             "design": rng.choice(DESIGNS)}
    words["design_cap"] = words["design"][0].upper() + words["design"][1:]
    values = _values(rng, rng.randint(8, 180))
    fill = {**words, **values}
    title = rng.choice(TITLE_TEMPLATES).format(**fill) + "."
    shape = rng.random()
    if shape < 0.10:
        sections: tuple[AbstractSection, ...] = ()
    else:
        background = " ".join(s.format(**fill) for s in rng.sample(BACKGROUNDS, 2))
        methods = " ".join(s.format(**fill) for s in rng.sample(METHODS, 2))
        results = " ".join(s.format(**fill) for s in rng.sample(RESULTS, rng.randint(3, 6)))
        conclusions = rng.choice(CONCLUSIONS).format(**fill)
        if shape < 0.15:
            sections = (AbstractSection(None, None, " ".join([background, methods, results, conclusions])),)
        else:
            sections = tuple(
                AbstractSection(label, label, text)
                for label, text in (("BACKGROUND", background), ("METHODS", methods), ("RESULTS", results),
                                    ("CONCLUSIONS", conclusions))
            )
    authors = tuple(
        Author(rng.choice(SURNAMES), fore, fore[0], affiliations=(rng.choice(AFFILIATIONS).format(n=rng.randint(1, 60)),))
        for fore in (rng.choice(FORENAMES) for _ in range(rng.randint(1, 14)))
    )
    journal, iso, issn = rng.choice(JOURNALS)
    year = rng.randint(2005, 2024)
    mesh = tuple(
        MeshHeading(name, None, rng.random() < 0.3, tuple(MeshQualifier(q, None, rng.random() < 0.2)
                                                          for q in rng.sample(QUALIFIERS, rng.randint(0, 2))))
        for name in rng.sample(MESH, rng.randint(0, 12))
    )
    return PubmedRecord(
        pmid=str(pmid), title=title, abstract_sections=sections, authors=authors, journal=journal, journal_iso=iso,
        issn=issn, pub_year=year, pub_date=f"{year}-{rng.randint(1, 12):02d}", volume=str(rng.randint(1, 140)),
        issue=str(rng.randint(1, 24)), pages=f"{(p := rng.randint(1, 5000))}-{p + rng.randint(2, 14)}",
        publication_types=tuple(["Journal Article"] + rng.sample(PUBTYPES[1:], rng.randint(0, 2))),
        mesh_headings=mesh, keywords=tuple(rng.sample(KEYWORDS, rng.randint(0, 5))), language="eng",
        doi=f"10.5555/synthetic.{pmid}", date_revised=f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    )


def synthetic_records(count: int, *, seed: int = 7, first_pmid: int = FIRST_PMID) -> Iterator[PubmedRecord]:
    rng = random.Random(seed)
    for index in range(count):
        yield synthetic_record(rng, first_pmid + index)


def write_synthetic_file(
    path: Path, count: int, *, seed: int = 7, deletions: int = 0, first_pmid: int = FIRST_PMID
) -> Path:
    """Write `count` records from `first_pmid` on (and `deletions` DeleteCitation PMIDs of records
    earlier in the file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.name.endswith(".gz") else open
    # mtime=0: the same seed gives the same bytes, so the file's sha256 is stable between runs.
    with (gzip.GzipFile(path, "wb", mtime=0, compresslevel=6) if opener is gzip.open else open(path, "wb")) as out:
        out.write(b'<?xml version="1.0" ?>\n' + PUBMED_DOCTYPE.encode() + b"\n<PubmedArticleSet>\n")
        for record in synthetic_records(count, seed=seed, first_pmid=first_pmid):
            out.write(render_pubmed_article(record))
        if deletions:
            out.write(b"<DeleteCitation>\n")
            for index in range(deletions):
                out.write(f'<PMID Version="1">{first_pmid + index * max(1, count // deletions)}</PMID>\n'.encode())
            out.write(b"</DeleteCitation>\n")
        out.write(b"</PubmedArticleSet>\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path, help="file to write (.xml or .xml.gz)")
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--deletions", type=int, default=0)
    args = parser.parse_args(argv)
    write_synthetic_file(args.output, args.records, seed=args.seed, deletions=args.deletions)
    print(f"wrote {args.records} records to {args.output} ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
