"""What the last action said is shown on whichever page comes next, in the banner its level calls for."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.session import SessionStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import resolve, reverse

pytestmark = pytest.mark.django_db


def _page_after(professional, *said):
    request = RequestFactory().get(reverse("my-children"))
    professional.is_verified = lambda: False  # as django-otp's middleware leaves a practitioner
    request.user = professional
    request.session = SessionStore()
    request._messages = SessionStorage(request)
    request.csp_nonce = "n"
    for level, text in said:
        messages.add_message(request, level, text)
    return resolve(request.path).func(request).content.decode()


def _banner_of(html, text):
    """The opening tag of the banner that says ``text``."""
    opening = html.rfind('data-module="govuk-notification-banner"', 0, html.index(text))
    return html[html.rfind("<div", 0, opening) : opening]


def test_a_warning_is_important_and_a_success_is_success(area):
    html = _page_after(
        area.involved,
        (messages.WARNING, "You signed in with a recovery code; you have 9 left"),
        (messages.SUCCESS, "Plan saved"),
    )
    assert html.count('data-module="govuk-notification-banner"') == 2
    assert "--success" not in _banner_of(html, "you have 9 left")
    assert "--success" in _banner_of(html, "Plan saved")
    # Inside the page's main content, before its heading.
    assert html.index('id="main-content"') < html.index("you have 9 left") < html.index("<h1")


def test_no_message_no_banner(area):
    assert "govuk-notification-banner" not in _page_after(area.involved)
