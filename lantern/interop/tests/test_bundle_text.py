"""The bundle reader: items decoded from a buffer refilled as it is consumed, whatever falls on a chunk's
edge; syntax errors named by line and column."""

import json

import pytest

from lantern.interop import bundle_text
from lantern.interop.bundle_text import BundleSyntaxError, bundle_items

DOCUMENT = {
    "format": "lantern.case-bundle/1",
    "count": 12345,
    "events": [{"id": f"e{i}", "weight": i * 1.5, "text": 'é\n"quoted" \\ ✓'} for i in range(40)],
    "empty": [],
    "numbers": [1, 22, 333, -4.5e3],
    "flag": True,
    "nothing": None,
}


@pytest.fixture(params=[1, 7, 64, bundle_text.CHUNK])
def chunk(request, monkeypatch):
    monkeypatch.setattr(bundle_text, "CHUNK", request.param)
    return request.param


def _read(path, **kwargs):
    found: dict = {}
    for key, index, item, text in bundle_items(path, **kwargs):
        assert json.loads(text) == item  # each value's own text, as the file has it
        if index is None:
            found[key] = item
        else:
            assert index == len(found.setdefault(key, []))
            found[key].append(item)
    return found


@pytest.mark.parametrize("indent", [None, 2])
def test_every_item_whatever_the_chunk(tmp_path, chunk, indent):
    path = tmp_path / "b.json"
    path.write_text(json.dumps(DOCUMENT, indent=indent, ensure_ascii=False), encoding="utf-8")
    assert _read(path) == {k: v for k, v in DOCUMENT.items() if k != "empty"}


def test_only_the_sections_asked_for(tmp_path, chunk):
    path = tmp_path / "b.json"
    path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    assert _read(path, only={"numbers"}) == {"numbers": DOCUMENT["numbers"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": [1, 2,, 3]}', "Expecting value: line 1 column 13"),
        ('{"a": 1,\n  "b": tru}', "Expecting value: line 2 column 8"),
        ('{"a": 1} x', "extra data after the bundle: line 1 column 10"),
        ('{"events": [1],\n "events": [2]}', "the key 'events' appears twice in the bundle: line 2 column 2"),
        ('{"a" 1}', "expected ':': line 1 column 6"),
        ('{"a": [1 2]}', "expected ',' or ']': line 1 column 10"),
        ('{"a": "never ends', "Unterminated string starting at: line 1 column 7"),
        ("[1, 2]", "a case bundle is a JSON object"),
        ("", "a case bundle is a JSON object"),
    ],
)
def test_syntax_errors_name_line_and_column(tmp_path, chunk, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BundleSyntaxError) as error:
        list(bundle_items(path))
    assert str(error.value) == message


def test_not_utf8(tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(UnicodeDecodeError):
        list(bundle_items(path))
