"""PubMed date elements to ISO-like strings as precise as the record ("2021", "2021-10", "2021-10-12").

A `<PubDate>` holds Year/Month/Day (the month as "Oct" or "10"), Year/Season, or a free-text
`<MedlineDate>` such as "1998 Dec-1999 Jan" or "2015 Oct-Dec". A MedlineDate that spans a range
keeps only its first year: a month range has no single month to report.
"""

from __future__ import annotations

import re

from lxml import etree

MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTH_ABBREVIATIONS, start=1)}
_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_MEDLINE_DATE = re.compile(r"^\s*(\d{4})(?:\s+([A-Za-z]{3,9})(?:\s+(\d{1,2}))?)?\s*$")


def month_number(text: str | None) -> int | None:
    """1-12 for "Oct", "October", "10" or "oct"; None for anything else (seasons, blanks)."""
    if not text:
        return None
    text = text.strip()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTH_NUMBERS.get(text[:3].lower())


def iso_date(year: str | None, month: str | None = None, day: str | None = None) -> str | None:
    """Join date parts into "YYYY", "YYYY-MM" or "YYYY-MM-DD"; a part that does not parse ends it."""
    if not year or not year.strip().isdigit() or len(year.strip()) != 4:
        return None
    result = year.strip()
    month_value = month_number(month)
    if month_value is None:
        return result
    result += f"-{month_value:02d}"
    if day and day.strip().isdigit() and 1 <= int(day) <= 31:
        result += f"-{int(day):02d}"
    return result


def medline_date_iso(text: str | None) -> str | None:
    """A `<MedlineDate>` as ISO: "2019 Dec 15" -> "2019-12-15", "1998 Dec-1999 Jan" -> "1998"."""
    if not text:
        return None
    single = _MEDLINE_DATE.match(text)
    if single:
        return iso_date(*single.groups())
    first_year = _YEAR.search(text)
    return first_year.group(1) if first_year else None


def date_element_iso(element: etree._Element | None) -> str | None:
    """ISO date of a `<PubDate>`, `<DateRevised>` or similar element, or None when it has no year."""
    if element is None:
        return None
    year = element.findtext("Year")
    if year:
        return iso_date(year, element.findtext("Month"), element.findtext("Day"))
    return medline_date_iso(element.findtext("MedlineDate"))


def year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None
