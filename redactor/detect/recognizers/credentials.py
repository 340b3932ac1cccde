"""User names and passwords given in context ("password:", "login: jdoe", "jdoe77 / Tr0ub4dor&3").

Presidio has no credential entity. A password is only recognisable by what
precedes it, so every pattern is anchored on a label or on the shape of a
user/password pair. Where the label is loose (no colon, "is" further on), the
value itself must look like a credential (digits, symbols, underscores).
"""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ...textutil import in_an_id
from ..base import RecordsRecognizer, make_result, regex_timeout

#: Words that follow a password or user label in prose and are not credentials.
_PROSE = {
    "required", "expired", "incorrect", "invalid", "wrong", "reset", "changed", "change", "needed", "protected",
    "sent", "below", "attached", "set", "being", "not", "the", "your", "a", "an", "to", "for", "and", "or", "is",
    "was", "will", "must", "should", "has", "have", "policy", "manager", "field", "case-sensitive", "same",
    "correct", "blank", "empty", "locked", "strong", "weak", "hidden", "masked", "redacted", "unknown", "n/a",
    "none", "tbd", "pending", "provided", "emailed", "texted", "updated", "it", "this", "that", "temporary",
    "new", "old", "via", "by", "in", "on", "at", "of", "with", "from", "please", "you", "we", "i", "he", "she",
    "they", "expires", "again", "hint", "requirements", "complexity", "length", "characters", "rules",
    "history", "age", "portal", "link", "prompt", "screen", "page", "see", "contact", "call", "ask", "use",
    "used", "using", "enter", "entered", "typed", "here", "there", "name", "id", "account", "accounts",
    "information", "info", "credentials", "details", "access", "request", "requests", "reported", "states",
    "stated", "said", "says", "called", "unlocked", "disabled", "enabled", "created", "deleted",
    "removed", "added", "belongs", "list", "lists", "number", "numbers", "only", "also", "are", "were", "can",
    "cannot", "could", "would", "may", "might", "did", "does", "do", "if", "when", "after", "before", "then",
    "sealed", "envelope", "safe", "file", "record", "records", "form", "sheet", "his", "her", "their",
    "my", "our", "its", "no", "yes", "ok", "okay", "cvv", "cvc", "cvv2", "pin", "ssn", "code", "key",
}
_MASKS = set("*•●xX#-_.?")

_PW_LABEL = (r"(?:temporary|temp|new|initial|default|one[- ]time|current|old|wi-?fi|wireless|network|vpn|"
             r"admin(?:istrator)?|router|voicemail|alarm(?:\s+panel)?|door|gate|lockbox|guest)?\s*"
             r"(?:password|passwd|pass\s?word|pwd|pw|passcode|pass\s?phrase|pin(?:\s+(?:code|number))?|"
             r"wpa2?(?:-psk)?\s+(?:key|passphrase|password)|psk|wireless\s+key|"
             r"security\s+code|access\s+code|alarm\s+code|door\s+code|gate\s+code|wi-?fi\s+key|network\s+key)")
_USER_LABEL = (r"(?:user\s?name|user\s?id|userid|uid|login(?:\s+(?:id|name))?|log-?in(?:\s+(?:id|name))?|"
               r"logon(?:\s+(?:id|name))?|sign[- ]in(?:\s+(?:id|name))?|account\s+name|network\s+id|"
               r"ad\s+account|domain\s+account|screen\s?name|apple\s+id|google\s+account)")
_LOOSE_USER_LABEL = r"(?:user|account|acct\.?|id|login|log-?in)"
#: Labels that can only mean a login name, so a plain lower-case word after them is one ("user name jrosario").
_EXPLICIT_USER_LABEL = (r"(?:user\s?name|user\s?id|userid|login\s+(?:id|name)|logon\s+(?:id|name)|account\s+name|"
                        r"network\s+id|screen\s?name|apple\s+id)")
_SEP = (r"(?:[\"']?\s*[:=]\s*|\s+-\s+|\s*\(\s*|\s+(?:is|was|will\s+be|has\s+been\s+(?:set|reset)\s+to|(?:re)?set\s+to)"
        r"\s*:?\s*)")
_END = r"(?=[\"'”’)]?(?:[\s,;)\]/]|$|[.!?](?:\s|$)))"
#: Passwords keep a final "!" or "?" ("Winter2024!"); only a full stop ends the sentence.
_PW_END = r"(?=[\"'”’)]?(?:[\s,;)\]]|$|\.(?:\s|$)))"
#: In a URL query or a config string, "&" and ";" end a value ("#" only after a space: a comment).
_QUERY_END = r"(?=[&;\s\"']|$)"
_QUOTED = r"[\"'“‘](?P<value>[^\"'”’\n]{3,64})[\"'”’]"
_PW_VALUE = rf"(?:{_QUOTED}|(?P<value>[^\s\"'“”‘’]{{3,64}}?){_PW_END})"
_PW_QUERY_VALUE = rf"(?P<value>[^\s&;\"']{{3,64}}){_QUERY_END}"
#: A value that carries a digit or a symbol, so the regex itself can keep looking past "is typing".
_STRONG_VALUE = rf"(?:{_QUOTED}|(?P<value>(?=[^\s]*[\d!@#$%^&*+=?~])[^\s\"'“”‘’]{{6,64}}?){_PW_END})"
_USER_VALUE = rf"(?:{_QUOTED}|(?P<value>[\w.\\@\-]{{2,64}}?){_END})"


def _classes(value: str) -> int:
    return sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                any(c.isdigit() for c in value), any(not c.isalnum() for c in value)))


def _plausible(value: str) -> bool:
    word = value.casefold().rstrip(".,;:")
    # "(stored in Keeper ...)" and "[REDACTED ...]" are notes about a value, not the value.
    return word not in _PROSE and not set(value) <= _MASKS and value[:1] not in "([{<"


#: A machine's id, no one's login: a long run of hexadecimal digits (a mailing service's account id in
#: its links and headers, "u=3f21937f0f636c8cec1db30bf", "X-MC-User: 3f21…"; a newsletter's item id).
_HEX_ID = regex.compile(r"(?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{16,}|(?=[A-F]*\d)(?=\d*[A-F])[0-9A-F]{16,}")
#: "id=" as a key of a URL's query ("…/fund?id=2YF8FRCTGXRZQ", "…&amp;id=9a4b…"): an object's id.
_QUERY_ID_KEY = regex.compile(r"(?i)[?&;]id\s*=\s*$")


def _strong_password(value: str) -> bool:
    return len(value) >= 6 and (any(c.isdigit() for c in value) or any(not c.isalnum() for c in value))


class PasswordRecognizer(RecordsRecognizer):
    """The value after a password label."""

    ENTITY = "PASSWORD"
    FLAGS = regex.IGNORECASE
    PATTERNS = (
        # "Password: X", "pwd=X", "password for the Grange Hall: 7731", "temporary password is X"
        ("password after label",
         rf"(?<![\w]){_PW_LABEL}(?:\s+(?:for|on|of|to|at)\s+[^:=\n]{{1,40}}?(?=\s*[:=]))?{_SEP}{_PW_VALUE}", 0.75,
         "_set_off"),
        # "Temporary password read to the user by phone:\n  Birch!Lantern-7384": any words between
        # the label and the colon, so the value must look like a password
        ("password ...: value", rf"(?<![\w]){_PW_LABEL}[^:=\n.]{{1,50}}[:=]\s*{_STRONG_VALUE}", 0.7),
        # "alarm panel PIN 8831", "The alarm PIN for the Council on Aging building is 4417"
        ("numeric code", r"(?<![\w])(?:pin(?:\s+(?:code|number))?|passcode|access\s+code|alarm\s+code|door\s+code|"
                         r"gate\s+code|keypad\s+code|lockbox\s+code|combination)"
                         r"(?:\s+(?:for|on|of|to|at)\s+[^.\n:=]{1,50}?)?\s*(?:is|was|:|=|#|-)?\s*"
                         r"(?P<value>\d{4,8})(?![\w\-/]|\.\d)", 0.75),
        # "pass=X" in URLs and config strings
        ("pass in query", rf"(?<![\w])(?:pass|pwd|password)\s*=\s*{_PW_QUERY_VALUE}", 0.8),
        # "the password she was typing is X": the value must look like a password
        ("password ... is", rf"(?<![\w])password\b[^.\n:=]{{0,60}}?\b(?:is|was|to)\s+{_STRONG_VALUE}", 0.7),
        # "i tried Ghost413 as the password", "used Spring2024! as her password"
        ("value as the password",
         r"(?<![\w])(?P<value>(?=\S*[\d!@#$%^&*+=?~])[^\s\"'“”‘’]{6,64})\s+as\s+(?:the|my|her|his|their|a|your)"
         r"\s+(?:new\s+)?password\b", 0.7),
        # "passphrase goldenyears2024", "PW V@lley!Remote9"
        ("password then value", rf"(?<![\w]){_PW_LABEL}\s+{_PW_VALUE}", 0.7, "_strong"),
        # "Passphrase: maple tractor lantern 82" (several words, to the end of the line)
        ("passphrase", r"(?<![\w])pass\s?phrase[^:\n]{0,40}:\s*(?P<value>[^\n]{3,60}?)\s*(?=$|\n|[.;]\s)", 0.75),
    )

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Not a prose word, not a mask, not a placeholder."""
        return None if _plausible(value) else False

    def _set_off(self, value: str, text: str, start: int, end: int) -> bool | None:
        # In prose ("password is long") a plain word is a password only after
        # "temporary/new password is".
        if any(ch in text[max(0, start - 4):start] for ch in ":=(") or _classes(value) >= 2 \
                or any(c.isdigit() for c in value):
            return None
        window = text[max(0, start - 40):start].casefold()
        return None if regex.search(r"(temporary|temp|new|initial|default)\s+password", window) else False

    def _strong(self, value: str, text: str, start: int, end: int) -> bool | None:
        return None if _strong_password(value) else False


class UsernameRecognizer(RecordsRecognizer):
    """The value after a user-name label."""

    ENTITY = "USERNAME"
    FLAGS = regex.IGNORECASE
    PATTERNS = (
        ("user name after label", rf"(?<![\w]){_USER_LABEL}{_SEP}{_USER_VALUE}", 0.7, "_set_off"),
        ("user in query", rf"(?<![\w])(?:user|u|uid|username|login)\s*=\s*(?P<value>[\w.\\@\-]{{2,64}}){_QUERY_END}",
         0.75, "_not_a_machine_id"),
        ("user name then value", rf"(?<![\w]){_USER_LABEL}\s+{_USER_VALUE}", 0.7, "_loose"),
        ("explicit label then login", rf"(?<![\w]){_EXPLICIT_USER_LABEL}(?:\s+is)?\s+"
                                      r"(?-i:(?P<value>[a-z][a-z0-9._\\\-]{2,40}))" + _END, 0.7),
        ("loose label then value", rf"(?<![\w]){_LOOSE_USER_LABEL}\s+{_USER_VALUE}", 0.7, "_loose"),
        ("loose label and colon", rf"(?<![\w]){_LOOSE_USER_LABEL}[\"']?\s*[:=]\s*{_USER_VALUE}", 0.7, "_login"),
        # "her e-mail login, shodan.farah, at PC 3": a login-shaped value set off by commas
        ("user name in commas", rf"(?<![\w]){_USER_LABEL},\s*(?P<value>[\w.\\\-]{{2,64}}?),", 0.65, "_loose"),
        # "reset the password for bkeane": a lower-case login after "password/account for"
        ("login after password for",
         r"(?<![\w])(?:password|account|login|access)\s+(?:for|of)\s+(?-i:(?P<value>[a-z][a-z0-9._\\\-]{2,30}))"
         rf"{_END}", 0.65),
    )

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Not a prose word or a mask."""
        return None if _plausible(value) else False

    def _not_a_machine_id(self, value: str, text: str, start: int, end: int) -> bool | None:
        return False if _HEX_ID.fullmatch(value) else None

    def _set_off(self, value: str, text: str, start: int, end: int) -> bool | None:
        return None if any(c.isalpha() for c in value) else False

    def _login(self, value: str, text: str, start: int, end: int) -> bool | None:
        # After "user:" or a JSON "user" key: a login shape (lower case, digits, . _ \ -).
        if _QUERY_ID_KEY.search(text, max(0, start - 8), start) or _HEX_ID.fullmatch(value):
            return False
        if regex.fullmatch(r"[a-z0-9][a-z0-9._\\\-]*", value) and any(c.isalpha() for c in value) and \
                not regex.fullmatch(r"(?:no|#)\.?[\d.\-]+", value):
            return None
        return self._loose(value, text, start, end)

    def _loose(self, value: str, text: str, start: int, end: int) -> bool | None:
        # "user nvradmin / password ...", "account jmalloy_ext": a user-name shape, or a password label next.
        # An email address after "account" is an email address.
        if in_an_id(text, start):
            return False  # a mail header's id: a relay's queue id ("with ESMTP id oBF6xAuc018214")
        if "@" in value or regex.fullmatch(r"(?i)(?:no|#)\.?[\d.\-]+", value) or _HEX_ID.fullmatch(value):
            return False  # an email address, "account no.4401..." (a number), a machine's id
        if any(c.isalpha() for c in value) and any(c.isdigit() or c in "._\\" for c in value):
            return None
        if regex.fullmatch(r"[a-z]{3,}ed", value):
            return False  # "User confirmed new password set": a verb in the past tense, not a login
        follows = text[end:end + 30]
        if any(c.isalpha() for c in value) and regex.match(
                r"(?i)[\s,;/]*(?:and\s+)?(?:(?:temporary|temp|new|initial|default)\s+)?(?:password|pw|pwd|pass)\b",
                follows):
            return None
        return False


class LoginAsRecognizer(RecordsRecognizer):
    """"log in as dpwpump1 with Plow2024!": the user after "as", the password after "with"/"using"."""

    ENTITY = "USERNAME"
    FLAGS = regex.IGNORECASE
    _RX = regex.compile(r"(?i)(?<![\w])(?:log\s?-?in|sign\s?-?in|log\s+on|logon|connect)\s+as\s+[\"']?"
                        r"(?P<user>[\w.\\@\-]{2,40})[\"']?\s+(?:with|using|and)\s+(?:(?:the\s+)?password\s+)?"
                        rf"[\"']?(?P<pw>[^\s\"']{{4,64}}?)[\"']?{_PW_END}")
    PATTERNS = ()

    def __init__(self) -> None:
        super().__init__()
        self.supported_entities = ["USERNAME", "PASSWORD"]

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                ) -> list[RecognizerResult]:
        """Both halves, when the password half is not a prose word."""
        results = []
        for m in self._RX.finditer(text, timeout=regex_timeout()):
            if not (_plausible(m.group("user")) and _plausible(m.group("pw"))):
                continue
            for entity, group in (("USERNAME", "user"), ("PASSWORD", "pw")):
                results.append(make_result(self, entity, m.start(group), m.end(group), 0.8, "log in as ... with ...",
                                           self._RX.pattern))
        return results


#: A case, permit or notice number: capitals and digits in groups ("NOV-2026-044", "ZBA.2026.17").
_REFERENCE = regex.compile(r"[A-Z0-9]+(?:[-./][A-Z0-9]+)+")
#: A host or a file of the web ("run.com", "o.45b0d380.gif"); a login with a domain has an "@".
_WEB_NAME = regex.compile(r"(?i)^[^@]*\.(?:com|org|net|gov|edu|gif|png|jpe?g|svg|html?|php|aspx?|js|css)$")
_BASE64_RUN = regex.compile(r"[A-Za-z0-9+/]+={0,2}")


class CredentialPairRecognizer(EntityRecognizer):
    """``jdoe77 / Tr0ub4dor&3``: a user-name-like token, a slash, and a password-like token. Not
    inside a longer run: base64 (a DKIM signature's "b=zZMQYc5Lls2zX+icgPm6KVlpO0UpWG/qEFH…", after
    "+" or "="), a path ("icons/social-block-v2/color-twitter-48.png", after "-")."""

    _PAIR = regex.compile(
        r"(?<![\w/.:+=\-])(?P<user>[A-Za-z][\w.\\\-]{2,31}|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+)(?P<sep>\s*/\s*|\s+-\s+)"
        r"(?P<pw>[^\s/\"'”’]{6,64}?)(?=[\"'”’]?(?:[\s,;)]|$|[.!?](?:\s|$)))"
    )
    _CONTEXT = regex.compile(r"(?i)credential|log\s?-?in|logon|sign[- ]in|user\s?(?:name|id)?\s*/\s*pass|account|"
                             r"password|vpn|portal|access")

    @staticmethod
    def _in_base64(text: str, m: regex.Match[str]) -> bool:
        """The pair lies in a line of base64 shown as text (a malformed message's attachment): one run
        of its 64 characters, longer than any login and password written together."""
        if m.group("sep") != "/":
            return False
        end = m.end()
        while end < len(text) and not text[end].isspace():
            end += 1
        return end - m.start() >= 40 and _BASE64_RUN.fullmatch(text, m.start(), end) is not None

    def __init__(self) -> None:
        super().__init__(supported_entities=["USERNAME", "PASSWORD"], name="CredentialPairRecognizer",
                         supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                ) -> list[RecognizerResult]:
        """Pairs whose password half has 3+ character classes, or 2+ with a credential word nearby."""
        results = []
        for m in self._PAIR.finditer(text, overlapped=True, timeout=regex_timeout()):
            user, pw = m.group("user"), m.group("pw")
            if not _plausible(user) or not _plausible(pw) or "?" in pw or "=" in pw:
                continue  # a URL path or query, not a password
            if user[:1].isupper() and user[1:].islower() and user.isalpha():
                continue  # "Accounts Payable / Treasurer-Collector": a capitalised word is no login
            if not any(c.islower() for c in pw) and (pw.isalnum() or _REFERENCE.fullmatch(pw)):
                continue  # "FY2024/FY2025", "BC-2026-0318 / NOV-2026-044": codes, not a password
            if _WEB_NAME.search(user) or _WEB_NAME.search(pw):
                continue  # "run.com/o.45b0d380.gif": a host and a file of a link without its scheme
            if self._in_base64(text, m):
                continue
            strong = _classes(pw) >= 3 and len(pw) >= 8
            context = bool(self._CONTEXT.search(text[max(0, m.start() - 60):m.start()]))
            userlike = any(c.isdigit() for c in user) or any(c in "._\\@" for c in user)
            if m.group("sep").strip() == "-":
                # "MUNIS - dfontaine - Collector#2023": a dash is a weaker separator than a slash,
                # so only a login-shaped user and a password with three kinds of character count.
                if not (regex.fullmatch(r"[a-z][a-z0-9._\\]{3,30}", user) and strong
                        and any(c.isdigit() for c in pw) and pw[-1].isalnum()):
                    continue
            elif not ((strong and (userlike or context)) or (context and _classes(pw) >= 2 and userlike)):
                continue
            for entity, group in (("USERNAME", "user"), ("PASSWORD", "pw")):
                results.append(make_result(self, entity, m.start(group), m.end(group), 0.8, "user/password pair",
                                           self._PAIR.pattern))
        return results


RECOGNIZERS = [PasswordRecognizer, UsernameRecognizer, LoginAsRecognizer, CredentialPairRecognizer]
