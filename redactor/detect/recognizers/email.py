"""Personal email addresses, with presidio's recognizer kept offline.

Presidio validates the domain with tldextract, whose default extractor fetches
the public suffix list over the network on first use. Records stay on the
agency's machine, so the extractor here reads the snapshot bundled with
tldextract and never touches the network or a cache directory.

Role mailboxes (billing@, info@, noreply@) belong to an organisation, not a
person, and are public like its phone number.
"""

from __future__ import annotations

import re

import tldextract
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer as PresidioEmailRecognizer

from ...textutil import in_an_id

#: Bundled public suffix list only: no fetch (suffix_list_urls=()), no cache writes.
OFFLINE_TLD_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

ROLE_MAILBOXES = frozenset({
    "info", "information", "billing", "bills", "ar", "ap", "accounts", "accounting", "accountspayable",
    "accountsreceivable", "invoices", "invoice", "payments", "payment", "orders", "sales", "support", "help",
    "helpdesk", "service", "services", "customerservice", "care", "contact", "contactus", "hello", "office",
    "admin", "administrator", "webmaster", "postmaster", "hostmaster", "abuse", "security", "privacy", "legal",
    "hr", "jobs", "careers", "recruiting", "payroll", "benefits", "press", "media", "news", "newsletter",
    "marketing", "events", "team", "general", "inquiries", "enquiries", "reception", "frontdesk", "dispatch",
    "noreply", "no-reply", "donotreply", "do-not-reply", "notifications", "notification", "alerts", "mailer",
    "mailer-daemon", "bounce", "records", "publicrecords", "clerk", "permits", "licensing", "compliance",
    "procurement", "purchasing", "bids", "operations", "it", "servicedesk", "scheduling", "appointments",
    "volunteer", "volunteers", "donate", "donations", "membership", "members", "board", "staff", "registration",
    "rsvp", "tickets", "reservations", "library", "circulation", "reference", "studio", "shop", "store",
    "vendor", "vendors", "booth", "booths", "market", "programs", "registrar", "bookings", "inquiry",
    "enquiry", "techsupport", "feedback", "questions", "comments", "tips", "hotline", "foia", "helpline",
    "requests",
    # A town's or city's offices and boards.
    "selectboard", "selectmen", "boardofselectmen", "boh", "boardofhealth", "health", "assessor", "assessors",
    "treasurer", "collector", "taxcollector", "townclerk", "cityclerk", "townmanager", "townadministrator",
    "planning", "zoning", "zba", "conservation", "building", "inspections", "inspectional", "police", "fire",
    "dpw", "highway", "water", "sewer", "finance", "recreation", "parks", "veterans", "council", "citycouncil",
    "mayor", "schoolcommittee", "elections", "ada", "accessibility",
})

#: Role words that are also surnames or given names ("jane.care", "tom.service").
_LAST_PART_NAMES = frozenset({"care", "service", "general", "market", "press", "reference", "studio", "shop",
                              "store", "booth", "hello", "team", "news", "board", "staff", "rsvp", "tips",
                              "parks", "mayor", "water", "fire", "collector", "health", "building"})


#: Mail providers of private people: there a role word after a name is the person's own label for
#: one purpose ("npike.records@protonmail.com", a requester's address), not an office's mailbox.
_PERSONAL_PROVIDERS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "rocketmail.com", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "protonmail.com", "proton.me", "pm.me",
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "charter.net", "cox.net", "rcn.com",
    "earthlink.net", "gmx.com", "gmx.net", "mail.com", "zoho.com", "fastmail.com", "hey.com", "tutanota.com",
    "yandex.com",
})


def is_role_mailbox(address: str) -> bool:
    """True for organisational mailboxes such as billing@, no-reply@ or 9-FAA-SACO-AD-Inquiry@.

    An office's mailbox often carries its unit code before the role word, so the last part of
    the local name counts too, but not at a private person's mail provider; a role word first
    ("billing.smith") is a person's address.
    """
    local, _, domain = address.casefold().partition("@")
    local = local.split("+", 1)[0]  # jroe+records@: a person's tag
    if local in ROLE_MAILBOXES or re.sub(r"[._-]", "", local) in ROLE_MAILBOXES:
        return True
    parts = [p for p in re.split(r"[._-]", local) if p]
    return (len(parts) > 1 and parts[-1] in ROLE_MAILBOXES and parts[-1] not in _LAST_PART_NAMES
            and domain not in _PERSONAL_PROVIDERS)


_UUID = re.compile(r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _machine_made(chunk: str) -> bool:
    """A part of an id no person chose: hex or decimal with a digit ("31C10324", "0318"), digits
    in two of every five characters ("HSPC16667", "rid_5582199198"), or a long mix of capitals,
    small letters and digits (Gmail's "CAKx2b=Gq8fF-9V7Xk+Lh3mQ"). Not "jdoe77" or "izzy"."""
    digits = sum(ch.isdigit() for ch in chunk)
    return digits > 0 and (
        re.fullmatch(r"[0-9A-Fa-f]+", chunk) is not None or digits * 5 >= len(chunk) * 2
        or (len(chunk) >= 12 and any(ch.isupper() for ch in chunk) and any(ch.islower() for ch in chunk)))


def is_message_id(address: str) -> bool:
    """Whether an address-shaped id of a message-id header is machine made, so no one's mailbox:
    a UUID, or every part of its local name made by a machine once a relay's host name at its end
    is left out ("20071021093820.HSPC16667.omta05sl.mx.bigpond.com@…", "31C10324.41C6@…",
    "000001d3c2c0$e7ca4aa0$b75edfe0$@…"). A part a person could have chosen keeps it an address:
    "20260909111800.0318.rdufresne@millbrook.ma.gov" names its sender's mailbox."""
    local = address.rpartition("@")[0]
    if _UUID.fullmatch(local):
        return True
    chunks = [c for c in re.split(r"[.$%]", local) if c]
    for i in range(1, len(chunks) - 1):
        host = ".".join(chunks[i:])
        if OFFLINE_TLD_EXTRACT(host).top_domain_under_public_suffix:
            chunks = chunks[:i]
            break
    return bool(chunks) and all(_machine_made(c) for c in chunks)


class EmailRecognizer(PresidioEmailRecognizer):
    """Presidio's email pattern without role mailboxes; public-domain addresses go at the allow-lists."""

    def __init__(self) -> None:
        super().__init__(name="EmailRecognizer")

    def validate_result(self, pattern_text: str) -> bool:
        """A real public suffix, looked up in the bundled list."""
        return OFFLINE_TLD_EXTRACT(pattern_text).fqdn != ""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        """Addresses that are not role mailboxes."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        # A message id, or a relay's "id <…>", made by a machine is no one's mailbox.
        results = [r for r in results if not (in_an_id(text, r.start) and is_message_id(text[r.start:r.end]))]
        return [r for r in results if not is_role_mailbox(text[r.start:r.end])]


RECOGNIZERS = [EmailRecognizer]
