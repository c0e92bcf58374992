import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from lantern.agencies.models import SignInFailure
from lantern.agencies.tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
SAME_MESSAGE = "Enter a correct username and password"


def _error_summary(response):
    return re.search(
        r'<div class="govuk-error-summary.*?</div>\s*</div>', response.content.decode(), re.S
    ).group(0)


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("sign-in"), {"username": username, "password": password})


class TestSignIn:
    def test_passwords_are_hashed_with_argon2(self):
        assert ProfessionalFactory().password.startswith("argon2")

    def test_right_password_signs_in_and_goes_to_my_children(self, client):
        professional = ProfessionalFactory()
        response = _sign_in(client, professional.username)
        assert response.status_code == 302
        assert response["Location"] == reverse("my-children")
        assert client.session[SESSION_KEY] == str(professional.pk)

    def test_the_session_key_changes_at_sign_in(self, client):
        professional = ProfessionalFactory()
        client.get(reverse("sign-in"))
        client.session.save()
        before = client.session.session_key
        _sign_in(client, professional.username)
        assert client.session.session_key != before

    def test_wrong_password_and_unknown_user_get_the_same_message(self, client):
        professional = ProfessionalFactory()
        wrong = _sign_in(client, professional.username, "not the password")
        unknown = _sign_in(client, "nobody-at-all", "not the password")
        assert wrong.status_code == unknown.status_code == 200
        assert SAME_MESSAGE in wrong.content.decode()
        assert _error_summary(wrong) == _error_summary(unknown)

    def test_failures_are_recorded(self, client):
        _sign_in(client, "Someone", "wrong")
        failure = SignInFailure.objects.get()
        assert failure.username == "someone"
        assert failure.address == "127.0.0.1"

    def test_a_disabled_account_cannot_sign_in(self, client):
        professional = ProfessionalFactory(is_active=False)
        response = _sign_in(client, professional.username)
        assert SESSION_KEY not in client.session
        assert SAME_MESSAGE in response.content.decode()


class TestLockout:
    def test_five_failures_lock_the_account_even_with_the_right_password(self, client):
        professional = ProfessionalFactory()
        for _ in range(4):
            _sign_in(client, professional.username, "wrong")
        # Four failures: still open.
        assert _sign_in(client, professional.username).status_code == 302
        client.logout()
        for _ in range(5):
            _sign_in(client, professional.username, "wrong")
        response = _sign_in(client, professional.username)
        assert response.status_code == 200
        assert SESSION_KEY not in client.session
        assert SAME_MESSAGE in response.content.decode()

    def test_the_lock_lifts_after_the_window(self, client):
        professional = ProfessionalFactory()
        with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
            for _ in range(5):
                _sign_in(client, professional.username, "wrong")
            traveller.shift(dt.timedelta(minutes=14, seconds=59))
            assert _sign_in(client, professional.username).status_code == 200
            traveller.shift(dt.timedelta(minutes=15, seconds=1))
            assert _sign_in(client, professional.username).status_code == 302

    def test_the_lock_is_per_username_and_ignores_case(self, client):
        locked, other = ProfessionalFactory(), ProfessionalFactory()
        for _ in range(5):
            _sign_in(client, locked.username.upper(), "wrong")
        assert _sign_in(client, locked.username).status_code == 200
        assert _sign_in(client, other.username).status_code == 302


class TestSessions:
    def test_an_idle_session_expires_after_30_minutes(self, client):
        professional = ProfessionalFactory()
        with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
            _sign_in(client, professional.username)
            traveller.shift(dt.timedelta(minutes=29))
            assert client.get(reverse("my-children")).status_code == 200
            # Activity pushed the expiry on: another 29 minutes is still within the idle limit.
            traveller.shift(dt.timedelta(minutes=29))
            assert client.get(reverse("my-children")).status_code == 200
            traveller.shift(dt.timedelta(minutes=31))
            response = client.get(reverse("my-children"))
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("sign-in"))

    def test_a_busy_session_is_saved_once_a_minute_not_on_every_request(self, client):
        from django.contrib.sessions.models import Session

        professional = ProfessionalFactory()
        start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
        with time_machine.travel(start, tick=False) as traveller:
            _sign_in(client, professional.username)
            key = client.session.session_key

            def expiry():
                return Session.objects.get(session_key=key).expire_date

            signed_in = expiry()
            assert signed_in == start + dt.timedelta(minutes=30)
            for _ in range(5):  # every 11 seconds for 55 seconds: nothing written
                traveller.shift(dt.timedelta(seconds=11))
                assert client.get(reverse("my-children")).status_code == 200
                assert expiry() == signed_in
            traveller.shift(dt.timedelta(seconds=5))  # a minute since the last save: saved, expiry moved on
            assert client.get(reverse("my-children")).status_code == 200
            assert expiry() == start + dt.timedelta(minutes=31)
            # A request 59 s after that save writes nothing; idle from there, the session ends 30 minutes
            # after the save: 29 min 1 s after the last request (never more than a minute short of 30).
            traveller.shift(dt.timedelta(seconds=59))
            assert client.get(reverse("my-children")).status_code == 200
            assert expiry() == start + dt.timedelta(minutes=31)
            traveller.shift(dt.timedelta(minutes=29, seconds=2))
            assert client.get(reverse("my-children")).status_code == 302

    def test_sign_out_ends_the_session_on_the_server(self, client):
        from django.contrib.sessions.models import Session

        professional = ProfessionalFactory()
        _sign_in(client, professional.username)
        key = client.session.session_key
        assert client.post(reverse("sign-out")).status_code == 302
        assert not Session.objects.filter(session_key=key).exists()

    def test_sign_out_needs_a_post(self, client):
        professional = ProfessionalFactory()
        client.force_login(professional)
        assert client.get(reverse("sign-out")).status_code == 405


class TestGovukMessages:
    def test_empty_fields_say_what_to_enter(self, client):
        page = client.post(reverse("sign-in"), {"username": "", "password": ""}).content.decode()
        assert "Enter your username" in page
        assert "Enter your password" in page

    def test_an_htmx_request_after_the_session_ends_redirects_the_whole_page(self, client):
        response = client.get(reverse("search") + "?q=x", headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert response["HX-Redirect"].startswith(reverse("sign-in"))
