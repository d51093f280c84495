from litmus.claims.prose_facts import prose_facts


def described(sentence):
    return [(m.endpoint, m.value, m.unit, sentence[m.start:m.end]) for m in prose_facts(sentence)]


def test_sample_sizes_retold_in_review_prose():
    assert described("Lee et al. recruited 40 r/r MCL cases given a new product.") == [
        ("N_ENROLLED", 40.0, "patients", "40 r/r MCL cases")]
    assert described("Twelve adults were treated with the drug.")[0][:3] == ("N_TREATED", 12.0, "patients")
    assert described("40 patients had a fever.") == []  # no enrolment or treatment: not a sample size


def test_qualified_durations():
    assert described("The response was sustained for over three years.") == [
        ("DOR", 3.0, "years", "three years")]
    assert described("Transplant within 60 days was better.") == [("OTHER", 60.0, "days", "60 days")]
