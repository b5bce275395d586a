"""Spreadsheet exports: one rule for every CSV and XLSX cell the platform writes."""

# A spreadsheet program runs a cell that starts with one of these as a formula (CSV injection:
# a name such as "=HYPERLINK(…)" typed into a profile would run on the manager's computer).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe, which
    makes it plain text; numbers, dates and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
