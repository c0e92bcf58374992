"""The continuum of need: the default in DESIGN.md's four levels; an area's own file checked at start."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from lantern.cases.continuum import DEFAULT, continuum, continuum_parse


def _area(**changes):
    data = json.loads(DEFAULT.read_text())
    data.update(changes)
    return data


def test_the_default_has_four_levels_least_need_first():
    levels = continuum().levels
    assert [(lv.rank, lv.code) for lv in levels] == [
        (1, "universal"),
        (2, "early-help"),
        (3, "child-in-need"),
        (4, "child-protection"),
    ]
    assert all(lv.indicators for lv in levels)


def test_an_area_writes_its_own_levels():
    parsed = continuum_parse(
        {
            "title": "Windmill threshold",
            "levels": [
                {"code": "level-1", "name": "Thriving", "description": "d", "indicators": ["a"]},
                {"code": "level-2", "name": "Getting help", "description": "d", "indicators": ["b", "c"]},
            ],
        },
        name="area.json",
    )
    assert parsed.level("level-2").label == "2. Getting help"
    assert parsed.level("level-3") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "area.json: the continuum of need is a JSON object"),
        (_area(colour="red"), "area.json: unknown key(s) colour"),
        (_area(title=""), "area.json: title: write some text here"),
        (_area(levels=_area()["levels"][:1]), "area.json: levels: give at least 2 levels"),
        (
            _area(levels=[*_area()["levels"][:1], {**_area()["levels"][1], "code": "Early Help"}]),
            "area.json: levels[1].code: 'Early Help' must be lower-case words joined by hyphens",
        ),
        (
            _area(levels=[*_area()["levels"][:1], {**_area()["levels"][1], "code": "universal"}]),
            "area.json: levels[1].code: 'universal' is the code of an earlier level too",
        ),
        (
            _area(levels=[*_area()["levels"][:1], {**_area()["levels"][1], "indicators": []}]),
            "area.json: levels[1].indicators: list at least one indicator",
        ),
        (
            _area(levels=[*_area()["levels"][:1], {**_area()["levels"][1], "indicators": ["a", " "]}]),
            "area.json: levels[1].indicators[1]: write some text here",
        ),
        (
            _area(levels=[*_area()["levels"][:1], {**_area()["levels"][1], "indicators": ["a", "a"]}]),
            "area.json: levels[1].indicators: an indicator is listed twice",
        ),
        (
            _area(levels=[*_area()["levels"][:1], {**_area()["levels"][1], "name": None}]),
            "area.json: levels[1].name: write some text here",
        ),
    ],
)
def test_a_wrong_file_stops_lantern_saying_where(data, message):
    with pytest.raises(ImproperlyConfigured) as wrong:
        continuum_parse(data, name="area.json")
    assert str(wrong.value).startswith(message)


def test_the_file_named_by_the_environment_is_read(tmp_path, monkeypatch):
    path = tmp_path / "mine.json"
    path.write_text("{not json")
    monkeypatch.setenv("LANTERN_CONTINUUM", str(path))
    continuum.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=r"mine\.json: cannot read the continuum of need"):
            continuum()
    finally:
        monkeypatch.delenv("LANTERN_CONTINUUM")
        continuum.cache_clear()
