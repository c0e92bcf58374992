"""``rendered_once``: a macro's HTML for the same parameters is the macro's own, and rendered once."""

import pytest
from django.template import engines
from markupsafe import Markup

from lantern.web.rendered import RenderedOnce

CHECKBOXES = '{% from "govuk_frontend_jinja/components/checkboxes/macro.html" import govukCheckboxes %}'


@pytest.fixture
def env():
    return engines["jinja2"].env


def _items(ticked):
    return [{"value": v, "text": v.title(), "checked": v in ticked} for v in ("health", "police", "school")]


def _page(env, memo, params):
    source = CHECKBOXES + "{{ memo(govukCheckboxes, params) }}|{{ govukCheckboxes(params) }}"
    return env.from_string(source).render(memo=memo, params=params).split("|")


def test_the_same_html_as_the_macro_for_each_set_of_parameters(env):
    memo = RenderedOnce()
    for ticked in ([], ["police"], ["health", "school"], []):
        params = {"idPrefix": "agency", "name": "agency", "items": _items(ticked)}
        kept, direct = _page(env, memo, params)
        assert kept == direct
        assert kept.count("checked") == len(ticked)
    assert len(memo) == 3  # the first set again was not rendered again


def test_text_and_markup_are_different_parameters(env):
    memo = RenderedOnce()
    as_text = {"name": "x", "items": [{"value": "a", "text": "<b>bold</b>"}]}
    as_html = {"name": "x", "items": [{"value": "a", "text": Markup("<b>bold</b>")}]}
    text_html, _ = _page(env, memo, as_text)
    markup_html, _ = _page(env, memo, as_html)
    assert "&lt;b&gt;bold&lt;/b&gt;" in text_html
    assert "<b>bold</b>" in markup_html
    assert len(memo) == 2


def test_the_least_recently_used_goes_first():
    memo = RenderedOnce(size=2)
    calls = []

    class Macro:
        name = "fake"

        def __call__(self, params):
            calls.append(params["n"])
            return f"<p>{params['n']}</p>"

    fake = Macro()
    for n in (1, 2, 1, 3, 1, 2):
        assert memo(fake, {"n": n}) == f"<p>{n}</p>"
    # 1 and 2 rendered; 1 used again; 3 pushed out 2 (least recently used); 1 kept; 2 rendered again.
    assert calls == [1, 2, 3, 2]


def test_a_value_that_cannot_be_a_key_is_refused():
    class Macro:
        name = "fake"

        def __call__(self, params):
            return ""

    with pytest.raises(TypeError, match="object"):
        RenderedOnce()(Macro(), {"value": object()})


def test_the_chronology_filters_use_it(client, area):
    from django.urls import reverse

    from lantern.chronology.models import Event
    from lantern.web.rendered import rendered_once

    Event.objects.create(
        source="t", source_id="e1", child=area.child, agency=area.social_care, type="home-visit",
        occurred_on="2026-10-01", recorded_at="2026-10-01T09:00Z",
    )  # fmt: skip
    client.force_login(area.involved)
    path = reverse("chronology", args=[area.child.ref])
    first = client.get(path).content.decode()
    kept = len(rendered_once)
    assert kept > 0  # the filters went through it
    again = client.get(path).content.decode()
    assert len(rendered_once) == kept  # nothing new to render
    assert 'name="significance"' in again
    assert 'name="agency"' in again
    assert first.count("govuk-checkboxes__input") == again.count("govuk-checkboxes__input")
