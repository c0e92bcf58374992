"""Permissions, as rules: each is a predicate over the professional (and the child, where there is one).

Views ask ``request.user.has_perm(...)``; the predicates here are the only source of the answers.
"""

from __future__ import annotations

import rules

from lantern.agencies.models import Professional, Role
from lantern.agencies.selectors import child_is_visible
from lantern.people.models import Person


@rules.predicate
def has_relationship_with_child(user: Professional, child: Person | None) -> bool:
    if child is None:
        return False
    return child_is_visible(viewer=user, child_id=child.pk)


def _role_is(*roles: Role) -> rules.Predicate:
    @rules.predicate(name=f"role_is_{'_or_'.join(r.value for r in roles)}")
    def predicate(user: Professional) -> bool:
        return getattr(user, "role", None) in roles

    return predicate


is_administrator = _role_is(Role.ADMINISTRATOR)
is_auditor = _role_is(Role.AUDITOR)
is_manager = _role_is(Role.MANAGER, Role.SENIOR_MANAGER)
is_record_user = _role_is(Role.PRACTITIONER, Role.MANAGER, Role.SENIOR_MANAGER)

# A child's record: overview and everything under it.
rules.add_perm("people.view_child", is_record_user & has_relationship_with_child)
# Search finds any child (with only "known to services" for those the viewer has no relationship with).
rules.add_perm("people.search_children", is_record_user)
# "Who has viewed this record": the child's managers, and auditors.
rules.add_perm("core.view_access_log", (is_manager & has_relationship_with_child) | is_auditor)
# Break-glass (ADR 17): a record user with no relationship opens the record for a stated reason, for a
# few hours; managers see the emergency access to their teams' children.
rules.add_perm("core.break_glass", is_record_user & ~has_relationship_with_child)
rules.add_perm("core.view_emergency_access", is_manager)

# Information sharing (ADR 17): record users record shares and decisions not to share for children they
# may see; sharing without consent is a manager's decision; auditors read the records.
rules.add_perm("sharing.view_shares", (is_record_user & has_relationship_with_child) | is_auditor)
rules.add_perm("sharing.record_share", is_record_user & has_relationship_with_child)
rules.add_perm("sharing.share_without_consent", is_manager & has_relationship_with_child)

# Django's admin site: administrators look after agencies, teams, accounts and involvements.
for app_label, model in [
    ("agencies", "agency"),
    ("agencies", "team"),
    ("agencies", "professional"),
    ("agencies", "involvement"),
]:
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"{app_label}.{action}_{model}", is_administrator)
rules.add_perm("agencies", is_administrator)

# The chronology: anyone who may see the child's record may add to it; corrections are for managers.
rules.add_perm("chronology.add_event", is_record_user & has_relationship_with_child)
rules.add_perm("chronology.view_corrections", is_manager & has_relationship_with_child)
rules.add_perm("chronology.export", is_record_user & has_relationship_with_child)

# Alerts: anyone who may see the child acts on the child's alerts; team worklists are for managers.
rules.add_perm("screening.act_on_alert", is_record_user & has_relationship_with_child)
rules.add_perm("screening.view_team_worklist", is_manager)
rules.add_perm("screening.view_worklist", is_record_user)

# Plans and meetings (issue #7): anyone who may see the child reads and writes them; the plan quality
# audit (across the children a manager may see) is for managers.
rules.add_perm("casework.view_plan", is_record_user & has_relationship_with_child)
rules.add_perm("casework.change_plan", is_record_user & has_relationship_with_child)
rules.add_perm("casework.audit_plan_quality", is_manager)
# Assessments: anyone who may see the child may take part (each template says who completes it); a manager
# of the child countersigns.
rules.add_perm("assessments.record", is_record_user & has_relationship_with_child)
rules.add_perm("assessments.countersign", is_manager & has_relationship_with_child)
# Assessment templates: administrators see the versions loaded and upload new ones (admin).
rules.add_perm("assessments", is_administrator)
rules.add_perm("assessments.view_assessmenttemplate", is_administrator)
rules.add_perm("assessments.add_assessmenttemplate", is_administrator)
