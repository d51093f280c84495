from litmus.claims.prose_facts import prose_facts


def described(sentence):
    return [(m.endpoint, m.value, m.unit, sentence[m.start:m.end]) for m in prose_facts(sentence)]


def test_qualified_durations():
    assert described("The response was sustained for over three years.") == [
        ("DOR", 3.0, "years", "three years")]
    # A window or a threshold is no finding of the study.
    assert described("Transplant within 60 days was better.") == []
    assert described("Survival beyond 36 months was seen in a few patients.") == []
