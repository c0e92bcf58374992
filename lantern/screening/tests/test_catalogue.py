"""The catalogue is a contract (DESIGN.md): exactly these codes, in this order."""

from lantern.screening.rules import RULES

DESIGN_CATALOGUE = [
    "was-not-brought", "attendance-pattern-change", "repeated-ae-attendance", "injury-non-mobile",
    "supervision-concern", "dental-decay", "vulnerable-infant", "pre-birth-risk", "overlooked-teenager",
    "self-harm-risk", "cumulative-risk", "improvement-not-sustained", "home-not-seen", "no-access-visits",
    "agreement-not-met", "emotional-neglect-pattern", "overdue-actions", "stuck-case", "review-overdue",
    "assessment-overdue", "repeat-plan", "long-running-plan", "no-lead-professional", "health-not-invited",
    "non-engagement", "no-prosecution-follow-up", "parental-history-missing", "supervision-overdue",
    "sudi-risk", "disabled-child", "worker-turnover",
]  # fmt: skip


def test_every_rule_of_the_catalogue_under_its_stable_code():
    assert list(RULES) == DESIGN_CATALOGUE


def test_every_parameter_is_a_positive_whole_number():
    for rule in RULES.values():
        for name, value in rule.parameters.items():
            assert isinstance(value, int), (rule.code, name)
            assert value >= 1, (rule.code, name)
