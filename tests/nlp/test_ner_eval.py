"""The NER scorer in bench/ner_eval.py: parsing, arithmetic, and a recall floor on real corpora."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from litmus.nlp.pipeline import PipelineConfig, build_pipeline


@pytest.fixture(scope="module")
def ner_eval():
    """bench/ner_eval.py, imported by path (bench/ is scripts, not a package)."""
    path = Path(__file__).resolve().parents[2] / "bench" / "ner_eval.py"
    spec = importlib.util.spec_from_file_location("litmus_bench_ner_eval", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    cache = tmp_path_factory.getbasetemp() / "linker-cache"  # one index per test session
    return build_pipeline(PipelineConfig(base_model=None, metrics=False,
                                         entity_config={"linker_cache_dir": str(cache)}))


def test_reads_pubtator_with_title_offsets(ner_eval):
    lines = [
        "1|t|Drug X causes rash.\n",
        "1|a|Rash and fever were seen.\n",
        "1\t0\t6\tDrug X\tChemical\tD1\n",
        "1\t20\t24\tRash\tDisease\tD2\n",
        "1\t29\t34\tfever\tSpecificDisease\tD3\n",
        "\n",
    ]
    [document] = ner_eval.read_pubtator(lines)
    assert document.text == "Drug X causes rash. Rash and fever were seen."
    assert [document.text[s:e] for s, e, _ in document.mentions] == ["Drug X", "Rash", "fever"]
    assert [t for _, _, t in document.mentions] == ["Chemical", "Disease", "Disease"]


def test_score_arithmetic(ner_eval):
    gold = [[(0, 5, "Disease"), (10, 15, "Disease"), (20, 25, "Chemical")], [(0, 4, "Disease")]]
    predicted = [[(0, 5, "Disease"), (11, 15, "Disease"), (30, 35, "Chemical")], [(6, 9, "Disease")]]
    report = ner_eval.score(gold, predicted, ["Disease", "Chemical"])
    disease = report["Disease"]
    assert (disease["gold"], disease["predicted"], disease["exact_matches"]) == (3, 3, 1)
    assert disease["exact"] == {"precision": pytest.approx(1 / 3, abs=1e-4), "recall": pytest.approx(1 / 3, abs=1e-4),
                                "f1": pytest.approx(1 / 3, abs=1e-4)}
    assert disease["overlap"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert disease["overlap"]["recall"] == pytest.approx(2 / 3, abs=1e-4)
    chemical = report["Chemical"]
    assert chemical["exact"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert chemical["overlap"]["recall"] == 0.0


def test_score_of_nothing_is_zero_not_an_error(ner_eval):
    report = ner_eval.score([[]], [[]], ["Disease"])
    assert report["Disease"]["exact"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_predictions_map_our_labels(ner_eval, nlp):
    doc = nlp("Venetoclax caused neutropenia in CLL; BTK inhibitors and CD19 were studied.")
    predicted = ner_eval.predicted_mentions(doc)
    as_text = {(doc.text[s:e], t) for s, e, t in predicted}
    assert ("Venetoclax", "Chemical") in as_text and ("neutropenia", "Disease") in as_text
    assert ("CLL", "Disease") in as_text
    assert not any(text in ("BTK inhibitors", "CD19") for text, _ in as_text)  # classes and targets


def test_recall_floor_on_development_documents(ner_eval, nlp, shared_data):
    corpora = shared_data / "ner-corpora"
    with (corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt").open(encoding="utf-8") as lines:
        cdr = ner_eval.read_pubtator(lines)[:40]
    with (corpora / "ncbi-disease" / "NCBIdevelopset_corpus.txt").open(encoding="utf-8") as lines:
        ncbi = ner_eval.read_pubtator(lines)[:30]
    cdr_report = ner_eval.evaluate(nlp, cdr, ["Disease", "Chemical"])
    ncbi_report = ner_eval.evaluate(nlp, ncbi, ["Disease"])
    # floors a little under what the rules reach on these documents (full dev sets: bench/results)
    assert cdr_report["Disease"]["overlap"]["recall"] >= 0.60
    assert cdr_report["Disease"]["overlap"]["precision"] >= 0.85
    assert cdr_report["Chemical"]["overlap"]["recall"] >= 0.25
    assert ncbi_report["Disease"]["overlap"]["recall"] >= 0.55
