"""Recovery codes for the second factor (ASVS V6.5): ten one-time codes, shown once, stored hashed.

Someone whose authenticator app is lost signs in with their password and one of their codes; each code
works once (its row is marked used by one conditional UPDATE, so two requests with the same code cannot
both succeed); creating new codes deletes every old one. A code is 12 characters from 31 (no 0, o, 1, l
or i to misread), about 59 bits, written ``abcd-efgh-jkmn``; spaces, hyphens and capitals are ignored.
Each is hashed with PBKDF2-SHA256, its own salt and 20,000 iterations: the hashes stolen from a backup
cannot be turned back into codes, and checking ten takes tens of milliseconds (Argon2 with Django's
password settings would take a second for ten). Wrong codes are throttled by django-otp (1 s, doubling).
"""

from __future__ import annotations

import logging
import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.agencies.models import Professional, RecoveryCode, RecoveryCodeDevice

logger = logging.getLogger(__name__)

HOW_MANY = 10
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 12


class _Hasher(PBKDF2PasswordHasher):
    iterations = 20_000


_HASHER = _Hasher()


def recovery_code_normalise(text: str) -> str:
    """The code as stored: lower case, without spaces and hyphens; "" if it cannot be a code."""
    code = "".join(text.split()).replace("-", "").lower()
    return code if len(code) == LENGTH and all(c in ALPHABET for c in code) else ""


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def recovery_code_shown(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))


@transaction.atomic
def recovery_codes_create(professional: Professional) -> list[str]:
    """Ten new codes (as shown to the professional, once); every earlier code stops working."""
    device, _ = RecoveryCodeDevice.objects.get_or_create(
        user=professional, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.codes.all().delete()
    codes = [_new_code() for _ in range(HOW_MANY)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(device=device, code_hash=_HASHER.encode(code, _HASHER.salt())) for code in codes]
    )
    device.throttle_reset()
    logger.info("New recovery codes for %s", professional)
    return [recovery_code_shown(code) for code in codes]


def recovery_code_use(device: RecoveryCodeDevice, text: str) -> bool:
    """Whether ``text`` is one of the device's unused codes; if so it is used up, now."""
    code = recovery_code_normalise(text)
    if not code:
        return False
    for stored in device.codes.filter(used_at__isnull=True):
        if _HASHER.verify(code, stored.code_hash):
            # One statement: of two requests with the same code, one finds it unused.
            return (
                RecoveryCode.objects.filter(pk=stored.pk, used_at__isnull=True).update(used_at=timezone.now())
                == 1
            )
    return False


def recovery_codes_left(professional: Professional) -> int | None:
    """How many unused codes the professional has; None if they never had any."""
    device = RecoveryCodeDevice.objects.filter(user=professional).first()
    return None if device is None else device.codes.filter(used_at__isnull=True).count()


def has_authenticator(professional: Professional) -> bool:
    return TOTPDevice.objects.filter(user=professional, confirmed=True).exists()
