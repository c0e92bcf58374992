"""Who may do what with a child's case (predicates from ``lantern/agencies/rules.py``)."""

from __future__ import annotations

import rules

from lantern.agencies.rules import has_relationship_with_child, is_manager, is_record_user

# Opening, transferring and closing a case are the decisions of a team or senior manager.
rules.add_perm("cases.manage_case", is_manager & has_relationship_with_child)
# Anyone who may see the child's record may review the case, raise an escalation or a challenge, and say
# where the child's needs sit on the continuum.
rules.add_perm("cases.record_review", is_record_user & has_relationship_with_child)
rules.add_perm("cases.escalate", is_record_user & has_relationship_with_child)
rules.add_perm("cases.set_level_of_need", is_record_user & has_relationship_with_child)
# Case supervision is recorded by the supervisor, a manager.
rules.add_perm("cases.record_supervision", is_manager & has_relationship_with_child)
# The drift dashboard of a team.
rules.add_perm("cases.view_team_dashboard", is_manager)
