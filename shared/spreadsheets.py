"""Cells of the CSV files people open in spreadsheet programs: every CSV export (ideas,
the dashboard, onboarding reports, the Wagtail admin's) writes its cells through here."""

import csv
from datetime import date
from decimal import Decimal

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by Excel, LibreOffice and
# Google Sheets (CSV injection): "=HYPERLINK(...)" typed as an idea title or a name.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """The value as a spreadsheet shows it as plain text: text that would start a formula
    gets a leading apostrophe. Numbers and dates pass unchanged (a negative number is no
    formula); None is an empty cell; anything else (lazy translations, model objects) is
    checked as the text the CSV writer would write."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, date)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file that hands back what is written, so csv.writer yields lines to stream."""

    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows):
    """A CSV download streamed row by row: an export of 100,000 ideas never sits whole in
    the web worker's memory. `rows` yields lists of values; every cell goes through
    csv_cell. Starts with a byte-order mark so spreadsheet programs read UTF-8 (Thai,
    Persian...)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
