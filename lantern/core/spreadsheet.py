"""Every CSV Lantern gives out is written here, so that no cell can run as a formula (CSV injection).

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a tab or a
carriage return before one still lets it through: such a cell gets a leading apostrophe (OWASP, "CSV
Injection"), which spreadsheets show as text and do not display. Nothing else is changed. A test fails if
any other module writes CSV (``lantern/core/tests/test_spreadsheet.py``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """The value as a cell a spreadsheet will show as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The header and rows as CSV lines, every cell (the header's too) made safe."""
    writer = csv.writer(_Echo())
    yield writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


def csv_download(
    header: Sequence[object], rows: Iterable[Sequence[object]], *, filename: str
) -> StreamingHttpResponse:
    """A CSV download, streamed: the only way Lantern answers with CSV."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
