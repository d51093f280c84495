"""Arm and group sizes: mechanisms added while tuning on the released rounds r6-r10 (extractor 2.6.0).

Sentences are written for these tests; each reads what only its mechanism can read.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def counts(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.group) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_the_groups_a_population_heading_the_sentence_splits_into():
    text = "Of the 120 adults randomized, 58 received drug A and 62 received placebo."
    assert counts(text) == [("N_ENROLLED", 120, None), ("N_TREATED", 58, "drug A"), ("N_TREATED", 62, "placebo")]
    text = "Out of the 90 volunteers enrolled, 30 were on drug A and 60 were on drug B."
    assert counts(text) == [("N_ENROLLED", 90, None), ("N_TREATED", 30, "drug A"), ("N_TREATED", 60, "drug B")]


def test_a_part_whose_verb_follows_an_auxiliary_or_a_share():
    text = "Of the 150 Korean patients, 100 had been allocated to drug A and 50 to placebo."
    assert counts(text)[1:] == [("N_ENROLLED", 100, "drug A"), ("N_ENROLLED", 50, "placebo")]
    text = "Eighty-five patients were enrolled; 40 (47%) received cefuroxime and 45 (53%) ampicillin."
    assert counts(text)[1:] == [("N_TREATED", 40, "cefuroxime"), ("N_TREATED", 45, "ampicillin")]


def test_a_bare_on_describes_a_part_without_kinding_it():
    text = "Twenty children (12 on drug A and eight not on therapy) were enrolled."
    assert [c[0] for c in counts(text)] == ["N_ENROLLED"] * 3


def test_coordinated_counts_each_naming_what_its_group_was_given():
    text = "Overall, 70 adults were treated with drug A, 64 adults with drug B and 61 adults with drug C."
    assert counts(text) == [("N_TREATED", 70, "drug A"), ("N_TREATED", 64, "drug B"), ("N_TREATED", 61, "drug C")]
    text = "In total, 40 (45%) received drug A prophylaxis and 49 (55%) drug B."
    assert counts(text) == [("N_TREATED", 40, "drug A prophylaxis"), ("N_TREATED", 49, "drug B")]


def test_coordinated_counts_keep_the_subject_of_their_verb():
    text = ("In all, 120 adults were treated with dialysis (total sessions n = 800) and 117 adults with "
            "haemofiltration (total sessions n = 900).")
    assert counts(text) == [("N_TREATED", 120, "dialysis"), ("N_TREATED", 117, "haemofiltration")]


def test_coordinated_counts_that_are_not_arms():
    assert not any(c[2] for c in counts("Twenty adults (40%) received tocilizumab and 10 (20%) received corticosteroids."))
    assert not any(c[2] for c in counts("Overall, 12 received drug A and 3 died."))
    assert not any(c[2] for c in counts("Twelve adults treated with A and 8 with B responded."))


def test_groups_listed_with_their_sizes_in_one_parenthesis():
    text = "Children were enrolled at diagnosis (610 intervention, 660 control) and followed for a year."
    assert counts(text) == [("N_ENROLLED", 610, "intervention"), ("N_ENROLLED", 660, "control")]
    text = "In total, 1500 were randomised (standard n=500, intensive n=480, minimal n=520)."
    assert counts(text)[1:] == [("N_ENROLLED", 500, "standard"), ("N_ENROLLED", 480, "intensive"),
                                ("N_ENROLLED", 520, "minimal")]
    text = "The vaccine was given to 11 adults (n = 3 at DL1, n = 8 at DL2)."
    assert counts(text)[1:] == [("N_TREATED", 3, "DL1"), ("N_TREATED", 8, "DL2")]


def test_a_listed_parenthesis_takes_the_population_verb_after_it():
    text = "Eighty adults (30 placebo; 50 drug A) participated in the extension study."
    assert counts(text)[1:] == [("N_ENROLLED", 30, "placebo"), ("N_ENROLLED", 50, "drug A")]


def test_a_parenthesis_of_descriptions_or_sexes_lists_no_groups():
    assert counts("Twenty-two adults (seven male, 15 female; median age 25) were randomized.") == [("N_ENROLLED", 22, None)]
    text = "Analysis was conducted on 144 adults (62 receiving drug A and 82 receiving drug B)."
    assert not any(c[2] and c[2].startswith("receiving") for c in counts(text))


def test_a_head_count_whose_verb_follows_a_nested_parenthesis():
    text = "Fifty adults with severe asthma (age 60 +/- 8 years; FEV(1) 40 +/- 12%) were recruited."
    assert counts(text) == [("N_ENROLLED", 50, None)]
    text = "A total of 150 ventilated infants (median gestational age 28 weeks (range 24-32)) were randomly assigned to drug A."
    assert ("N_ENROLLED", 150, None) in counts(text)


def test_a_head_count_whose_verb_follows_an_aside_between_commas():
    text = "One hundred and twenty women, after having been cured of an infection, were randomised to drug C or placebo."
    assert ("N_ENROLLED", 120, None) in counts(text)


def test_a_part_sized_in_its_own_parenthesis_takes_the_label_before_it():
    text = ("One hundred and twenty women, after having been cured, were randomised to receive drug C (60 adults) "
            "or placebo (60 adults) for six cycles.")
    assert counts(text)[-1] == ("N_ENROLLED", 60, "placebo")


def test_a_population_heading_names_what_its_count_counts():
    assert counts("Participants: 400 women admitted for delivery and followed for a month.") == [("N_ENROLLED", 400, None)]
    text = "SUBJECTS: A total of 5,000 adults aged 30 years or older presenting with chest pain, of whom 2,000 met the criteria."
    assert ("N_ENROLLED", 5000, None) in counts(text)


def test_a_design_done_with_or_carried_out_in_a_count():
    assert counts("A crossover study was done with 70 adults presenting with acute rhinitis.") == [("N_ENROLLED", 70, None)]
    text = "Randomization was carried out in 300 adults before enrolment was suspended on the advice of the board."
    assert counts(text) == [("N_ENROLLED", 300, None)]


def test_volunteering_and_division_into_groups_enrol():
    assert counts("Seventy-nine women volunteered to complete four postal questionnaires.") == [("N_ENROLLED", 79, None)]
    assert counts("Forty four chronic dialysis patient were divided into four equal groups.") == [("N_ENROLLED", 44, None)]


def test_thousands_written_in_words():
    from litmus.nlp.numbers import parse_number_words

    assert parse_number_words("Seven thousand and twenty") == 7020
    assert parse_number_words("two thousand three hundred and five") == 2305
    assert counts("Seven thousand and twenty adults were treated; 706 (10.1%) had heart failure.") == [
        ("N_TREATED", 7020, None)]


def test_an_allocation_participle_names_the_group_and_the_verb_after_it_kinds_the_count():
    assert counts("Thirty adults randomized to rehabilitation received 3 months of breathing exercises.") == [
        ("N_TREATED", 30, "rehabilitation")]
    assert counts("Forty adults randomised to drug B were included in the per-protocol analysis.") == [
        ("N_EVALUABLE", 40, "drug B")]


def test_an_n_after_the_study_population_noun_is_no_group():
    text = "Ventilated preterm infants (n = 126) with severe lung disease were randomized to A or B."
    assert counts(text) == [("N_ENROLLED", 126, None)]
    assert counts("A convenience sample (n=219) of prescribers completed the survey.") == [("N_ENROLLED", 219, None)]


def test_two_counts_named_before_the_noun_they_share():
    text = "Of the 200 infants admitted, 30 control and 26 study infants were enrolled."
    assert counts(text)[-2:] == [("N_ENROLLED", 30, "control"), ("N_ENROLLED", 26, "study")]
    text = "In all, 21 preemptive and 5 empiric subjects received antifungal therapy."
    assert counts(text) == [("N_TREATED", 21, "preemptive"), ("N_TREATED", 5, "empiric")]


def test_counts_before_a_shared_noun_that_are_not_groups():
    assert counts("In total, 24 male and 20 female adults were enrolled.") == []
    text = "Sixty-four subjects were enrolled, with 1 proven and 5 probable cases of infection."
    assert counts(text) == [("N_ENROLLED", 64, None)]


def test_groups_named_before_the_counts_they_were_given_to():
    text = "Dose level 1 was given to two adults and dose level 2 to three."
    assert counts(text) == [("N_TREATED", 2, "Dose level 1"), ("N_TREATED", 3, "dose level 2")]
    assert counts("The 52% of adults (n = 143) given bridging had a higher-risk profile.") == [
        ("N_TREATED", 143, "bridging")]


def test_treatment_words_that_count_the_treated():
    assert counts("The product had been given to 33 adults with lymphoma.") == [("N_TREATED", 33, None)]
    assert counts("Of the 1916 recipients, 44% were 65 or older.") == [("N_TREATED", 1916, None)]
    assert counts("Overall, 442 adults with aggressive lymphoma had undergone apheresis.") == [("N_ENROLLED", 442, None)]


def test_a_participle_right_after_the_counted_noun():
    assert counts("We analysed outcomes of 475 adults infused with the product at 9 centres.") == [
        ("N_TREATED", 475, None)]
    assert counts("We enrolled 120 adults treated with drug A.") == [("N_ENROLLED", 120, None)]


def test_a_number_word_inside_a_hyphenated_word_is_no_count():
    assert counts("The trial compared under-five mortality in areas with and without health workers.") == []


def test_the_counts_own_verb_after_it_decides():
    text = "Data for adults randomized to placebo (n = 316) in the trial were included in this analysis."
    assert counts(text) == [("N_EVALUABLE", 316, "placebo")]
    assert counts("Radiographs of 112 adults were assessed at 0, 3 and 6 years.") == [("N_EVALUABLE", 112, None)]
    text = "METHODS: A total of 2484 neonates received a first dose of surfactant; later 1200 were randomized."
    assert counts(text)[0] == ("N_TREATED", 2484, None)
    assert counts("Nine hundred and twenty four babies from 22 units were assessed.") == [("N_EVALUABLE", 924, None)]


def test_a_count_assessed_for_eligibility_is_screened_not_enrolled():
    assert counts("Overall, 300 adults were assessed for eligibility and 200 were randomized.") == [
        ("N_ENROLLED", 200, None)]


def test_listed_groups_each_followed_by_its_description():
    text = "Of 13 adults enrolled, 11 received CAR-T cells on study (n = 3 at DL1, all with glioma; n = 8 at DL2, 6 with glioma)."
    assert counts(text)[-2:] == [("N_TREATED", 3, "DL1"), ("N_TREATED", 8, "DL2")]


def test_two_groups_each_sized_where_it_is_named():
    text = "The decline was similar in the 559 adults in the drug A group and the 557 adults in the placebo group."
    assert counts(text) == [("N_TREATED", 559, "drug A"), ("N_TREATED", 557, "placebo")]
    text = "Overall, 150 adults were enrolled, randomized to DP (101) or A + M (49) and followed up for 63 days."
    assert counts(text)[1:] == [("N_ENROLLED", 101, "DP"), ("N_ENROLLED", 49, "A + M")]
    text = "Tumours were measured in 149 adults including 71 receiving drug A alone and 78 receiving drug A plus drug B."
    assert counts(text)[-2:] == [("N_TREATED", 71, "drug A alone"), ("N_TREATED", 78, "drug A plus drug B")]


def test_event_counts_in_named_groups_are_not_their_sizes():
    text = "Treatment-related deaths occurred in 1 adult in the drug A group and 3 adults in the drug B group."
    assert not [c for c in counts(text) if c[0].startswith("N_")]
    text = "Remission was obtained in eight (80%) adults receiving drug A and six (55%) adults receiving drug B."
    assert not [c for c in counts(text) if c[0].startswith("N_")]


def test_a_planned_sample_size_is_no_count():
    text = "Enrolment of 70 adults had been planned, but the trial closed early after 55 adults had been treated."
    assert counts(text) == [("N_TREATED", 55, None)]
    assert counts("Assuming 5% loss to follow-up 1120 adults (560 in each arm) are required to detect a 6% reduction.") == []
    assert counts("The target enrollment was children aged 3-12 years (n = 24 in each group).") == []


def test_units_that_are_not_people_allocated_to_arms():
    text = "Of the 27 randomised clusters, 13 were allocated to the intervention group and 14 to the control group."
    assert counts(text) == []
    text = "The trial randomized 100 adults from 11 centers to treatment with A (n=68) or B (n=32)."
    assert [c[1] for c in counts(text)] == [100, 68, 32]


def test_thousands_grouped_by_a_space_inside_a_parenthesis():
    text = "Clusters were allocated to the intervention group (n=242 749) and the control group (n=256 985)."
    assert [c[1] for c in counts(text)] == [242749, 256985]


def test_a_count_whose_verb_follows_a_long_relative_clause():
    text = ("METHODS: A total of 129 adults who were in the American Society of Anesthesiologists classes I and II, aged "
            "between 18 and 70 years, and scheduled for elective knee replacement and hip implant surgery, were enrolled.")
    assert counts(text) == [("N_ENROLLED", 129, None)]


def test_a_population_that_comprised_a_count():
    assert counts("The study population comprised 93 adults with asthma; 94.6% of whom were white.") == [
        ("N_ENROLLED", 93, None)]
    assert counts("The new population comprised 678 adults treated with placebo or drug A.") == [("N_TREATED", 678, None)]
