"""Who manages retention and subject access: the data protection officer (an office, ADR 0018).

Administrators appoint the officer in the administration pages but cannot hold the office themselves.
"""

from __future__ import annotations

import rules

from lantern.agencies.models import Professional, Role
from lantern.retention.models import DataProtectionOfficer


@rules.predicate
def is_data_protection_officer(user: Professional) -> bool:
    return (
        getattr(user, "is_active", False)
        and getattr(user, "role", None) != Role.ADMINISTRATOR
        and DataProtectionOfficer.objects.filter(professional_id=user.pk).exists()
    )


is_administrator = rules.predicate(lambda user: getattr(user, "role", None) == Role.ADMINISTRATOR)

# Subject access requests, their exports, legal holds and the looked-after marker.
rules.add_perm("retention.manage_subject_access", is_data_protection_officer)
rules.add_perm("retention.manage_legal_holds", is_data_protection_officer)

# Appointing the officer is an administrator's job (Django's admin), as accounts are.
for action in ("view", "add", "delete"):
    rules.add_perm(f"retention.{action}_dataprotectionofficer", is_administrator)
rules.add_perm("retention", is_administrator)
