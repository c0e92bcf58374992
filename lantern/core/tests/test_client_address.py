"""The client's address behind proxies (``LANTERN_TRUSTED_PROXIES``): believed only from trusted proxies."""

from __future__ import annotations

import logging
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse

from lantern.agencies.models import SignInFailure
from lantern.core.client_address import TrustedProxies, client_address, trusted_proxies_parse

NONE = trusted_proxies_parse("")
ONE_HOP = trusted_proxies_parse("1")
BALANCERS = trusted_proxies_parse("10.0.0.0/8, 127.0.0.1, 2001:db8::/64")


class TestClientAddress:
    def test_with_no_trusted_proxy_the_header_is_ignored(self):
        assert client_address("192.0.2.7", "203.0.113.9", NONE) == "192.0.2.7"

    def test_a_trusted_proxy_gives_the_address_it_received_from(self):
        assert client_address("10.0.0.2", "203.0.113.9", BALANCERS) == "203.0.113.9"

    def test_a_spoofed_header_from_an_untrusted_client_is_ignored(self):
        # Straight to the application server, bypassing the load balancer, claiming to be someone else.
        assert client_address("198.51.100.66", "203.0.113.9", BALANCERS) == "198.51.100.66"

    def test_what_the_client_wrote_before_the_proxy_s_address_is_not_believed(self):
        # The client sent "X-Forwarded-For: 1.2.3.4"; the balancer appended the address it saw.
        assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.66", BALANCERS) == "198.51.100.66"
        assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.66", ONE_HOP) == "198.51.100.66"

    def test_several_trusted_proxies_in_a_row_are_skipped(self):
        chain = "1.2.3.4, 198.51.100.66, 10.1.2.3"
        assert client_address("127.0.0.1", chain, BALANCERS) == "198.51.100.66"
        assert client_address("127.0.0.1", chain, trusted_proxies_parse("2")) == "198.51.100.66"

    def test_a_count_of_hops_with_a_shorter_header_takes_its_first_address(self):
        assert client_address("10.0.0.2", "198.51.100.66", trusted_proxies_parse("3")) == "198.51.100.66"

    def test_garbage_in_the_header_is_never_the_address(self):
        assert client_address("10.0.0.2", "<script>, 10.0.0.5", BALANCERS) == "10.0.0.5"
        assert client_address("10.0.0.2", "not-an-address", ONE_HOP) == "10.0.0.2"

    def test_ipv6_and_ports(self):
        assert client_address("2001:db8::1", "2001:db8::2, [2001:db8:1::9]:443", BALANCERS) == "2001:db8:1::9"
        assert client_address("10.0.0.2", "198.51.100.66:5123", BALANCERS) == "198.51.100.66"

    def test_the_setting_is_read_or_refused_by_name(self):
        assert trusted_proxies_parse(" 2 ") == TrustedProxies(hops=2)
        assert BALANCERS.trusts("10.200.0.1")
        assert not BALANCERS.trusts("11.0.0.1")
        with pytest.raises(ImproperlyConfigured, match=r"'proxy\.example' is not an IP address"):
            trusted_proxies_parse("10.0.0.1, proxy.example")


def _fail_sign_in(peer: str, forwarded: str) -> None:
    client = Client(REMOTE_ADDR=peer)  # a new client: the middleware reads the setting when it starts
    client.post(
        reverse("sign-in"), {"username": "someone", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded
    )


@pytest.mark.django_db
class TestTheLogsUseIt:
    @override_settings(LANTERN_TRUSTED_PROXIES="10.0.0.0/8")
    def test_a_failed_sign_in_through_the_balancer_is_logged_with_the_client_s_address(self, caplog):
        with caplog.at_level(logging.WARNING, logger="lantern.agencies.accounts"):
            _fail_sign_in("10.0.0.2", "1.2.3.4, 198.51.100.66")
        assert SignInFailure.objects.get().address == "198.51.100.66"
        assert "from 198.51.100.66" in caplog.text

    @override_settings(LANTERN_TRUSTED_PROXIES="10.0.0.0/8")
    def test_a_failed_sign_in_with_a_spoofed_header_is_logged_with_the_real_address(self, caplog):
        with caplog.at_level(logging.WARNING, logger="lantern.agencies.accounts"):
            _fail_sign_in("198.51.100.66", "10.0.0.9")
        assert SignInFailure.objects.get().address == "198.51.100.66"
        assert "from 198.51.100.66" in caplog.text

    def test_by_default_no_header_is_believed(self):
        _fail_sign_in("198.51.100.66", "203.0.113.9")
        assert SignInFailure.objects.get().address == "198.51.100.66"

    @override_settings(LANTERN_TRUSTED_PROXIES="127.0.0.1")
    def test_the_access_log_sees_the_client_s_address(self):
        """gunicorn's access log formats ``%(h)s`` from the WSGI environ's ``REMOTE_ADDR`` once the response
        is sent (gunicorn/glogging.py): the same dictionary that Django's ``request.META`` is."""
        from django.core.signals import request_finished, request_started
        from django.core.wsgi import get_wsgi_application
        from django.db import close_old_connections

        environ: dict = {}
        setup_testing_defaults(environ)
        environ.update(PATH_INFO=reverse("health-check"), REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.66")  # fmt: skip
        statuses = []
        # As Django's test client does: a request must not close the test's connection, which is inside the
        # test's transaction (PostgreSQL would then answer the health check's query with an error).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = get_wsgi_application()(environ, lambda status, headers: statuses.append(status))
            b"".join(body)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        assert statuses[0].startswith("200")
        assert environ["REMOTE_ADDR"] == "198.51.100.66"
        assert environ["LANTERN_PEER_ADDR"] == "127.0.0.1"
