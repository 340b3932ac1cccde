"""Bank account numbers: digits that only mean "account" when labelled so."""

from __future__ import annotations

import regex

from ..base import RecordsRecognizer, digits


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
        r"card", r"ssn", r"social\s+security", r"ein", r"zip", r"amount", r"balance", r"total",
        r"⑈",  # MICR on-us symbol: what follows it on a check is the check number
    )
    NEAREST_LABEL = True
    CONTEXT_BEFORE = 35
    NEGATIVE_BEFORE = 35
    CONTEXT_BOOST = 0.5

    _LEDGER_AFTER = regex.compile(r"(?i)[^.\n]{0,30}\b(?:general\s+ledger|ledger|fund|budget|appropriation|"
                                  r"line\s+item|expense\s+account|revenue\s+account)\b")

    _YEAR_AND_SEQUENCE = regex.compile(r"(?:19|20)\d\d-\d{2,4}")

    def has_negative_context(self, text: str, start: int, end: int) -> bool:
        """Also a ledger or fund named right after the number ("Account 22-5100-14 in the general ledger")."""
        return super().has_negative_context(text, start, end) or bool(self._LEDGER_AFTER.match(text, end))

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Plausible account length; not a year or a run of one digit."""
        number = digits(value)
        if not 4 <= len(number) <= 17 or len(set(number)) == 1:
            return False
        if len(value) == 4 and 1900 <= int(value) <= 2100:
            return False  # "the account was opened in 2019"
        if self._YEAR_AND_SEQUENCE.fullmatch(value):
            return False  # "tax title account 2019-044": a year and a sequence number
        return None


RECOGNIZERS = [BankAccountRecognizer]
