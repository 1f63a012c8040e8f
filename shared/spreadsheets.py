"""Cells of the CSV files people open in spreadsheet programs: every CSV export (ideas,
the dashboard, onboarding reports, the Wagtail admin's) writes its cells through here."""

from datetime import date
from decimal import Decimal

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
