"""Who runs the health feeds: administrators of a health agency, for their own agency's systems."""

from __future__ import annotations

import rules

from lantern.agencies.models import AgencyType, Professional, Role


@rules.predicate
def is_health_administrator(user: Professional) -> bool:
    return (
        getattr(user, "role", None) == Role.ADMINISTRATOR
        and user.agency is not None
        and user.agency.type == AgencyType.HEALTH
    )


rules.add_perm("health.manage_feeds", is_health_administrator)

# Setting up which systems may send (Django's admin) is an administrator's job, as accounts are.
is_administrator = rules.predicate(lambda user: getattr(user, "role", None) == Role.ADMINISTRATOR)
for action in ("view", "add", "change"):
    rules.add_perm(f"health.{action}_healthsystem", is_administrator)
rules.add_perm("health", is_administrator)
