"""Inline markup and MathML to clean text; PubMed dates to ISO strings."""

from __future__ import annotations

import pytest
from lxml import etree

from litmus.pubmed.dates import date_element_iso, medline_date_iso, month_number
from litmus.pubmed.text import element_text

MATHML = 'xmlns:mml="http://www.w3.org/1998/Math/MathML"'


def text_of(xml: str) -> str:
    return element_text(etree.fromstring(xml))


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ("<T>Effect of vitamin D<sub>3</sub> in <i>vivo</i>.</T>", "Effect of vitamin D3 in vivo."),
        ("<T>A dose of 10<sup>6</sup> cells/kg</T>", "A dose of 10^6 cells/kg"),
        ("<T>Ca<sup>2+</sup> flux</T>", "Ca2+ flux"),
        ("<T>as reported<sup>12</sup> before</T>", "as reported12 before"),
        ("<T>TSH 0.4-<u>&lt;</u>4.5 and <u>&gt;</u>3</T>", "TSH 0.4-≤4.5 and ≥3"),
        ("<T><b>Bold</b>   and\n\t <u>under</u></T>", "Bold and under"),
        ("<T>p &amp;lt; 0.05 &amp; more</T>", "p &lt; 0.05 & more"),
        ("<T>before<!-- note -->after</T>", "beforeafter"),
    ],
)
def test_inline_markup_becomes_clean_text(xml: str, expected: str) -> None:
    assert text_of(xml) == expected


def test_mathml_is_flattened_without_layout_whitespace() -> None:
    xml = f"""<T>inhaled <mml:math {MATHML}>
        <mml:mrow>
          <mml:mmultiscripts><mml:mi>He</mml:mi><mml:mprescripts/><mml:none/><mml:mn>3</mml:mn></mml:mmultiscripts>
          <mml:mo>/</mml:mo>
          <mml:mmultiscripts><mml:mi>Xe</mml:mi><mml:mprescripts/><mml:none/><mml:mn>129</mml:mn></mml:mmultiscripts>
          <mml:mtext> </mml:mtext><mml:mi>MRI</mml:mi>
        </mml:mrow></mml:math> ventilation</T>"""
    assert text_of(xml) == "inhaled 3He/129Xe MRI ventilation"


def test_mathml_powers_and_fractions() -> None:
    power = f"<T><mml:math {MATHML}><mml:msup><mml:mn>10</mml:mn><mml:mn>9</mml:mn></mml:msup></mml:math></T>"
    fraction = (
        f"<T><mml:math {MATHML}><mml:mfrac><mml:mi>a</mml:mi><mml:mi>b</mml:mi></mml:mfrac></mml:math></T>"
    )
    assert text_of(power) == "10^9"
    assert text_of(fraction) == "a/b"


def test_missing_element_gives_empty_text() -> None:
    assert element_text(None) == ""


@pytest.mark.parametrize(
    ("text", "number"), [("Oct", 10), ("10", 10), ("october", 10), ("Spring", None), ("13", None), ("", None)]
)
def test_month_number(text: str, number: int | None) -> None:
    assert month_number(text) == number


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1998 Dec-1999 Jan", "1998"),
        ("2015 Oct-Dec", "2015"),
        ("2019 Dec 15", "2019-12-15"),
        ("2019 Dec", "2019-12"),
        ("Winter 2004", "2004"),
        ("undated", None),
    ],
)
def test_medline_date(text: str, iso: str | None) -> None:
    assert medline_date_iso(text) == iso


@pytest.mark.parametrize(
    ("xml", "iso"),
    [
        ("<PubDate><Year>2021</Year><Month>Oct</Month><Day>5</Day></PubDate>", "2021-10-05"),
        ("<PubDate><Year>2021</Year><Month>03</Month></PubDate>", "2021-03"),
        ("<PubDate><Year>2021</Year><Season>Spring</Season></PubDate>", "2021"),
        ("<PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>", "1998"),
        ("<PubDate/>", None),
    ],
)
def test_pub_date_element(xml: str, iso: str | None) -> None:
    assert date_element_iso(etree.fromstring(xml)) == iso
