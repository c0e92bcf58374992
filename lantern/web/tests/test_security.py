"""Accounts, sessions, the second factor, headers, cookies and CSRF (issue #8 items 4 and 5, ADR 16)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.agencies.models import Professional, Role, SignedInSession
from lantern.agencies.tests.factories import ProfessionalFactory
from lantern.web.testing import BrowserClient

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("sign-in"), {"username": username, "password": password}, **extra)


def _code(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += later * device.step
    return f"{totp.token():06d}"


def _manager_with_authenticator(**fields) -> tuple[Professional, TOTPDevice]:
    manager = ProfessionalFactory(role=Role.MANAGER, **fields)
    return manager, TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)


class TestPasswords:
    """ASVS V6.2: at least 8 characters, 64 and more accepted, common ones refused, no composition rules."""

    def _refusals(self, password: str, user: Professional | None = None) -> list[str]:
        try:
            validate_password(password, user)
        except ValidationError as error:
            return list(error.messages)
        return []

    def test_seven_characters_are_too_few_and_eight_enough(self):
        assert "This password is too short. It must contain at least 8 characters." in self._refusals(
            "qzvxwkt"
        )
        assert self._refusals("qzvxwktj") == []

    @pytest.mark.parametrize("length", [64, 128])
    def test_long_passphrases_are_accepted_and_sign_in(self, client, length):
        passphrase = ("walking slowly past the blue harbour lights " * 3)[:length]
        assert len(passphrase) == length
        assert self._refusals(passphrase) == []
        professional = ProfessionalFactory()
        professional.set_password(passphrase)
        professional.save()
        assert _sign_in(client, professional.username, passphrase).status_code == 302
        assert client.session[SESSION_KEY] == str(professional.pk)

    @pytest.mark.parametrize("common", ["password123", "qwertyuiop", "iloveyou"])
    def test_common_passwords_are_refused(self, common):
        assert "This password is too common." in self._refusals(common)

    @pytest.mark.parametrize("plain", ["lowercase words only", "abcdefghij", "12873465019"])
    def test_no_composition_rules(self, plain):
        assert not [m for m in self._refusals(plain) if "too common" not in m]
        assert self._refusals("lowercase words only") == []

    def test_a_password_like_the_username_is_refused(self):
        professional = ProfessionalFactory(username="samokafor", name="Sam Okafor")
        assert "The password is too similar to the username." in self._refusals("samokafor1", professional)


class TestSignInMessagesAndLogging:
    def test_unknown_user_and_wrong_password_are_told_the_same(self, client):
        professional = ProfessionalFactory()
        wrong = _sign_in(client, professional.username, "not the password").content.decode()
        unknown = _sign_in(client, "nobody-at-all", "not the password").content.decode()

        def without_tokens(page: str) -> str:
            return re.sub(r'(value|nonce)="[^"]*"', "", page)

        assert without_tokens(wrong) == without_tokens(unknown)

    def test_a_failed_sign_in_is_logged_with_username_and_address(self, client, caplog):
        with caplog.at_level(logging.WARNING, logger="lantern.agencies.accounts"):
            _sign_in(client, "Someone", "wrong")
        assert "Failed sign-in for username 'Someone' from 127.0.0.1" in caplog.text
        assert "wrong" not in caplog.text.replace("'Someone'", "")


class TestSessions:
    def test_the_session_key_changes_at_sign_in(self, client):
        professional = ProfessionalFactory()
        client.get(reverse("sign-in"))
        session = client.session
        session["seen"] = True
        session.save()
        before = session.session_key
        _sign_in(client, professional.username)
        assert client.session.session_key != before
        assert not Session.objects.filter(session_key=before).exists()

    def test_the_old_session_cookie_is_useless_after_sign_out(self, client):
        professional = ProfessionalFactory()
        _sign_in(client, professional.username)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert client.get(reverse("my-children")).status_code == 200
        client.post(reverse("sign-out"))
        replay = BrowserClient()
        replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
        response = replay.get(reverse("my-children"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in"))
        assert not SignedInSession.objects.filter(session_key=cookie).exists()

    def test_disabling_an_account_ends_all_its_sessions(self, client):
        professional, colleague = ProfessionalFactory(), ProfessionalFactory()
        laptop, phone, theirs = BrowserClient(), BrowserClient(), BrowserClient()
        for browser, who in ((laptop, professional), (phone, professional), (theirs, colleague)):
            assert _sign_in(browser, who.username).status_code == 302
        keys = [b.cookies[settings.SESSION_COOKIE_NAME].value for b in (laptop, phone)]
        assert SignedInSession.objects.filter(professional=professional).count() == 2

        professional.is_active = False
        professional.save()

        assert not Session.objects.filter(session_key__in=keys).exists()
        assert not SignedInSession.objects.filter(professional=professional).exists()
        for browser in (laptop, phone):
            assert browser.get(reverse("my-children")).status_code == 302
        # Nobody else was signed out.
        assert theirs.get(reverse("my-children")).status_code == 200

    def test_idle_for_30_minutes_ends_the_session_on_the_server(self, client):
        professional = ProfessionalFactory()
        with time_machine.travel(START, tick=False) as traveller:
            _sign_in(client, professional.username)
            key = client.session.session_key
            traveller.shift(dt.timedelta(minutes=29, seconds=59))
            assert client.get(reverse("my-children")).status_code == 200
            traveller.shift(dt.timedelta(minutes=30, seconds=1))
            assert client.get(reverse("my-children")).status_code == 302
            assert not Session.objects.filter(session_key=key, expire_date__gt=START + dt.timedelta(hours=1))

    def test_however_active_a_session_ends_12_hours_after_sign_in(self, client):
        professional = ProfessionalFactory()
        with time_machine.travel(START, tick=False) as traveller:
            _sign_in(client, professional.username)
            key = client.session.session_key
            # Busy all day: never idle for as long as 30 minutes.
            for _ in range(11 * 3 + 2):
                traveller.shift(dt.timedelta(minutes=20))
                assert client.get(reverse("my-children")).status_code == 200
            traveller.shift(dt.timedelta(minutes=19, seconds=59))  # 11 h 59 min 59 s after sign-in
            assert client.get(reverse("my-children")).status_code == 200
            traveller.shift(dt.timedelta(seconds=1))  # 12 hours
            response = client.get(reverse("my-children"))
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("sign-in"))
            assert not Session.objects.filter(session_key=key).exists()
            # Signing in again starts a new 12 hours.
            assert _sign_in(client, professional.username).status_code == 302
            assert client.get(reverse("my-children")).status_code == 200


class TestSecondFactor:
    def test_a_practitioner_needs_no_code(self, client):
        practitioner = ProfessionalFactory(role=Role.PRACTITIONER)
        assert _sign_in(client, practitioner.username)["Location"] == reverse("my-children")
        assert client.get(reverse("my-children")).status_code == 200

    @pytest.mark.parametrize("role", [Role.MANAGER, Role.SENIOR_MANAGER, Role.ADMINISTRATOR])
    def test_managers_and_administrators_must_give_the_code(self, client, role):
        professional = ProfessionalFactory(role=role)
        TOTPDevice.objects.create(user=professional, name="phone", confirmed=True)
        _sign_in(client, professional.username)
        for path in (reverse("my-children"), reverse("search"), reverse("worklist"), "/admin/"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith(reverse("sign-in-code")), path
        api = client.get("/api/v1/openapi.json")
        assert api.status_code == 401

    def test_everyone_needs_the_code_when_the_setting_says_so(self, client, settings):
        settings.LANTERN_SECOND_FACTOR_FOR_ALL = True
        practitioner = ProfessionalFactory(role=Role.PRACTITIONER)
        _sign_in(client, practitioner.username)
        response = client.get(reverse("my-children"))
        assert response["Location"].startswith(reverse("sign-in-code"))
        # Without an authenticator yet, the code page sends them to set one up.
        assert client.get(response["Location"])["Location"].startswith(reverse("sign-in-code-set-up"))

    def test_the_right_code_signs_in_with_a_new_session_key(self, client):
        manager, device = _manager_with_authenticator()
        _sign_in(client, manager.username)
        after_password = client.session.session_key
        response = client.post(reverse("sign-in-code"), {"code": _code(device), "next": reverse("search")})
        assert response.status_code == 302
        assert response["Location"] == reverse("search")
        assert client.session.session_key != after_password
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert SignedInSession.objects.get(professional=manager).session_key == client.session.session_key
        assert client.get(reverse("search")).status_code == 200

    def test_a_wrong_code_is_refused_and_logged(self, client, caplog):
        manager, device = _manager_with_authenticator()
        _sign_in(client, manager.username)
        with caplog.at_level(logging.WARNING, logger="lantern.web.second_factor"):
            response = client.post(reverse("sign-in-code"), {"code": "000000"})
        if _code(device) == "000000":  # one chance in a million
            return
        assert response.status_code == 400
        assert "The code is not right, or has expired" in response.content.decode()
        assert f"Wrong second-factor code for {manager}" in caplog.text
        assert client.get(reverse("my-children")).status_code == 302

    @pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
    def test_a_code_that_is_not_six_digits_says_so(self, client, code):
        manager, _ = _manager_with_authenticator()
        _sign_in(client, manager.username)
        response = client.post(reverse("sign-in-code"), {"code": code})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Enter the 6-digit code" in page or "Enter the code as 6 digits" in page

    def test_a_code_works_once(self, client):
        manager, device = _manager_with_authenticator()
        code = _code(device)
        _sign_in(client, manager.username)
        assert client.post(reverse("sign-in-code"), {"code": code}).status_code == 302
        other = BrowserClient()
        _sign_in(other, manager.username)
        assert other.post(reverse("sign-in-code"), {"code": code}).status_code == 400

    def test_next_goes_nowhere_outside_lantern(self, client):
        manager, device = _manager_with_authenticator()
        _sign_in(client, manager.username)
        response = client.post(
            reverse("sign-in-code"), {"code": _code(device), "next": "https://elsewhere.example/"}
        )
        assert response["Location"] == reverse("my-children")

    def test_a_manager_without_an_authenticator_sets_one_up(self, client):
        manager = ProfessionalFactory(role=Role.MANAGER)
        _sign_in(client, manager.username)
        assert client.get(reverse("sign-in-code"))["Location"].startswith(reverse("sign-in-code-set-up"))
        page = client.get(reverse("sign-in-code-set-up"))
        assert page.status_code == 200
        device = TOTPDevice.objects.get(user=manager, confirmed=False)
        shown = re.search(r"Key \(time-based.*?bold[^>]*>([^<]+)<", page.content.decode(), re.S)[1]
        assert "".join(shown.split()) == base64.b32encode(device.bin_key).decode()
        picture = client.get(reverse("sign-in-code-set-up-picture"))
        assert picture["Content-Type"] == "image/svg+xml"
        assert picture.content.startswith(b"<?xml")
        assert b"<svg" in picture.content
        assert client.post(reverse("sign-in-code-set-up"), {"code": _code(device)}).status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(reverse("my-children")).status_code == 200

    def test_a_password_alone_cannot_set_up_another_authenticator(self, client):
        """Whoever has only the password (a thief) cannot enrol their own phone beside the owner's."""
        manager, _ = _manager_with_authenticator()
        _sign_in(client, manager.username)
        response = client.get(reverse("sign-in-code-set-up"))
        assert response["Location"].startswith(reverse("sign-in-code"))
        assert client.post(reverse("sign-in-code-set-up"), {"code": "123456"}).status_code == 302
        assert client.get(reverse("sign-in-code-set-up-picture")).status_code == 404
        assert TOTPDevice.objects.filter(user=manager).count() == 1

    def test_removing_the_authenticator_asks_for_the_code_again(self, client):
        manager, device = _manager_with_authenticator()
        _sign_in(client, manager.username)
        client.post(reverse("sign-in-code"), {"code": _code(device)})
        assert client.get(reverse("my-children")).status_code == 200
        device.delete()
        assert client.get(reverse("my-children"))["Location"].startswith(reverse("sign-in-code"))


def _routes() -> list[str]:
    """A path for every route (record references and ids filled in with ones that need not exist)."""
    paths = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                paths.append("/" + route)  # its index, at least
                continue
            assert isinstance(pattern, URLPattern)
            route = re.sub(r"<ref:[a-z_]+>", "demo:x1", route)
            route = re.sub(r"<int:[a-z_]+>", "1", route)
            route = re.sub(r"<(str:)?[a-z_]+>", "x", route)
            paths.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


class TestHeaders:
    def test_every_route_sends_the_security_headers(self, area, client):
        client.force_login(area.involved)
        routes = _routes()
        assert len(routes) > 20
        for path in routes:
            response = client.get(path)
            policy = response.get("Content-Security-Policy", "")
            assert "frame-ancestors 'none'" in policy, path
            assert "unsafe-" not in policy, path
            assert "default-src 'self'" in policy, path
            assert "object-src 'none'" in policy, path
            assert re.search(r"script-src 'self' 'nonce-[A-Za-z0-9_-]{24}'", policy), path
            assert response["X-Content-Type-Options"] == "nosniff", path
            assert response["Referrer-Policy"] == "same-origin", path
            assert response["X-Frame-Options"] == "DENY", path
            if not path.startswith("/static/"):
                assert "no-store" in response["Cache-Control"], path

    def test_pages_with_personal_data_are_not_stored(self, area, client):
        client.force_login(area.involved)
        for name in ("child-overview", "chronology", "chronology-csv"):
            response = client.get(reverse(name, args=[area.child.ref]))
            assert response.status_code == 200, name
            assert "no-store" in response["Cache-Control"], name

    def test_the_nonce_is_new_for_every_response_and_on_govuks_script(self, client):
        first, second = client.get(reverse("sign-in")), client.get(reverse("sign-in"))
        nonces = [re.search(r"'nonce-([^']+)'", r["Content-Security-Policy"])[1] for r in (first, second)]
        assert nonces[0] != nonces[1]
        assert f'<script nonce="{nonces[0]}">' in first.content.decode()

    def test_no_template_has_inline_script_style_or_handlers(self):
        """Lantern's templates put nothing inline that the policy would refuse (JavaScript is in files)."""
        root = Path(settings.BASE_DIR) / "lantern"
        offending = []
        for template in root.rglob("jinja2/**/*.html"):
            text = template.read_text()
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=|\son[a-z]+=", text):
                offending.append(str(template.relative_to(root)))
        assert offending == []

    def test_the_health_check_answers_without_signing_in(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok\n"
        assert "Content-Security-Policy" in response


class TestCsrf:
    POSTS = [
        ("sign-in", []),
        ("sign-out", []),
        ("sign-in-code", []),
        ("sign-in-code-set-up", []),
        ("sign-in-recovery-code", []),
        ("recovery-codes", []),
        ("record-observation", ["demo:c1"]),
        ("record-home-visit", ["demo:c1"]),
        ("health-token-issue", [1]),
        ("health-token-revoke", [1]),
        ("health-replay", [1]),
        ("health-resolve", [1]),
        ("alert", [1]),
    ]

    @pytest.mark.parametrize(("name", "args"), POSTS)
    def test_a_form_posted_without_the_csrf_token_is_refused(self, area, client, name, args):
        client.force_login(area.administrator)
        response = client.post(reverse(name, args=args), {"x": "1"}, HTTP_X_CSRFTOKEN="")
        assert response.status_code == 403

    def test_sign_in_without_the_token_is_refused_and_signs_nobody_in(self, client):
        professional = ProfessionalFactory()
        response = _sign_in(client, professional.username, HTTP_X_CSRFTOKEN="")
        assert response.status_code == 403
        assert SESSION_KEY not in client.session


def _production_environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "LANTERN_PRODUCTION": "1",
        "LANTERN_SECRET_KEY": "a-test-secret-that-is-long-and-random-enough-0123456789-abcdefghijklmnop",
        "LANTERN_ALLOWED_HOSTS": "lantern.example",
        "LANTERN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }


class TestProductionSettings:
    def test_check_deploy_is_clean(self, tmp_path):
        """``lantern check --deploy --fail-level WARNING`` with production settings: not one warning."""
        result = subprocess.run(
            [sys.executable, "-m", "lantern.cli", "check", "--deploy", "--fail-level", "WARNING"],
            env=_production_environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "System check identified no issues" in result.stdout

    def test_cookies_and_hsts_in_production(self, tmp_path):
        script = (
            "import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({k: getattr(s, k) for k in ("
            "'SESSION_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
            "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_NAME', 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', "
            "'CSRF_COOKIE_SAMESITE', "
            "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER')}))"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            env={**_production_environment(tmp_path), "DJANGO_SETTINGS_MODULE": "lantern.config.settings"},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        production = json.loads(result.stdout)
        assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
        assert production["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
        assert production["SECURE_HSTS_SECONDS"] >= 31536000
        # The cookies those settings give, on a real sign-in over HTTPS.
        cookie_settings = {k: v for k, v in production.items() if k.startswith(("SESSION_", "CSRF_"))}
        with override_settings(**cookie_settings):
            client = BrowserClient()
            professional = ProfessionalFactory()
            client.get(reverse("sign-in"), secure=True)
            response = client.post(
                reverse("sign-in"),
                {"username": professional.username, "password": PASSWORD},
                secure=True,
                HTTP_REFERER="https://testserver/sign-in/",
            )
            assert response.status_code == 302
            for name in ("__Host-sessionid", "__Host-csrftoken"):
                cookie = response.cookies[name]
                assert cookie["secure"] is True, name
                assert cookie["httponly"] is True, name
                assert cookie["samesite"] == "Lax", name
                assert cookie["path"] == "/", name
                assert not cookie["domain"], name


class TestDemoAuthenticator:
    def test_demo_managers_use_the_published_key_and_practitioners_none(self):
        from lantern.interop.demo import DEMO_TOTP_KEY, demo_area_load

        demo_area_load()
        devices = TOTPDevice.objects.filter(user__source="demo")
        assert {d.user.username for d in devices} == {"demo.tm1", "demo.sm1", "demo.admin1", "demo.hadmin1"}
        assert {d.bin_key for d in devices} == {DEMO_TOTP_KEY}
        demo_area_load()  # again: still one each
        assert TOTPDevice.objects.filter(user__source="demo").count() == 4

    def test_the_demo_area_is_refused_in_production(self, settings):
        from django.core.exceptions import ImproperlyConfigured

        from lantern.interop.demo import demo_area_load

        settings.PRODUCTION = True
        with pytest.raises(ImproperlyConfigured, match="never loaded in production"):
            demo_area_load()
        assert not Professional.objects.filter(source="demo").exists()


class TestProductionServing:
    def test_templates_ask_static_only_for_files(self):
        """In production static() knows only collected files (hashed names): never a folder."""
        from django.contrib.staticfiles import finders

        root = Path(settings.BASE_DIR) / "lantern"
        asked = {
            name
            for template in root.rglob("jinja2/**/*.html")
            for name in re.findall(r"""static\(["']([^"']+)["']\)""", template.read_text())
        }
        assert asked
        for name in asked:
            found = finders.find(name)
            assert found is not None, name
            assert Path(str(found)).is_file(), name

    def test_gunicorn_serves_lantern_in_production(self, tmp_path):
        """gunicorn with Lantern's configuration, production settings, behind a TLS proxy on this host."""
        import http.client
        import socket
        import time

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        environment = {
            **_production_environment(tmp_path),
            "LANTERN_ALLOWED_HOSTS": "127.0.0.1",
            "LANTERN_BIND": f"127.0.0.1:{port}",
            "LANTERN_WORKERS": "1",
        }
        gunicorn = Path(sys.executable).parent / "gunicorn"
        server = subprocess.Popen(
            [str(gunicorn), "--config", "python:lantern.config.gunicorn"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:

            def get(path, **headers):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    return response.status, response.headers, response.read()
                finally:
                    connection.close()

            deadline = time.monotonic() + 90
            while True:
                try:
                    status, _, body = get("/healthz")
                    break
                except OSError:
                    assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                    assert time.monotonic() < deadline, "gunicorn did not answer in 90 seconds"
                    time.sleep(0.5)
            # Plain HTTP from the load balancer: answered, not redirected to HTTPS.
            assert status == 200
            assert body == b"ok\n"
            # Through the proxy (HTTPS): HSTS; and a page asked for over plain HTTP goes to HTTPS.
            _, headers, _ = get("/healthz", **{"X-Forwarded-Proto": "https"})
            assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
            status, headers, _ = get("/sign-in/")
            assert status == 301
            assert headers["Location"] == f"https://127.0.0.1:{port}/sign-in/"
        finally:
            server.terminate()
            server.wait(timeout=30)
