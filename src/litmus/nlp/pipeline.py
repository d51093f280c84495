"""`build_pipeline`: the one place the litmus spaCy pipeline is assembled.

Every component is added with `nlp.add_pipe(name, config=…)`, so `nlp.pipe_names` and `nlp.config`
show what runs and with which settings. Without a base model the pipeline is `spacy.blank("en")`
with scispaCy's tokenizer (it gets abbreviation long forms right: "B-cell maturation antigen", not
"-cell maturation antigen") and the rule sentencizer (14x faster than pysbd, see STACK-NOTES).
Whatever the base, the tokenizer and the abbreviation detector are the bounded ones of `nlp.bounds`,
so the pipeline's time stays linear in its input.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language

import litmus.nlp.entities  # noqa: F401  (registers the "litmus_entities" factory)
from litmus.nlp.bounds import bound_tokenizer

MODEL_ENV_VAR = "LITMUS_SPACY_MODEL"


class BaseModelNotAvailable(RuntimeError):
    """The configured spaCy/scispaCy model cannot be loaded."""


def _model_from_env() -> str | None:
    return os.environ.get(MODEL_ENV_VAR) or None


@dataclass
class PipelineConfig:
    base_model: str | None = field(default_factory=_model_from_env)  # "en_core_sci_sm" or a path
    linker: bool = True  # fuzzy linking of rule spans to the lexicon
    abbreviations: bool = True
    metrics: bool = True
    entity_config: dict[str, Any] = field(default_factory=dict)  # overrides for "litmus_entities"


def build_pipeline(config: PipelineConfig | None = None) -> Language:
    config = config or PipelineConfig()
    nlp = _base_pipeline(config.base_model)
    bound_tokenizer(nlp)
    if config.abbreviations:
        # the detector runs an empty matcher on every doc without a definition, by design; spaCy
        # would warn (W036) for each one
        warnings.filterwarnings("ignore", message=r"\[W036\] The component 'matcher'")
        _add_bounded_abbreviations(nlp)
    entity_config = {"fuzzy_linking": config.linker, "expand_abbreviations": config.abbreviations,
                     **config.entity_config}
    _add_once(nlp, "litmus_entities", entity_config)
    if config.metrics:
        _add_metrics(nlp)
    return nlp


def _add_once(nlp: Language, factory: str, config: dict[str, Any] | None = None) -> None:
    # a saved litmus pipeline used as the base model already has our components, with its settings
    if factory not in nlp.pipe_names:
        nlp.add_pipe(factory, config=config or {})


ABBREVIATIONS = "abbreviation_detector"  # the pipe's name, as scispaCy names it: litmus_entities reads its results


def _add_bounded_abbreviations(nlp: Language) -> None:
    """scispaCy's detector behind litmus's guard; a saved pipeline's unguarded detector is replaced."""
    if ABBREVIATIONS not in nlp.pipe_names:
        nlp.add_pipe("litmus_abbreviation_detector", name=ABBREVIATIONS)
    elif nlp.get_pipe_meta(ABBREVIATIONS).factory != "litmus_abbreviation_detector":
        nlp.replace_pipe(ABBREVIATIONS, "litmus_abbreviation_detector")


def _base_pipeline(base_model: str | None) -> Language:
    if base_model is None:
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        nlp = spacy.blank("en")
        nlp.tokenizer = combined_rule_tokenizer(nlp)
        nlp.add_pipe("sentencizer")
        return nlp
    _register_our_factories()  # a saved litmus pipeline names them in its config
    try:
        nlp = spacy.load(base_model)
    except OSError as error:
        raise BaseModelNotAvailable(
            f"cannot load the spaCy model {base_model!r} ({error}). Install it (for a scispaCy model: "
            f"`pip install <the en_core_sci_* wheel URL from https://allenai.github.io/scispacy/>`), "
            f"pass a path to a saved model, or unset {MODEL_ENV_VAR} to use the rule-based pipeline."
        ) from error
    if not _sets_sentences(nlp):
        nlp.add_pipe("sentencizer")
    return nlp


def _sets_sentences(nlp: Language) -> bool:
    sentence_setters = {"parser", "senter", "sentencizer"}
    for name, component in nlp.pipeline:
        factory = nlp.get_pipe_meta(name).factory
        if factory in sentence_setters and name not in nlp.disabled:
            return True
    return False


def _register_our_factories() -> None:
    import scispacy.abbreviation  # noqa: F401

    import litmus.nlp.bounds  # noqa: F401

    import litmus.nlp.metrics_component  # noqa: F401


def _add_metrics(nlp: Language) -> None:
    # imported here: the metrics component lives in its own module and pulls in its own helpers
    import litmus.nlp.metrics_component  # noqa: F401  (registers "litmus_metrics")

    _add_once(nlp, "litmus_metrics")
