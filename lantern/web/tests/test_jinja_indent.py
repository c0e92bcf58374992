"""Lantern's ``indent`` filter gives exactly what Jinja's gives, markup or text."""

import itertools

import pytest
from django.template import engines
from jinja2.filters import do_indent
from markupsafe import Markup

from lantern.config.jinja2 import indent

SAMPLES = [
    Markup('<div class="x">\n\n  <b>&amp; &lt;</b>\n</div>\n'),
    Markup(""),
    Markup("one line"),
    Markup("a\r\nb\n\n\nc"),
    "text <script>\nnext line",
    "",
]


@pytest.mark.parametrize(
    ("text", "width", "first", "blank"),
    list(itertools.product(SAMPLES, [0, 2, 4, "<i>", "\t"], [False, True], [False, True])),
)
def test_the_same_text_and_the_same_kind(text, width, first, blank):
    ours = indent(text, width, first, blank)
    assert ours == do_indent(text, width, first, blank)
    assert type(ours) is type(do_indent(text, width, first, blank))


def test_the_environment_uses_it_and_still_escapes_text():
    env = engines["jinja2"].env
    assert env.filters["indent"] is indent
    page = env.from_string("{{ value | indent(2) }}|{{ markup | indent(2) }}")
    assert page.render(value="<b>\nx", markup=Markup("<b>\nx")) == "&lt;b&gt;\n  x|<b>\n  x"
