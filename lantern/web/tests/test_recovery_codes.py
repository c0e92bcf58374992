"""Recovery codes for the second factor: ten, shown once, stored hashed, each usable once, and new ones
make the old ones useless."""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading

import pytest
import time_machine
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.agencies.models import Professional, RecoveryCode, RecoveryCodeDevice, Role
from lantern.agencies.recovery_codes import recovery_code_use, recovery_codes_create
from lantern.agencies.tests.factories import ProfessionalFactory
from lantern.web.tests.test_security import _code, _sign_in

CODE = re.compile(r"<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>")


def _manager() -> tuple[Professional, TOTPDevice]:
    manager = ProfessionalFactory(role=Role.MANAGER)
    return manager, TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)


def _signed_in_fully(client, manager: Professional, device: TOTPDevice) -> None:
    _sign_in(client, manager.username)
    assert client.post(reverse("sign-in-code"), {"code": _code(device)}).status_code == 302


def _codes_created(client) -> list[str]:
    response = client.post(reverse("recovery-codes"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return CODE.findall(response.content.decode())


@pytest.mark.django_db
class TestRecoveryCodes:
    def test_ten_codes_are_shown_once_and_stored_only_hashed(self, client):
        manager, device = _manager()
        _signed_in_fully(client, manager, device)
        codes = _codes_created(client)
        assert len(codes) == len(set(codes)) == 10
        stored = list(RecoveryCode.objects.filter(device__user=manager).values_list("code_hash", flat=True))
        assert len(stored) == 10
        for code in codes:
            assert all(code.replace("-", "") not in h and code not in h for h in stored)
        assert all(h.startswith("pbkdf2_sha256$20000$") for h in stored)
        again = client.get(reverse("recovery-codes")).content.decode()
        assert not CODE.search(again)  # not shown again
        assert "You have 10 unused recovery codes" in again

    def test_a_code_signs_in_once_only(self, client, caplog):
        manager, device = _manager()
        _signed_in_fully(client, manager, device)
        code = _codes_created(client)[3]
        client.post(reverse("sign-out"))
        _sign_in(client, manager.username)
        with caplog.at_level(logging.WARNING, logger="lantern.web.second_factor"):
            response = client.post(reverse("sign-in-recovery-code"), {"code": code.upper().replace("-", " ")})
        assert response.status_code == 302
        assert (
            client.session[DEVICE_ID_SESSION_KEY]
            == RecoveryCodeDevice.objects.get(user=manager).persistent_id
        )
        assert client.get(reverse("my-children")).status_code == 200
        assert "Recovery code used by" in caplog.text
        assert "9 left" in caplog.text
        client.post(reverse("sign-out"))
        _sign_in(client, manager.username)
        with time_machine.travel(dt_later(), tick=False):  # past django-otp's throttle
            again = client.post(reverse("sign-in-recovery-code"), {"code": code})
        assert again.status_code == 400
        assert "has been used" in again.content.decode()
        assert client.get(reverse("my-children"))["Location"].startswith(reverse("sign-in-code"))

    def test_new_codes_make_the_old_ones_useless(self, client):
        manager, device = _manager()
        _signed_in_fully(client, manager, device)
        old = _codes_created(client)
        new = _codes_created(client)
        assert not set(old) & set(new)
        assert RecoveryCode.objects.filter(device__user=manager).count() == 10
        client.post(reverse("sign-out"))
        _sign_in(client, manager.username)
        assert client.post(reverse("sign-in-recovery-code"), {"code": old[0]}).status_code == 400
        with time_machine.travel(dt_later(), tick=False):
            assert client.post(reverse("sign-in-recovery-code"), {"code": new[0]}).status_code == 302

    def test_wrong_and_malformed_codes_are_refused_and_change_nothing(self, client, caplog):
        manager, _ = _manager()
        recovery_codes_create(manager)
        _sign_in(client, manager.username)
        malformed = client.post(reverse("sign-in-recovery-code"), {"code": "12345"})
        assert malformed.status_code == 400
        assert "12 letters and numbers" in malformed.content.decode()
        with caplog.at_level(logging.WARNING, logger="lantern.web.second_factor"):
            wrong = client.post(reverse("sign-in-recovery-code"), {"code": "abcd-efgh-jkmn"})
        assert wrong.status_code == 400
        assert "Wrong recovery code" in caplog.text
        assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()
        # django-otp's throttle counts it: the next try waits 1 s, then 2, 4…
        assert RecoveryCodeDevice.objects.get(user=manager).throttling_failure_count == 1
        assert client.get(reverse("my-children")).status_code == 302

    def test_only_someone_with_an_authenticator_who_has_given_its_code_may_create_codes(self, client):
        manager, _ = _manager()
        _sign_in(client, manager.username)  # password only
        assert client.post(reverse("recovery-codes"))["Location"].startswith(reverse("sign-in-code"))
        assert not RecoveryCodeDevice.objects.exists()
        practitioner = ProfessionalFactory()
        client.post(reverse("sign-out"))
        _sign_in(client, practitioner.username)
        assert client.post(reverse("recovery-codes")).status_code == 404

    def test_without_codes_the_page_says_whom_to_ask(self, client):
        manager, _ = _manager()
        _sign_in(client, manager.username)
        page = client.get(reverse("sign-in-recovery-code")).content.decode()
        assert "You have no recovery codes" in page


def dt_later() -> dt.datetime:
    """Past django-otp's throttle after a wrong code, well within the session's idle timeout."""
    return timezone.now() + dt.timedelta(minutes=5)


@pytest.mark.django_db(transaction=True)
def test_the_same_code_used_twice_at_once_works_once():
    """Two requests with the same code at the same moment: one conditional UPDATE finds it unused."""
    manager, _ = _manager()
    code = recovery_codes_create(manager)[0]
    device_id = RecoveryCodeDevice.objects.get(user=manager).pk
    barrier = threading.Barrier(2)
    results = []

    def use() -> None:
        try:
            device = RecoveryCodeDevice.objects.get(pk=device_id)
            barrier.wait()
            results.append(recovery_code_use(device, code))
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 1
