"""USERNAME and PASSWORD: values after credential labels, and user/password pairs."""

from __future__ import annotations

import pytest

USER, PW = "USERNAME", "PASSWORD"



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Router admin password = Lantern!42", [(PW, "Lantern!42")]),
        ("IT ticket 4471: user locked out; temporary password is maplehouse, must change at next login.",
         [(PW, "maplehouse")]),
        ("Wi-Fi password for the Grange Hall: GrangeHall7731", [(PW, "GrangeHall7731")]),
        ("The password she was typing is Birch!Lantern-7384 according to the screenshot.",
         [(PW, "Birch!Lantern-7384")]),
        ("Please use passphrase goldenyears2024 for the shared drive.", [(PW, "goldenyears2024")]),
        ("Passphrase: maple tractor lantern 82", [(PW, "maple tractor lantern 82")]),
        ("Alarm code: 7731", [(PW, "7731")]),
        ("Gate code: 2580#", [(PW, "2580#")]),
        ("PIN: 4821", [(PW, "4821")]),
        ("Door code 1776, alarm panel in the mudroom.", [(PW, "1776")]),
        ("Temporary password read to the user by phone:\n  Birch!Lantern-7384", [(PW, "Birch!Lantern-7384")]),
        ("Temp password: Welcome2024", [(PW, "Welcome2024")]),
        ("db_user=svc_munis;pass=Secr3t99;host=db01", [(PW, "Secr3t99")]),
        ("Kim's Wi-Fi: network \"RoeHome\", password \"blue giraffe 77\"", [(PW, "blue giraffe 77")]),
        ("Username: jdoe77", [(USER, "jdoe77")]),
        ("login: kmurphy", [(USER, "kmurphy")]),
        ("User ID: TOWNHALL\\jdoe", [(USER, "TOWNHALL\\jdoe")]),
        ("Please reset the password for bkeane when she returns.", [(USER, "bkeane")]),
        ("Create account jmalloy_ext for the auditor.", [(USER, "jmalloy_ext")]),
        ("Network id jroe1985 was locked.", [(USER, "jroe1985")]),  # an id outside a mail's trace
        ("Account: jroe1985", [(USER, "jroe1985")]),
        ("Username: jane.roe@gmail.com", [(USER, "jane.roe@gmail.com")]),
        ("Login: kmurphy\nPassword: Falcon#88", [(USER, "kmurphy"), (PW, "Falcon#88")]),
        ("user: bkeane pw: Spring!2024", [(USER, "bkeane"), (PW, "Spring!2024")]),
        ("Her user name is jroe1985 and the password was Winter#77.", [(USER, "jroe1985"), (PW, "Winter#77")]),
        ("VPN credentials: jdoe77 / Tr0ub4dor&3", [(USER, "jdoe77"), (PW, "Tr0ub4dor&3")]),
        ("MUNIS - dfontaine - Collector#2023", [(USER, "dfontaine"), (PW, "Collector#2023")]),
        ("Password: Tr0ub4dor&3", [(PW, "Tr0ub4dor&3")]),
        ("Wi-Fi pw: Lake&Pine2023", [(PW, "Lake&Pine2023")]),
        ("config: host=db01 user=svc_munis pwd=Winter2024!", [(USER, "svc_munis"), (PW, "Winter2024!")]),
        ("https://portal.example.com/login?user=jdoe&pass=Secr3t99", [(USER, "jdoe"), (PW, "Secr3t99")]),
        # A long base64-looking password is still one when it stands alone with its user.
        ("VPN credentials: jdoe77/Tr0ub4dorZ3xQ9pLm", [(USER, "jdoe77"), (PW, "Tr0ub4dorZ3xQ9pLm")]),
        ("Account id=jroe1985 on the portal", [(USER, "jroe1985")]),
        ("User: 0ac9f77edd", [(USER, "0ac9f77edd")]),
    ],
)
def test_when_value_follows_a_credential_label_or_forms_a_pair_then_it_is_detected(found, text, expected):
    assert found(text, USER, PW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Password is required.", []),
        ("Your password expired on 03/01; please reset your password.", []),
        ("Password: ********", []),
        ("Password: [REDACTED]", []),
        ("Username: (see attached)", []),
        ("The password policy requires 12 characters.", []),
        ("User name: N/A", []),
        ("A PIN code is needed for the copier.", []),
        ("Go to the login page and click Forgot Password.", []),
        ("Your account has been locked after three attempts.", []),
        ("Sales / Marketing meeting moved.", []),
        ("Inspection/permitting fees were waived.", []),
        ("Password reset requested by the user via the portal.", []),
        ("The user said her password was changed yesterday.", []),
        ("Please enter your user name and password.", []),
        ("PIN number is 4 digits.", []),
        ("passwords must be changed every 90 days", []),
        ("Login ID is your employee number.", []),
        ("User: Clerk's Office", []),
        ("Password hint: favorite pet", []),
        ("Password: see sealed envelope", []),
        ("User account requests go to IT / Help-Desk #2.", []),
        ("Routed to Accounts Payable / Treasurer-Collector for signature.", []),
        ("User confirmed new password set and MFA working.", []),
        ("Please grant portal access to Finance / Treasurer-Collector staff.", []),
        ("Login problems reported at Town Hall / Senior-Center kiosk.", []),
        ("Transfer from account 01-420 for FY2024/FY2025 capital projects.", []),
        ("See complaint BC-2026-0318 / NOV-2026-044 / ZBA Case No. 2026-17", []),
        # A relay's queue id in a mail's trace header, read after the header's name (TextUnit.lead).
        ("Received: from drg.example.com by drg.example.com (8.13.8/8.13.8) with ESMTP id oBF6xAuc018214; "
         "Wed, 15 Dec 2010 06:59:10 GMT", []),
        ("X-Received: by 10.58.43.33 with SMTP id ut1mr14470624vcb.8.1384763184960; Mon, 18 Nov 2013", []),
        # Base64 (a DKIM signature) and a path hold a slash between two tokens that are no pair.
        ("DKIM-Signature: v=1; a=rsa-sha256; bh=vUut5xXS/cz0Yi7fpGVaXsN1FRxTpRD8Qet9dDDYdl4=; "
         "b=zZMQYc5Lls2zX+icgPm6KVlpO0UpWG/qEFHCpK0aaitL78Snd8SWKLskz+KxA4HpjI QuofS0iTuSAYaZXE+rkDwTf", []),
        ("b=y3Hcf9AfWq67/h5hsOs0irZu94Fmf1PelP84gPImgiRkVmPXA9grf724myG6QrNCQ80AbM+Q", []),
        ("https://cdn-images.mailchimp.com/icons/social-block-v2/color-twitter-48.png", []),
        ("Final-Recipient: rfc822; jroe@example.com\n\nReceived: from a.example.com (a [10.0.0.1])\n"
         "\tby b.example.com (8.13.8/8.13.8) with ESMTP id m0G8c0fR020461;\n\tWed, 16 Jan 2008 08:40:12 GMT\n", []),
        # A malformed report runs its quoted trace into one line: the relay's id is still no login.
        ("boundary=80874BE0 Received: from smtp.example.org (unknown [198.0.0.92]) by imap01.example.net "
         "(Postfix) with ESMTP id 0AC9F77EDD for <mikel@example.net>", []),
        # Base64 shown as text (a malformed message), line by line or in chunks with spaces.
        ("pMBfMFboEfX3+Yv6PcvoZhzaDhB2GVTDfvQMfohrlAaV5Dp6ISu7/HxN0OZSUQeOiRwOrydNT4MYMvomk8gp\n"
         "TTPNO9pD6m/VlJxVepqWoo3jMu0yUVnLBvgYzDSQ2jWhQ7Yoaw8K8Z9pJq729KrelsQ2K6VI\nhXh2Aac", []),
        ("gICAgIDxwIGFsaWduPWNlbnRlcj48YSBocmVmPSJo Y2Fsb3Jzb2xhci50ay8/dj0xZmRhNGZhNTYwNWQiIA0KICAgICAgICAgICAg "
         "bGFuaz48YnI+PC9h", []),
        # A link without its scheme: a host and a file, no pair.
        ("Your Friend Farida wants you to join run.com/o.45b0d380.gif' width='1' />", []),
        ("The installer is at files.example.com/Setup_2024! for now.", []),
        ("Images: jdoe77/banner_2024.png and jdoe77/logo_2024.svg", []),
        # A mailing service's account id and a newsletter's item id, in its links and headers.
        ("X-MC-User: 3f21937f0f636c8cec1db30bf", []),
        ("Account 9a4b75a15a562f4c0da5705d86191628 was billed for the campaign.", []),
        ("https://example.us14.list-manage.com/unsubscribe?u=3f21937f0f636c8cec1db30bf&id=9bc9573bd6&e=042ea43672", []),
        ("Online: http://www.example.de/newsletter/index.php?action=view&id=9a4b75a15a562f4c0da5705d86191628", []),
        ("please go to https://www.paypal.com/biz/fund?id=2YF8FRCTGXRZQ and follow the steps", []),
    ],
)
def test_when_credential_words_appear_in_prose_then_nothing_is_detected(found, text, expected):
    assert found(text, USER, PW) == expected
