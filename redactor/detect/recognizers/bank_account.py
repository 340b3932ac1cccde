"""Bank account numbers: digits that only mean "account" when labelled so."""

from __future__ import annotations

import itertools

import regex

from ..base import RecordsRecognizer, digits, header_cells


class BankAccountRecognizer(RecordsRecognizer):
    """4-17 digits after an account label; the nearest label must be about a bank account."""

    ENTITY = "US_BANK_NUMBER"
    PATTERNS = (
        ("account number", r"(?:(?<![\w\-$.,/*•●])|(?<=(?i:no|#)\.))(?:\d[ \-]?){3,16}\d(?![\w\-/]|[.,]\d)", 0.2),
    )
    CONTEXT = (
        r"(?:bank|checking|savings|deposit|direct\s+deposit|depositor|beneficiary|payee|ach)\s+"
        r"(?:account|acct\.?|a/c)(?:\s+(?:number|no\.?|#|num))?",
        r"account\s*(?:number|no\.?|#|num)", r"acct\.?\s*(?:number|no\.?|#|num)?", r"a/c(?:\s*(?:no\.?|#))?",
        r"account", r"checking", r"savings", r"dda", r"⑆\s*\d{9}\s*⑆",
    )
    NEGATIVE_CONTEXT = (
        r"routing(?:\s+(?:number|no\.?|#))?", r"aba", r"rtn", r"transit", r"invoice", r"order", r"phone",
        r"tel\.?", r"fax", r"case", r"claim", r"policy", r"permit", r"customer\s+(?:number|no\.?|#)",
        r"savings\s+bank", r"co-?operative\s+bank", r"batch", r"deposit\s+ticket", r"ticket", r"receipt",
        r"confirmation", r"reference", r"ref\.?", r"trace", r"transaction",
        r"(?:water|sewer|utility|electric|gas|tax|tax\s+title|vendor|customer|billing|student|employee|member|budget|"
        r"expense|expenditure|revenue|gl|g/l|general\s+ledger|ledger|appropriation|line[- ]item|grant|"
        r"project|cost\s+center)\s+"
        r"(?:account|acct\.?)(?:\s+(?:number|no\.?|#))?",
        r"budget\s+line(?:\s+item)?", r"card", r"ssn", r"social\s+security", r"ein", r"zip", r"amount", r"balance",
        r"total",
        r"⑈",  # MICR on-us symbol: what follows it on a check is the check number
    )
    NEAREST_LABEL = True
    CONTEXT_BEFORE = 35
    NEGATIVE_BEFORE = 35
    CONTEXT_BOOST = 0.5

    _LEDGER_AFTER = regex.compile(r"(?i)[^.\n]{0,30}\b(?:general\s+ledger|ledger|fund|budget|appropriation|"
                                  r"line\s+item|expense\s+account|revenue\s+account)\b")

    _YEAR_AND_SEQUENCE = regex.compile(r"(?:19|20)\d\d-\d{2,4}")
    #: A date written year first in groups ("2017 01 20", "2016-10-05"): a revision list's, not an account.
    _ISO_DATE = regex.compile(r"(?:19|20)\d\d([ \-])(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])")

    #: A label that says "account" and nothing of a bank: in a budget or a ledger it names the
    #: account a sum is charged to ("Account | Description | FY26 Budget").
    _BARE_LABEL = regex.compile(r"(?i)(?:account|acct\.?)(?:\s*(?:number|no\.?|#|num))?|a/c(?:\s*(?:no\.?|#))?")

    #: Field names only a budget or a ledger has. Not "fund" (a mutual fund account is private),
    #: "expense" (a reimbursement form carries the employee's deposit account), "YTD" (payroll
    #: registers), "debit"/"credit" (bank statements, credit unions), "actual"/"revised" (a form's
    #: "Revised: 2019" would hide the account number above it).
    _LEDGER_FIELD = regex.compile(r"(?i)\b(?:budget\w*|appropriat\w*|expend\w*|encumb\w*|fy\s*'?\d{2,4}|"
                                  r"fiscal\s+year|line[- ]item|general\s+ledger|g/?l|cost\s+cent(?:er|re)|"
                                  r"object\s+code|org\s+code)\b")

    #: Field names of a record about a bank account: a vendor's payment form may name the budget
    #: line it is charged to beside the vendor's own account.
    _BANK_FIELD = regex.compile(r"(?i)\b(?:bank|routing|aba|checking|savings|ach|direct\s+deposit|depositor|iban|"
                                r"swift|credit\s+union)\b")

    #: Lines of a record read around a value for its field names (a CSV row or a Word cell read
    #: after its table's header row, a form's "Label: value" lines).
    _RECORD_LINES, _RECORD_CHARS = 20, 2000

    def has_negative_context(self, text: str, start: int, end: int) -> bool:
        """Also a ledger or fund named right after the number ("Account 22-5100-14 in the general
        ledger"), and a bare "Account" label in a record whose other fields are a budget's."""
        if super().has_negative_context(text, start, end) or self._LEDGER_AFTER.match(text, end):
            return True
        label = self._nearest_label(text, start)
        if label is None or not self._BARE_LABEL.fullmatch(label):
            return False
        names = self._field_names(text, start)
        return (any(self._LEDGER_FIELD.search(name) for name in names)
                and not any(self._BANK_FIELD.search(name) for name in names))

    def _field_names(self, text: str, start: int) -> list[str]:
        """The names of the fields of the record the value at ``start`` is in: its table's header
        row, or the labels of the lines around it up to a blank line."""
        for pairs in (False, True):
            found = header_cells(text, start, pairs)
            if found is not None:
                return found[0]
        head = text[max(0, start - self._RECORD_CHARS):start].split("\n")
        tail = text[start:start + self._RECORD_CHARS].split("\n")
        above = list(itertools.takewhile(str.strip, reversed(head[:-1])))[:self._RECORD_LINES]
        below = list(itertools.takewhile(str.strip, tail[1:]))[:self._RECORD_LINES]
        names = []
        for line in [head[-1] + tail[0], *above, *below]:
            if "\t" in line:
                names.extend(cell.strip() for cell in line.split("\t") if len(cell.strip()) <= 40)
            elif 0 < line.find(":") <= 40:
                names.append(line[:line.find(":")].strip())
        return names

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Plausible account length; not a year or a run of one digit."""
        number = digits(value)
        if not 4 <= len(number) <= 17 or len(set(number)) == 1:
            return False
        if len(value) == 4 and 1900 <= int(value) <= 2100:
            return False  # "the account was opened in 2019"
        if self._YEAR_AND_SEQUENCE.fullmatch(value):
            return False  # "tax title account 2019-044": a year and a sequence number
        if self._ISO_DATE.fullmatch(value):
            return False  # "2017 01 20 - Removing the account exclusion": a date
        return None


RECOGNIZERS = [BankAccountRecognizer]
