"""IP_ADDRESS: IPv4 and IPv6 (presidio's patterns), minus pieces of longer dotted numbers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

IP = "IP_ADDRESS"
ENGINE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Login from IP 203.0.113.7 at 14:02.", [(IP, "203.0.113.7")]),
        ("Firewall log: src=192.0.2.45 dst=10.0.0.1 DENY", [(IP, "192.0.2.45"), (IP, "10.0.0.1")]),
        ("The IPv6 address 2001:db8::1 was blocked.", [(IP, "2001:db8::1")]),
        ("Host 198.51.100.23 (VPN)", [(IP, "198.51.100.23")]),
        ("timestamp,ip,user\n2024-03-01 08:15,192.168.1.20,jdoe", [(IP, "192.168.1.20")]),
        ("Access from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 flagged.",
         [(IP, "2001:0db8:85a3:0000:0000:8a2e:0370:7334")]),
        ("Printer at 172.16.4.200 is offline.", [(IP, "172.16.4.200")]),
        ("The router is 192.168.0.1; the camera is 192.168.0.50.", [(IP, "192.168.0.1"), (IP, "192.168.0.50")]),
        ("| Time | Source IP | Action |\n|---|---|---|\n| 08:15 | 203.0.113.99 | blocked |", [(IP, "203.0.113.99")]),
    ],
)
def test_when_text_holds_an_ip_address_then_it_is_detected(found, text, expected):
    assert found(text, IP) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SNMP OID 1.3.6.1.4.1.9.9.13 polled.", []),
        ("Invalid entry 999.1.1.1 ignored.", []),
        ("See Section 4.2.1 of the policy.", []),
        ("G.L. c. 66, § 10(a)", []),
        ("Meeting on 12.05.2024 at 7:30.", []),
        ("Total: $1,234.56", []),
        ("256.256.256.256 is not an address.", []),
        ("Firmware version 10.2.3.4.5 installed.", []),
        ("Call 413.555.0142 for details.", []),
        ("The meeting ran 14:02:33 to 15:10:02.", []),
        ("Ratio 3:1:2 approved.", []),
    ],
)
def test_when_dotted_or_colon_numbers_are_not_an_address_then_no_ip_is_detected(found, text, expected):
    assert found(text, IP) == expected


@ENGINE
@given(st.ip_addresses(v=4))
def test_when_any_ipv4_address_is_logged_then_it_is_detected(found, address):
    assert found(f"Failed login from {address} at 08:15.", IP) == [(IP, str(address))]


@ENGINE
@given(st.ip_addresses(v=6).filter(lambda a: str(a) != "::"))  # "::" (unspecified) identifies nobody
def test_when_any_ipv6_address_is_logged_then_it_is_detected(found, address):
    assert found(f"Failed login from {address} at 08:15.", IP) == [(IP, str(address))]
