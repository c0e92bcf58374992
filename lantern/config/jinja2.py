"""The Jinja2 environment: GOV.UK Frontend's macros (govuk-frontend-jinja) beside Lantern's templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader
from jinja2.filters import do_indent
from markupsafe import Markup

from lantern.core import formatting
from lantern.web import govuk
from lantern.web.rendered import rendered_once


def indent(text: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    """Jinja's ``indent``, giving the same text, without escaping markup line by line.

    GOV.UK Frontend's macros indent every nested component's HTML. Jinja's filter splits markup into
    lines and joins them as markup, escaping each line again (already safe, so unchanged): on a page of
    filters that was a quarter of the rendering. Here markup is indented as plain text, then marked safe
    once, as Jinja marks its indentation safe.
    """
    if isinstance(text, Markup):
        return Markup(do_indent(str(text), width, first, blank))  # noqa: S704  # nosec B704
    return do_indent(text, width, first, blank)


def environment(**options: Any) -> Environment:
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    # Always escaped, whatever the settings say: every value in a page is text unless marked safe.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.globals.update(
        {
            "static": static,
            "url": reverse,
            "error_list": govuk.error_list,
            "error_message": govuk.error_message,
            "choice_items": govuk.choice_items,
            "rendered_once": rendered_once,
            "get_messages": messages.get_messages,
        }
    )
    env.filters.update(
        {
            "indent": indent,
            "govuk_date": formatting.govuk_date,
            "govuk_datetime": formatting.govuk_datetime,
            "nhs_number": formatting.nhs_number,
        }
    )
    return env
