"""Tables in HTML mail: a row is read as one line, its cells split by tabs, so a value is read under
its column's header as in a text table. A column of account numbers headed "Account number" is
removed; the routing numbers beside it stay. Rows that are layout (a signature's lines in a cell, a
table inside a cell) are read as before, a line for each of their lines."""

from __future__ import annotations

import email
from email import policy

from redactor.api import BatchOptions, run_batch
from redactor.formats.html_text import html_texts

TABLE = """<p>Refunds to process this week:</p>
<table border="1">
<tr><th>Payee</th><th>Account number</th><th>Routing</th><th>Amount</th></tr>
<tr><td>Maria Lopez</td><td>004512345678</td><td>011000138</td><td>$120.00</td></tr>
<tr><td>Kevin Tran</td><td></td><td>021000021</td><td>$75.50</td></tr>
<tr><td>Ana Ruiz</td><td>310045678812</td><td>011000138</td><td>$310.00</td></tr>
</table><p>Thanks</p>"""

#: As Outlook writes a table: a paragraph in every cell, the markup broken over lines.
OUTLOOK = """<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0>
 <tr>
  <td width=120 style='padding:0in 5.4pt'>
  <p class=MsoNormal><b>Payee<o:p></o:p></b></p>
  </td>
  <td width=160><p class=MsoNormal><b>Account&nbsp;number<o:p></o:p></b></p></td>
  <td width=100><p class=MsoNormal><b>Amount</b></p></td>
 </tr>
 <tr>
  <td><p class=MsoNormal>Maria Lopez<o:p></o:p></p></td>
  <td><p class=MsoNormal>004512345678<o:p></o:p></p></td>
  <td><p class=MsoNormal>$120.00</p></td>
 </tr>
</table>"""


def _visible(source: str) -> str:
    return html_texts(source)[0].string()


def test_a_rows_cells_are_split_by_tabs_and_an_empty_cell_keeps_its_column() -> None:
    assert _visible(TABLE) == ("Refunds to process this week:\n\n"
                               "Payee\tAccount number\tRouting\tAmount\n"
                               "Maria Lopez\t004512345678\t011000138\t$120.00\n"
                               "Kevin Tran\t\t021000021\t$75.50\n"
                               "Ana Ruiz\t310045678812\t011000138\t$310.00\n"
                               "Thanks\n")


def test_a_cell_spanning_columns_gives_a_tab_for_each() -> None:
    assert _visible("<table><tr><td colspan=2>Paid</td><td>Total</td></tr><tr><td>a</td><td>b</td>"
                    "<td>c</td></tr></table>") == "Paid\t\tTotal\na\tb\tc\n"


def test_an_outlook_table_is_read_a_row_a_line() -> None:
    rows = [[" ".join(f.split()) for f in line.split("\t")] for line in _visible(OUTLOOK).strip().split("\n")]
    assert rows == [["Payee", "Account number", "Amount"], ["Maria Lopez", "004512345678", "$120.00"]]


def test_layout_rows_keep_their_lines() -> None:
    signature = "<table><tr><td><p>Jane Doe</p><p>Director</p></td><td>(413) 555-0100</td></tr></table><p>x</p>"
    assert _visible(signature) == "Jane Doe\nDirector\n(413) 555-0100\nx\n"
    nested = ("<table><tr><td><table><tr><td>Payee</td><td>Amount</td></tr></table></td>"
              "<td>Notes</td></tr></table>")
    assert _visible(nested) == "Payee\tAmount\nNotes\n"


#: A record's table whose cells hold several lines: an address over two, Outlook's paragraphs.
ADDRESSES = """<table><tr><th>Payee</th><th>Mailing address</th><th>Account number</th></tr>
<tr><td>Maria Lopez</td><td>12 Elm Street<br>Millbrook, MA 01001</td><td>004512345678</td></tr>
<tr><td><p>Kevin Tran</p></td><td><p>4 Oak Road</p><p>Millbrook</p></td><td><p>310045678812</p></td></tr>
<tr><td colspan=3>Total: two refunds<br>approved March 3</td></tr>
</table>"""


def test_in_a_table_under_a_header_row_a_cell_of_several_lines_is_read_on_its_rows_line() -> None:
    rows = [[" ".join(f.split()) for f in line.split("\t")] for line in _visible(ADDRESSES).strip().split("\n")]
    assert rows == [["Payee", "Mailing address", "Account number"],
                    ["Maria Lopez", "12 Elm Street Millbrook, MA 01001", "004512345678"],
                    ["Kevin Tran", "4 Oak Road Millbrook", "310045678812"],
                    ["Total: two refunds"], ["approved March 3"]]  # a row of other cells: its own lines
    # A first row of two cells, or one that reads as no header, makes no record's table.
    assert _visible("<table><tr><td>Jane Doe</td><td>Clerk</td></tr>"
                    "<tr><td>Town Hall<br>1 Main St</td><td>(413) 555-0100</td></tr></table>") == (
        "Jane Doe\tClerk\nTown Hall\n1 Main St\n(413) 555-0100\n")
    assert _visible("<table><tr><td>Paid</td><td>2026</td><td>$5</td></tr>"
                    "<tr><td>a<br>b</td><td>c</td><td>d</td></tr></table>") == "Paid\t2026\t$5\na\nb\nc\nd\n"


def _message(html: str) -> bytes:
    return ("From: Clerk <clerk@millbrook.ma.gov>\nTo: Treasurer <treasurer@millbrook.ma.gov>\n"
            "Subject: Vendor refunds\nDate: Mon, 2 Nov 2026 10:00:00 -0500\nMIME-Version: 1.0\n"
            f"Content-Type: text/html; charset=utf-8\n\n<html><body>{html}</body></html>\n").encode()


def test_account_numbers_in_an_html_table_are_removed_and_routing_numbers_kept(make_request) -> None:
    folder = make_request({"refunds.eml": _message(TABLE), "outlook.eml": _message(OUTLOOK),
                           "addresses.eml": _message(ADDRESSES)},
                          request={"request_id": "R-H", "public_domains": ["millbrook.ma.gov"]})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == 0
    release = result.out_dir / "release"
    refunds = email.message_from_bytes((release / "refunds.eml").read_bytes(), policy=policy.default)
    body = refunds.get_body(("html",)).get_content()
    assert "004512345678" not in body and "310045678812" not in body
    assert body.count("011000138") == 2 and "021000021" in body and "$75.50" in body
    outlook = (release / "outlook.eml").read_text(encoding="utf-8")
    assert "004512345678" not in outlook and "$120.00" in outlook
    addresses = email.message_from_bytes((release / "addresses.eml").read_bytes(),
                                         policy=policy.default).get_body(("html",)).get_content()
    assert "004512345678" not in addresses and "310045678812" not in addresses and "Total: two refunds" in addresses


def test_an_odd_colspan_counts_one_and_an_unclosed_table_ends_with_the_source() -> None:
    assert _visible('<table><tr><td colspan="²">a</td><td colspan=" 2 ">b</td><td>c</td></tr></table>') == \
        "a\tb\t\tc\n"
    # The last row of a table never closed is still judged: a cell of two lines keeps them.
    assert _visible("<table><tr><td>a</td><td>b</td></tr><tr><td><p>x</p><p>y</p></td><td>z") == "a\tb\nx\ny\nz"
