"""US_BANK_NUMBER: 4-17 digits whose nearest label is about a bank account."""

from __future__ import annotations

import pytest

BANK = "US_BANK_NUMBER"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Account number: 000123456789", [(BANK, "000123456789")]),
        ("Checking acct # 4482 1093 77", [(BANK, "4482 1093 77")]),
        ("Direct deposit account number 2017 01 29 31", [(BANK, "2017 01 29 31")]),  # no date
        ("Savings account 2019 12-01", [(BANK, "2019 12-01")]),  # a date keeps one separator
        ("Routing: 211274450 Account: 1234567890", [(BANK, "1234567890")]),
        ("Direct deposit to savings account 9876543210 starting July 1.", [(BANK, "9876543210")]),
        ("A/C No. 55501234", [(BANK, "55501234")]),
        # MICR line of a check: transit ⑆routing⑆, then the account, then ⑈ and the check number.
        ("⑆011000015⑆ 004417823⑈ 1052", [(BANK, "004417823")]),
        ("| Employee | Bank | Routing | Account Number |\n|---|---|---|---|\n"
         "| Jane Roe | Berkshire Bank | 211370545 | 33018877 |", [(BANK, "33018877")]),
        ("Beneficiary account no. 12-3456-78", [(BANK, "12-3456-78")]),
        ("Acct: 7712049381", [(BANK, "7712049381")]),
        ("DDA 48830021", [(BANK, "48830021")]),
        ("Please deposit my refund into checking 0047718822 when it is approved.", [(BANK, "0047718822")]),
        ("Bank routing # 221172610, account # 004417823", [(BANK, "004417823")]),
        ("Direct Deposit Authorization\nBank: Westfield Bank\nAccount Number: 2200183456\nType: Checking",
         [(BANK, "2200183456")]),
    ],
)
def test_when_digits_follow_a_bank_account_label_then_they_are_detected(found, text, expected):
    assert found(text, BANK) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Water account 10234 is delinquent.", []),
        # A revision list's dates written year first beside "account": dates, not an account.
        ("Removing GOE account exclusion\n\n2017 01 20\n\n2016-10-05 - Extending Promotion to Q4 2016", []),
        ("Customer No. 123456, account in good standing", []),
        ("Invoice 12345678", []),
        ("GL account 1000-5100-200", []),
        ("Budget account 01-420-5710 was charged.", []),
        ("Account balance: 1234.56", []),
        ("Amount 12500 approved", []),
        ("Policy # 12345678", []),
        ("Phone 4135550142", []),
        ("Routing number 211274450", []),
        ("Account 1111111", []),  # one digit repeated
        ("Tax account 44810392 (real estate)", []),
        ("Vendor account #40012 payment", []),
        ("Student account 20241187", []),
        ("Card number 4111111111111111", []),
        ("Utility account no. 5523-9981", []),
        ("Account total 4500", []),
        ("Member account 88231", []),
        ("The account holder called 3 times on 04/02.", []),
        ("The account was opened in 2019 and closed in 2021.", []),
    ],
)
def test_when_digits_are_not_a_bank_account_then_no_account_is_detected(found, text, expected):
    assert found(text, BANK) == expected


_LIST = "Direct deposit list, payroll run of March 3, 2025.\n\nEmployee\tAccount\n" + "".join(
    f"{name}\t{number}\n" for name, number in [("Maria Lopez", "0627622301"), ("John Smith", "5512345678"),
                                               ("Wei Chen", "422058791"), ("Ana Silva", "90017733")])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A list of two columns (a tab between them, as a text file, a mail's table or a PDF's is
        # read): the header names each number's column, however far down it is.
        (_LIST, [(BANK, "0627622301"), (BANK, "5512345678"), (BANK, "422058791"), (BANK, "90017733")]),
        ("Account\tEmployee\n0627622301\tMaria Lopez\n5512345678\tJohn Smith\n",
         [(BANK, "0627622301"), (BANK, "5512345678")]),
        # A form of two columns looks the same: its first line names no column, and each value is
        # read after its own row's label.
        ("Name:\tJane Doe\nAccount number:\t4400918273\nInvoice:\t12345678\n", [(BANK, "4400918273")]),
        ("Name\tJane Doe\nAccount number\t4400918273\n", [(BANK, "4400918273")]),
        # A column the header names as something else keeps its numbers.
        ("Employee\tInvoice\nMaria Lopez\t0627622301\nJohn Smith\t5512345678\n", []),
        ("Account holder\tCustomer no.\nMaria Lopez\t0627622301\n", []),
        # One line of two fields is no list.
        ("Account\t0627622301\n", [(BANK, "0627622301")]),
    ],
)
def test_when_numbers_stand_in_a_two_column_list_then_its_header_names_them(found, text, expected):
    assert found(text, BANK) == expected


_BUDGET_ROWS = [("01-122-5110", "Selectmen Salaries", "45,000"), ("01-210-5110", "Police Salaries", "2,450,000"),
                ("10012205110", "Town Manager Salary", "165,000")]


@pytest.mark.parametrize(
    "text",
    [
        # A budget's "Account" column holds the codes sums are charged to, public as the budget is:
        # as a table (a text file, a PDF or a mail's table read with tabs) ...
        "FY27 Budget Request\n\nAccount\tDescription\tFY26 Budget\tFY27 Request\n"
        + "".join(f"{a}\t{d}\t{b}\t{b}\n" for a, d, b in _BUDGET_ROWS),
        "Account Number\tAccount Description\tAppropriation\tExpended\n"
        + "".join(f"{a}\t{d}\t{b}\t0\n" for a, d, b in _BUDGET_ROWS),
        "| Acct # | Line item | Encumbered |\n|---|---|---|\n"
        + "".join(f"| {a} | {d} | {b} |\n" for a, d, b in _BUDGET_ROWS),
        # ... as a CSV row is read (each field after its column's name) ...
        "Account: 01-122-5110\nDescription: Selectmen Salaries\nFY26 Budget: 45000\nFY27 Request: 46350",
        # ... and as a Word cell is read (after its table's header row, then its column's name).
        "Account\tDescription\tFY26 Budget\tFY27 Request\nSelectmen Salaries\nAccount: 01-122-5110",
        "Account\tObject code\tAmount\nAccount: 10012205110",
    ],
)
def test_when_an_account_column_stands_in_a_budget_then_its_codes_are_no_bank_accounts(found, text):
    assert found(text, BANK) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # No budget in the record: the same "Account" column is a bank's.
        ("Vendor\tBank\tAccount\tAmount\nStaples\tCitizens Bank\t004512339871\t$412.20\n", [(BANK, "004512339871")]),
        ("Employee: Jane Roe\nDepartment: Finance\nAccount: 2200183456\nAmount: $1,200.00",
         [(BANK, "2200183456")]),
        # A budget's field beside a bank's: a vendor's payment form names the line it is charged to.
        ("Vendor ACH enrollment\nVendor: Acme Paving\nBank: Westfield Bank\nAccount: 2200183456\n"
         "Budget line: 01-122-5300", [(BANK, "2200183456")]),
        ("Employee\tRouting\tAccount\tFY26 Budget\nJane Roe\t211370545\t33018877\t$52,000\n", [(BANK, "33018877")]),
        # A label that names a bank's account is read as before, budget or not.
        ("Checking account: 2200183456\nFY26 Budget: $45,000", [(BANK, "2200183456")]),
        ("Beneficiary account: 2200183456\nFY26 Budget: $45,000", [(BANK, "2200183456")]),
        # A budget further on or above, past a blank line, is another record.
        ("Account: 2200183456\n\nFY26 Budget: 45000", [(BANK, "2200183456")]),
        ("FY26 Budget: $45,000\n\nAccount: 2200183456", [(BANK, "2200183456")]),
    ],
)
def test_when_an_account_label_has_no_budget_beside_it_then_it_is_a_bank_account(found, text, expected):
    assert found(text, BANK) == expected
