"""The rule catalogue (DESIGN.md): one module per rule, registered here under its stable code."""

from __future__ import annotations

from importlib import import_module

from lantern.screening.rule import Rule

# Order of DESIGN.md's table. Adding a rule: write its module, add its name here.
MODULES = (
    "was_not_brought",
    "attendance_pattern_change",
    "repeated_ae_attendance",
    "injury_non_mobile",
    "supervision_concern",
    "dental_decay",
    "vulnerable_infant",
    "pre_birth_risk",
    "overlooked_teenager",
    "self_harm_risk",
    "cumulative_risk",
    "improvement_not_sustained",
    "home_not_seen",
    "no_access_visits",
    "agreement_not_met",
    "emotional_neglect_pattern",
    "overdue_actions",
    "stuck_case",
    "review_overdue",
    "assessment_overdue",
    "repeat_plan",
    "long_running_plan",
    "no_lead_professional",
    "health_not_invited",
    "non_engagement",
    "no_prosecution_follow_up",
    "parental_history_missing",
    "supervision_overdue",
    "sudi_risk",
    "disabled_child",
    "worker_turnover",
)

RULES: dict[str, Rule] = {}
for _module in MODULES:
    _rule: Rule = import_module(f"{__name__}.{_module}").RULE
    assert _rule.code not in RULES, f"two rules have the code {_rule.code}"
    RULES[_rule.code] = _rule
