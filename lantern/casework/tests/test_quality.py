"""The plan quality check on good and bad plans: owner, date, vague outcome, jargon, readability."""

from lantern.casework.quality import (
    ActionText,
    OutcomeText,
    jargon_found,
    plan_quality,
    reading_ease,
)

GOOD_OUTCOME = OutcomeText(
    "Mia has breakfast before school and arrives by 8:50.",
    "Every school day, checked by the school each week until the review on 30 June.",
)
GOOD_ACTION = ActionText("Take Mia to the dentist.", has_owner=True, has_due_date=True)
GOOD_AGREEMENT = "You will take Mia to every health appointment. We will check this each week."


def good_plan(**changes):
    parts = {"outcomes": [GOOD_OUTCOME], "actions": [GOOD_ACTION], "agreements": [GOOD_AGREEMENT]}
    return plan_quality(**(parts | changes))


class TestGoodPlan:
    def test_a_good_plan_has_no_findings(self):
        report = good_plan()
        assert report.is_good, report.findings


class TestOwnerAndDate:
    def test_an_action_without_an_owner(self):
        report = good_plan(actions=[GOOD_ACTION, ActionText("Take Mia to the dentist.", False, True)])
        [finding] = report.findings
        assert (finding.where, finding.kind) == ("Action 2", "owner")
        assert finding.suggestion == "Name the person who will do it"

    def test_an_action_without_a_date(self):
        [finding] = good_plan(actions=[ActionText("Take Mia to the dentist.", True, False)]).findings
        assert (finding.where, finding.kind) == ("Action 1", "date")

    def test_a_plan_with_no_actions_or_outcomes(self):
        report = good_plan(actions=[], outcomes=[])
        assert [f.problem for f in report.findings] == ["The plan has no outcomes", "The plan has no actions"]


class TestVagueOutcomes:
    def test_vague_words_without_a_measure_are_flagged(self):
        for text in [
            "Mum will engage with services.",
            "Home conditions improve.",
            "Continue to monitor Mia.",
        ]:
            [finding] = good_plan(outcomes=[OutcomeText(text)]).findings
            assert finding.kind == "vague"
            assert "does not say what will be different" in finding.problem

    def test_a_vague_word_with_a_measure_is_accepted(self):
        outcome = OutcomeText(
            "Mia's home conditions improve.", "Clean bedding at 4 unannounced visits by 1 May."
        )
        assert good_plan(outcomes=[outcome]).is_good

    def test_a_specific_outcome_without_a_measure_is_asked_for_one(self):
        [finding] = good_plan(outcomes=[OutcomeText("Mia has breakfast before school.")]).findings
        assert finding.problem.startswith("There is no measure")

    def test_vague_words_are_whole_words(self):
        assert good_plan(
            outcomes=[OutcomeText("Mia's supporting adults attend.", "Every week until 1 June.")]
        ).is_good


class TestPlainEnglish:
    def test_jargon_in_family_facing_text_with_plain_suggestions(self):
        report = good_plan(agreements=["You will attend the ICPC and the core group. If Mia is DNA we act."])
        jargon = report.of_kind("jargon")
        assert [f.problem.split("”")[0].lstrip("“") for f in jargon] == ["ICPC", "core group", "DNA"]
        assert jargon[0].where == "Written agreement 1"
        assert jargon[0].suggestion == "Say “the first child protection meeting” instead"

    def test_jargon_in_actions_and_outcomes_too(self):
        report = good_plan(
            actions=[ActionText("Complete the s47 enquiry.", True, True)],
            outcomes=[OutcomeText("Mia is no longer CIN.", "By 1 June.")],
        )
        assert {(f.where, f.kind) for f in report.findings} == {
            ("Action 1", "jargon"),
            ("Outcome 1", "jargon"),
        }

    def test_abbreviations_only_in_capitals_and_as_whole_words(self):
        assert jargon_found("Mia will be cared for by the family, and dna is in lower case") == []
        assert jargon_found("the placement is planned") == []
        assert [t for t, _ in jargon_found("A TAF meeting and a LAC review")] == ["LAC", "TAF"]

    def test_hard_reading_is_scored_with_a_suggestion(self):
        hard = (
            "The social worker will undertake a comprehensive multi-agency assessment of parental capacity, "
            "considering the cumulative impact of chronic neglect upon developmental outcomes and emotional "
            "wellbeing throughout the intervention."
        )
        report = good_plan(agreements=[hard])
        [readability] = report.of_kind("readability")
        assert readability.problem.startswith("Hard to read: reading ease")
        assert "split the sentence starting “The social worker will undertake a" in readability.suggestion

    def test_plain_text_scores_well_and_short_text_is_not_scored(self):
        ease = reading_ease(
            "You will take Mia to school every day. She will eat breakfast first. "
            "We will check this each week with you and the school."
        )
        assert ease is not None
        assert ease >= 60
        assert reading_ease("Take Mia to school.") is None
