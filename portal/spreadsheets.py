"""Cells of the CSV files people open in spreadsheet programs."""

# A cell starting with one of these is run as a formula by Excel, LibreOffice and
# Google Sheets (CSV injection): "=HYPERLINK(...)" typed as an idea title or a name.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """The value as a spreadsheet shows it as plain text: text that would start a formula
    gets a leading apostrophe. Numbers, dates and empty cells pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
