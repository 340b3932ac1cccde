"""PERSON: spaCy's names, cleaned, plus names found by shape; officials named with their title are public."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.detect.base import column_header
from redactor.detect.gazetteer import is_english_word
from redactor.detect.recognizers.person import clean_person_span
from redactor.detect.titles import names_in_office
from redactor.textutil import looks_like_header

PERSON = "PERSON"



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Complainant: Jane Roe", [(PERSON, "Jane Roe")]),
        ("I spoke with Mr. Thomas Keane about the fence.", [(PERSON, "Thomas Keane")]),
        ("EMPLOYEE: DELACRUZ, MARISOL   DEPT: Parks", [(PERSON, "DELACRUZ, MARISOL")]),
        ("Roe, Jane called to complain about the noise.", [(PERSON, "Roe, Jane")]),
        ("From: Marisol Delacruz <mdelacruz77@gmail.com>", [(PERSON, "Marisol Delacruz")]),
        # Outlook's "Last, First": neither word on any list, the address says a person's name stands there.
        ('To: "Oyelaran, Temitope" <toyelaran@gmail.com>', [(PERSON, "Oyelaran, Temitope")]),
        # English words, but the first a given name: a person, not a mailbox.
        ("From: Grant Wood <gwood77@gmail.com>", [(PERSON, "Grant Wood")]),
        ("From: Hope Hill <hh1962@gmail.com>", [(PERSON, "Hope Hill")]),
        ("From: Faith Church <fc88@gmail.com>", [(PERSON, "Faith Church")]),
        ("From: Mark Banks <mbanks58@gmail.com>", [(PERSON, "Mark Banks")]),  # "Banks" is a surname
        # A city's name said to be a person's: after a title, under a name label; or a given name
        # and a surname a place's last word is not ("Van Buren", Arkansas).
        ("Mr. Long Beach called about the fence.", [(PERSON, "Long Beach")]),
        ("Name: Dana Point", [(PERSON, "Dana Point")]),
        ("Martin Van Buren", [(PERSON, "Martin Van Buren")]),
        ("Van Buren said the fence is too high.", [(PERSON, "Van Buren")]),
        ("Jane Roe 3 REPAIRS", [(PERSON, "Jane Roe")]),  # no party: a count and a word
        # A count alone, on a page that is no election's results.
        ("GAVIN NEWSOM DEM 64\nJACQUELINE H LEWIS 64", [(PERSON, "JACQUELINE H LEWIS")]),
        # A form read on one line: the name ends where the next label begins.
        ("Applicant: Jane Roe Social Security number: 219-09-9998", [(PERSON, "Jane Roe")]),
        # A display name in lower case spelling its own address (an Italian client's "A:" is "To:").
        ("A: geronazzo <geronazzo@voidstudicom.it>", [(PERSON, "geronazzo")]),
        ("To: mario rossi <mario.rossi@libero.it>", [(PERSON, "mario rossi")]),
        ("To: mario rossi <mrossi1970@libero.it>", [(PERSON, "mario rossi")]),
        ("as mail geronazzo <geronazzo@voidstudicom.it>", [(PERSON, "geronazzo")]),
        ("John Smith called dispatch to report a car break-in.", [(PERSON, "John Smith")]),
        # A later mention by surname alone is the same person.
        ("Jane Roe reported the theft. Roe said the bike was locked.", [(PERSON, "Jane Roe"), (PERSON, "Roe")]),
        ("Witness: Mary-Kate O'Brien, age 34", [(PERSON, "Mary-Kate O'Brien")]),
        ("Present: Angela Russo, Peter Szymanski", [(PERSON, "Angela Russo"), (PERSON, "Peter Szymanski")]),
        ("Ms. Alvarez asked for a copy of the report.", [(PERSON, "Alvarez")]),
        ("Dear Mrs. Nguyen,", [(PERSON, "Nguyen")]),
        ("Mr. Thomas Keane and Mrs. Anne Keane attended the hearing.",
         [(PERSON, "Thomas Keane"), (PERSON, "Anne Keane")]),
        ("Applicant: Robert Tran", [(PERSON, "Robert Tran")]),
        ("Owner of record: WILLIAMS, DOROTHY", [(PERSON, "WILLIAMS, DOROTHY")]),
        ("Parent/guardian: Amy Chen", [(PERSON, "Amy Chen")]),
        ("The caller, Daniel O'Connor, said the dog was loose.", [(PERSON, "Daniel O'Connor")]),
        ("Spoke to homeowner Brian Kowalczyk at the door.", [(PERSON, "Brian Kowalczyk")]),
        ("Print Name: Thomas Keane      Signature: ______", [(PERSON, "Thomas Keane")]),
        # Surnames that are also places or presidents are still surnames after a form label.
        ("Witness: Marcus Lincoln", [(PERSON, "Marcus Lincoln")]),
        ("Payee: Grace Kennedy", [(PERSON, "Grace Kennedy")]),
        ("Caller: Dorothy Houston", [(PERSON, "Dorothy Houston")]),
        # Form labels after the name are not part of it.
        ("Operator: Jane Roe, Lic. S12345678, DOB 03/15/1985", [(PERSON, "Jane Roe")]),
        ("Regards,\nJane Roe\n12 Elm Street", [(PERSON, "Jane Roe")]),
        ("Victim: Keisha Washington", [(PERSON, "Keisha Washington")]),
        ("Complainant: Jane  Roe", [(PERSON, "Jane  Roe")]),
        ("Complainant: Jane Roe\nStreet address withheld at her request.", [(PERSON, "Jane Roe")]),
        ("Thank you,\nDavid Moreno\nCenter Street", [(PERSON, "David Moreno")]),
        ("Witnesses interviewed:\nMaria Gonzalez\nSchool bus driver, age 51", [(PERSON, "Maria Gonzalez")]),
        # An owner beside the pet, and a person's occupation that is no breed.
        ("Dog license: Rocco, beagle. Owner Mary Smith, dog owner since 2019.", [(PERSON, "Mary Smith")]),
        ("Witness Jane Whitaker, lab technician, saw the dog.", [(PERSON, "Jane Whitaker")]),
        # A returned check's maker (drawer), a remittance's remitter.
        ("RETURNED CHECK NOTICE\nMaker: Fritznel Augustin, 17 Ellington Rd, Quincy, MA 02170",
         [(PERSON, "Fritznel Augustin")]),
        ("Remitter: Dolores Agosto", [(PERSON, "Dolores Agosto")]),
        # Common surnames that are also words ("Town Hall", "Main Street"), where a person is named.
        ("Complainant Peter Hall called the office on Monday.", [(PERSON, "Peter Hall")]),
        ("Complainant: Peter Hall, 40 Main Street, Millbrook.", [(PERSON, "Peter Hall")]),
        ("Name: Amy Park", [(PERSON, "Amy Park")]),
        ("Mr. Hall returned the form.", [(PERSON, "Hall")]),
        ("Her son Michael West called.", [(PERSON, "Michael West")]),
        # A citation's signal is no part of a name; a criminal case's defendant stays a finding.
        ("See Jane Roe's statement, attached.", [(PERSON, "Jane Roe")]),
        ("Commonwealth v. John Roe, 467 Mass. 12 (2014).", [(PERSON, "John Roe")]),
        ("John Roe v. Commonwealth, 467 Mass. 12 (2014).", [(PERSON, "John Roe")]),
        ("s/ Reginald Williamson Georgia Bar No. 462110", [(PERSON, "Reginald Williamson")]),
        # A title its holder no longer holds: the person is a private person now.
        ("Retired police officer John Smith, a neighbor, complained about the noise.", [(PERSON, "John Smith")]),
        ("Former Selectman Peter Nowak called about his tax bill.", [(PERSON, "Peter Nowak")]),
        ("The complainant, ex-Chief Peter Nowak, called.", [(PERSON, "Peter Nowak")]),
    ],
)
def test_when_text_names_a_private_person_then_the_name_is_detected(found, text, expected):
    assert found(text, PERSON) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Names of origins the 1990 Census lists barely hold: the lists of other origins serve in pairs.
        ("Deposit refunded by check to Kofi Mensah on 3/2.", [(PERSON, "Kofi Mensah")]),
        ("Nnamdi Okonkwo and Kwabena Asante signed the petition.",
         [(PERSON, "Nnamdi Okonkwo"), (PERSON, "Kwabena Asante")]),
        ("Late fee waived for Tenzin Nakamura.", [(PERSON, "Tenzin Nakamura")]),
        ("OKONKWO, CHIAMAKA   DOB 04/11/1990", [(PERSON, "OKONKWO, CHIAMAKA")]),
        # A double-barrelled surname whose parts are surnames.
        ("Player: Mateo Reyes-Lindgren   D.O.B. 2013-05-19", [(PERSON, "Mateo Reyes-Lindgren")]),
        ("Thank you! -- Greta Lindqvist-Sand", [(PERSON, "Greta Lindqvist-Sand")]),
        # A pair the lists half know, spelt out in the address beside it.
        ("Thanks again, -- Fritznel Augustin -- fritznel.augustin@gmail.com", [(PERSON, "Fritznel Augustin")]),
        ("Cc: Fritznel Augustin faugustin77@gmail.com", [(PERSON, "Fritznel Augustin")]),
        ("Statement of Mrs. Sun, 13 Jun 2019.", [(PERSON, "Sun")]),
        # A pair on no list: the model tags both words, or one at a sentence's start.
        ("The complaint was filed by Temitope Oyelaran of Ware.", [(PERSON, "Temitope Oyelaran")]),
        ("Temitope Oyelaran called the office on Tuesday about the permit.", [(PERSON, "Temitope Oyelaran")]),
        # Neither word on a list nor in the dictionary, among English words.
        ("I met Temitope Oyelaran.", [(PERSON, "Temitope Oyelaran")]),
        ("Babajide Oyelaran filed it.", [(PERSON, "Babajide Oyelaran")]),
        ("Tenant Babajide Oyelaran paid in cash.", [(PERSON, "Babajide Oyelaran")]),
        ("The complaint was filed by Temitope Oyelaran Sr. of Ware.", [(PERSON, "Temitope Oyelaran")]),
        ("Present: Temitope Oyelaran, Ngozi Okafor, Kofi Mensah.",
         [(PERSON, "Temitope Oyelaran"), (PERSON, "Ngozi Okafor"), (PERSON, "Kofi Mensah")]),
        ("Ref: MBX-2291\nTemitope Oyelaran\n14 Elm Street", [(PERSON, "Temitope Oyelaran")]),
        ("Temitope Oyelaran: I called.", [(PERSON, "Temitope Oyelaran")]),
        ("The report was sent by Sokha Phalla on Monday.", [(PERSON, "Sokha Phalla")]),
        # A greeting's name: a given name of another origin, a word on no list, in other languages too.
        ("Hi Temitope, thanks for the form.", [(PERSON, "Temitope")]),
        ("Hello Ngozi - the permit is ready.", [(PERSON, "Ngozi")]),
        ("Good morning Xiadani, see below.", [(PERSON, "Xiadani")]),
        ("Hi Ibrahim, your permit is approved.", [(PERSON, "Ibrahim")]),
        ("Hi Ibrahim Thanks!", [(PERSON, "Ibrahim")]),
        ("Hi Sharon, the permit is ready.", [(PERSON, "Sharon")]),
        ("Hi Will, the permit is ready.", [(PERSON, "Will")]),
        ("Dear Temitope Okafor:", [(PERSON, "Temitope Okafor")]),
        ("Dear Temitope Oyelaran:", [(PERSON, "Temitope Oyelaran")]),
        ("Buongiorno Mariachiara\n\ncome d'accordo", [(PERSON, "Mariachiara")]),
    ],
)
def test_when_a_name_of_another_origin_stands_in_the_text_then_it_is_detected(found, text, expected):
    assert found(text, PERSON) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Sat, Jun" reads as "Surname, Given"; days' and months' abbreviations are no names.
        ("On Sat, Jun 6, 2026 at 9:14 AM Jane Roe wrote:", [(PERSON, "Jane Roe")]),
        # A mail header's date, an mbox From_ line's: the model tags the day; after an honorific
        # the same word is a surname.
        ("Date: Thu, 13 Jun 2019 10:02:11 -0400", []),
        ("Received: by mx.google.com; Thu, 13 Jun 2019 07:02:11 -0700 (PDT)", []),
        ("From jdoe@example.com Thu Sep 12 10:00:00 2019", []),
        # An office's or a company's address spells out its words, no given name among them.
        ("Questions go to Animal Control, animalcontrol@millbrook.gov, or 413-555-0100.", []),
        ("Contact the Accredited WESTERN UNION Agent (westernunion@gmail.com).", []),
        # A given name the Census lists lack, and a surname that is a word: a place.
        ("The Simi Valley office forwarded the file.", []),
        # One of the pair a name, the other a word no name holds.
        ("Board Augustin: write to boardaugustin@millbrook.gov.", []),
        # The address spells someone else.
        ("Fritznel Augustin wrote from jroe@gmail.com.", []),
    ],
)
def test_when_a_pair_of_words_is_no_name_of_another_origin_then_no_person_is_detected(found, text, expected):
    assert found(text, PERSON) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mso-style-name:\"Table Normal\"; mso-style-parent:\"\";", []),
        ("Employee: Bank account number", []),  # a table's header row read as a label and its cell
        ("The appellant, proceeding Pro Se, filed a motion.", []),
        ("Officer Dana Kowalski responded.", []),
        ("Sgt. Luis Ortega arrived at 10:42.", []),
        ("City Clerk Patricia Lemieux certified the vote.", []),
        ("Chief Thomas Reilly and Lt. Brian Feeney attended.", []),
        ("Town Manager Susan Pacheco signed the contract.", []),
        ("Det. Carlos Mendes interviewed the witness.", []),
        ("cc: Lt. Brian Feeney; Capt. Joseph Rivera", []),
        ("Report of Sgt. Luis Ortega, Ludlow Police.", []),
        ("Motion by Selectman Richard Bellamy, seconded.", []),
        ("Ofc. Ryan Sullivan #245 transported the prisoner.", []),
        ("Records Access Officer Karen Lindqvist denied the request in part.", []),
        ("Judge Mary Sullivan continued the case.", []),
        ("The accident occurred on Washington Street near the school.", []),
        ("Repaving of Martin Luther King Jr. Boulevard begins Monday.", []),
        ("Lincoln Street Elementary School", []),
        ("Town Hall is closed on Martin Luther King Day.", []),
        ("Town offices are closed for Patriots' Day and Columbus Day.", []),
        ("The Rose Garden will reopen in June.", []),
        ("Kennedy Middle School dismissed early.", []),
        ("The Edward M. Kennedy Institute hosted the event.", []),
        ("The Henry Ford Foundation awarded a grant.", []),
        ("Memorial Day observance at the Veterans Park.", []),
        ("Dear Board Members,", []),
        ("Subject: Noise complaint on Elm Street", []),
        ("Springfield, Chicopee and Holyoke share the grant.", []),
        ("Johnson Controls replaced the boiler.", []),
        ("Fire Headquarters, 605 Lebanon Street, Springfield", []),
        # A pet's name is not a person's: the breed after it says which it is.
        ("Dog license renewal, tag no. 2026-0118: Rocco, beagle. Rabies certificate on file.", []),
        ("Licensed: Luna, a black lab mix, and Biscuit (terrier mix).", []),
        # "P.O." is a police officer's title too; before "Box" it is a post office box.
        ("Customer Technical Support, P.O. Box 992, CH-6371 Stans, Switzerland.", []),
        ("Send it to PO Box 12, Lynn.", []),
        # Software naming itself in metadata and mail headers; law reports in citations.
        ("Producer: Acrobat Distiller 9.0", []),
        ("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>", []),
        # A mailbox's or a firm's display name: English words, none a given name.
        ("From: Customer Service <service@eversource.com>", []),
        ("From: Discover Card <newsflash@discover.example.com>", []),
        # A given name first, but last an English word that is no surname.
        ("From: Bill Payments <billing@acmeutility.example.com>", []),
        # Lower case: a mailbox's English word, or a name not its address's.
        ("To: billing <billing@acmeutility.example.com>", []),
        ("To: jdoe <records@acmeutility.example.com>", []),
        ("To: xxxxx xxxx <xxxxx.xxxx@example.com>", []),  # a test file's mask
        # English words not starting with a given name or a surname, though a later one is a
        # surname ("Styles", "Manual", "Crew"): a heading or a term.
        ("Mixed Arrow Styles, Sizes", []),
        ("Value Seller Crew", []),
        # Two words, the last an English word on no list of names: a term. A building named after a
        # person is no person.
        ("Specific Tools: Iron Roughneck, Correct Size Handling Equipment", []),
        ("From the 1903 Wright Flyer to the Latest Military Fighter Jets.", []),
        ("For the Eighth Circuit Thomas F. Eagleton Courthouse 111 South 10th Street", []),
        ("The hearing is at the Edward W. Brooke Courthouse in Boston.", []),
        # A holiday ("Christmas" is also a surname); German's capitalised polite pronouns.
        ("Sang Christmas songs and talked to folks", []),
        ("Wenn Sie Fragen haben, informieren Sie uns.", []),
        ("Ihre Anmeldung ist bestätigt.", []),
        # A U.S. city in a table row: a place, though "Beverly Hills" reads as given name + surname.
        ("07/17/2015 Boeing Company Huntington Beach 65 Layoff Unknown at this time", []),
        ("Ralphs Grocery Company Beverly Hills 74 Layoff Permanent", []),
        # A law firm with its legal form; candidates in an election's results, public as the ballot.
        ("Counsel: Fox Rothschild LLP, Raleigh", []),
        ("GAVIN NEWSOM DEM 64", []),
        ("VOTER NOMINATED\tNO\t148\nGAVIN NEWSOM\t64 DEM\nRON NEHRING\t247\n\tREP\tAJ-SUPREME CT", []),
        ("Jane Roe (D) 1,204", []),
        # Three candidates with their party make a page of results: one with a count alone is a
        # candidate too, for a non-partisan office.
        ("GAVIN NEWSOM DEM 64\nRON NEHRING REP 247\nBETTY T YEE DEM 59\nJACQUELINE H LEWIS 64 MUKUND SHAH 159", []),
        # A city after "Saint" (the Senate's expenditure report: "LOUIS" was then removed everywhere).
        ("LODGING IN SAINT LOUIS MO FOR 2 NIGHTS", []),
        ("We flew to Saint Louis Lambert airport.", []),
        ("Cited: 123 N.C. App. 456 (1996); Fed. R. Evid. 803.", []),
        ("Decision maker: Planning Board", []),
        ("Maker: Acme Paving, Inc.", []),
    ],
)
def test_when_name_is_an_official_in_office_or_not_a_person_then_no_person_is_detected(found, text, expected):
    assert found(text, PERSON) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A heading the model takes for a name lends none of its words to a name.
        "Regulatory Findings\n\nThe FAA has determined that the Findings do not have federalism implications.",
        "Solving Exponential and Logarithmic Equations (4.4); Equations review on Friday.",
        # A word no name holds before the model's tag is no part of it, and what is left is no name.
        "07/21/2015\tBoeing Company\tHuntington Beach\t65\tLayoff Unknown at this time",
        "Awards and Decorations: Rifle (3rd Awd) Pistol NDSM MUC CoC (Individual Awd) LoA (4)",
        # A company written with its legal form, and the same words again without it.
        "Gift Surplus, LLC, and Sandhill Amusements, Inc., sued the Governor. One of the plaintiffs "
        "here, Sandhill Amusements, was among a group of vendor-plaintiffs.",
        "Hest Techs., Inc. v. State ex rel. Perdue, 366 N.C. 289 (2012). See Hest, 366 N.C. at 291.",
        # A state's name before a word: "Carolina" is a given name, "Rule" a surname.
        "abandoned under North Carolina Rule of Appellate Procedure 10 and Appellate Rule 28(b)(6)",
        # A sensitivity label in a Word file's custom properties; a title alone after a name label.
        "MSIP_Label_5434c4c7-833e-41e4-b0ab-cdb227a2f6f7_Name: Official (Open)",
        "Name: Rev.",
        # A word on no list beside a name of a list: an article, an inflected word, a company's legal form.
        "The FAA has determined that the proposed AD would not have federalism implications.",
        "2017 03 06 Adding payment terms clarification Removing GOE account exclusion",
        "12/30/2015\tParker Hannifin Corporation\tAnaheim\t197",
        "the undisputed evidence. See Sandhill, 236 N.C. App. at 370",
        "The FAA will evaluate them. (See Flightcrew Training section in this preamble.)",
        # A company and an agency's initials that are a surname too.
        "Boeing DOE contract",
        "Comcast ABT router returned",
        # After a word for a relative: an official's title, an English word, a sentence's end.
        "her father Officer Smith responded.",
        "The mother Superior called the office.",
        "I called my mother. Then the inspector came.",
        # A street named first in Spanish; a particle in lower case ends no name.
        "Mail it to Calle De la Paz 14, second floor.",
        "Número de cuenta: 12",
        # ... but not alone.
        "The Art Petrakis Gallery opens Friday.",
        # Two words on no list in text of another language, an abbreviation, a product.
        "Amtlicher Teil des GMBl 2008 Nr. 52",
        "Bildungsreferentin\nFortbildungsbereich Verwaltung\nWolframstr. 32, 70191 Stuttgart",
        "Valtournenche - Breuil Cervinia 1998 m. slm",
        "IBM Italia S.p.A.\nCommercialista - Revisore Contabile",
        "the Sheriff of Wachusett Cty. and the clerk",
        "We walked the Quinapoxet Wachusett Trail on Friday.",
        "Students of the Nashoba Tantasqua Wachusett district met.",
        "Microsoft Vlsta & Office2007, Just released",
        # A greeting to a group, a board, a title.
        "Hi Team, see below.",
        "Dear Selectboard,",
        "Dear Sir or Madam,",
        "Hi All, the meeting moved.",
        "Dear Colleagues,",
        "Dear Señora,",
        "Hi Sgt. Roe,",
        "Dear Messrs. Roe and Doe:",
        "Hi Honey, home at six.",
        "Hello Everyone,",
        "Dear Gentlemen:",
        # Those surnames alone, or after no given name, are the place or the day.
        "Applicant Town Hall",
        "Meeting at Jordan Hall on Monday.",
        "Memorial Day parade permit",
        "Owner Main Street Realty Trust",
        "Complainant Riverside Park",
        "Applicant Grace Town Hall",
        "Complainant Mary Old Field",
        # A published opinion's parties, a state's bar, a place's state.
        "This Court in Sandhill. See Cannon v. Miller, 313 N.C. 324, 324 (1985) (holding otherwise).",
        "See Jane Roe v. John Doe, 313 N.C. 324 (1985).",
        "Attn: Naval Discharge Review Board, 720 Kennon Street SE Rm 309, Washington Navy Yard DC  20374-5023.",
    ],
)
def test_when_words_only_look_like_a_name_then_no_part_of_them_is_detected(found, text):
    assert found(text, PERSON) == []


def test_when_a_tag_is_long_words_of_another_language_then_it_is_no_name(found):
    # Words past twelve letters are a term's, not a name's: the tag is dropped whole (its words on
    # no list may still name someone nearby, as in "Buongiorno Mariachiara", so they lend).
    text = 'A phishing notice (Spanish, BBVA "Transferencia Interbancaria") with an encoded display name'
    assert ("PERSON", "Transferencia Interbancaria") not in found(text, PERSON)



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A label before the name (which the model takes into its tag) is no earlier name.
        ("DATE OF BIRTH 06/15/1971   SEX M   HGT 6-01   NAME KRAUSE, DIETRICH", [(PERSON, "KRAUSE, DIETRICH")]),
        # A given name that is also a word no name holds stays the name's first word.
        ("Bill Johnson asked for the permit file.", [(PERSON, "Bill Johnson")]),
        # A person whose name a company bears is still a person where the company is not named.
        ("Roe Plumbing, LLC did the work. Jane Roe paid in cash.", [(PERSON, "Jane Roe")]),
        ("Jane Roe, LLC owns the lot. Jane Roe signed the deed.", [(PERSON, "Jane Roe")]),
        # A signature's name before the firm's: the firm is its last words.
        ("Reginald Ashton Williamson Kilpatrick Townsend & Stockton LLP 1100 Peachtree Street",
         [(PERSON, "Reginald Ashton Williamson")]),
        ("Fritznel Augustin Acme Roofing LLC, fritznel.augustin@gmail.com", [(PERSON, "Fritznel Augustin")]),
        # A role word the model takes into its tag is no part of the name.
        ("The court heard Defendant Leon testify.", [(PERSON, "Leon")]),
        ("Name: Rev.John Ntepe", [(PERSON, "John Ntepe")]),
        # A word after the name ending as a street's or a field's name does is no street or field.
        ("Maria Lopez\tSpringfield\t413-555-0101", [(PERSON, "Maria Lopez")]),
        ("Last Name: OYELARAN          First Name: TEMITOPE", [(PERSON, "OYELARAN"), (PERSON, "TEMITOPE")]),
        # One word of the pair on a name list, the other on none and no English word.
        ("Mastercard exp 02/29 - Winston Achebe, banquet deposit.", [(PERSON, "Winston Achebe")]),
        ("Card on file for summer camp registration (Haruto Sato): JCB", [(PERSON, "Haruto Sato")]),
        ("Pernelle CARRON", [(PERSON, "Pernelle CARRON")]),
        # ... but a firm's name after a person's is no second name.
        ("Maria G. Danaher Patrick J. Fazzini David H. Raizman Ogletree Deakins Nash Smoak & Stewart",
         [(PERSON, "Maria G. Danaher"), (PERSON, "Patrick J. Fazzini"), (PERSON, "David H. Raizman")]),
        # A relative or a neighbour named after the word for them is a private person, one word too.
        ("Thursday works. My husband Gerhard will be home.", [(PERSON, "Gerhard")]),
        ("epinephrine order on file, mother Halima reachable at the school", [(PERSON, "Halima")]),
        ("My son Will is in grade 3.", [(PERSON, "Will")]),
        ("Complaint filed by my neighbor Cristóbal about the fence.", [(PERSON, "Cristóbal")]),
        ("his brother Miguel Santos", [(PERSON, "Miguel Santos")]),
        # A given name that is also a word, in a list of names.
        ("In attendance from the public: Yvonne Leclair, Art Petrakis, and Kenji Watanabe.",
         [(PERSON, "Yvonne Leclair"), (PERSON, "Art Petrakis"), (PERSON, "Kenji Watanabe")]),
        ("Art Petrakis and Kenji Watanabe signed the petition.",
         [(PERSON, "Art Petrakis"), (PERSON, "Kenji Watanabe")]),
        # A surname that is also a particle ends a name when it is capitalised.
        ("The tenant, Hung Quoc Le, paid the deposit.", [(PERSON, "Hung Quoc Le")]),
        ("Anh Le called about the permit.", [(PERSON, "Anh Le")]),
        # A nickname in brackets is part of the name.
        ("Robert (Bob) Smith called about the permit.", [(PERSON, "Robert (Bob) Smith")]),
        ("The renter, Jane (Jenny) Roe, paid in cash.", [(PERSON, "Jane (Jenny) Roe")]),
    ],
)
def test_when_a_name_stands_beside_a_label_a_company_or_a_title_then_the_name_is_detected(found, text, expected):
    assert found(text, PERSON) == expected


def span_text(text: str, start: int = 0, end: int | None = None) -> str | None:
    span = clean_person_span(text, start, len(text) if end is None else end)
    return None if span is None else text[span[0]:span[1]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr Thomas Keane", "Thomas Keane"),
        ("Dr Alvarez", "Alvarez"),
        ("Jane Roe, DOB", "Jane Roe"),
        ("Jane Roe's", "Jane Roe"),
        ("Jane Roe\nPhone", "Jane Roe"),
        ("(Jane Roe)", "Jane Roe"),
        ("Ana de la Cruz", "Ana de la Cruz"),
        ("Officer Dana Kowalski", None),
        ("Town Clerk Patricia Lemieux", None),
        ("jane roe", None),
        ("Liberty St", None),
        ("DPW", None),
        ("Jane Roe2", None),
        ("Board of Selectmen", None),
        ("Town Hall", None),
    ],
)
def test_when_clean_person_span_trims_a_span_then_titles_labels_and_non_names_go(text, expected):
    assert span_text(text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sgt. Jane Roe took the report.", "Jane Roe"),
        ("Building Inspector Jane Roe signed.", "Jane Roe"),
        ("Jane Roe Elementary School", "Jane Roe"),
        ("Jane Roe Foundation grant", "Jane Roe"),
    ],
)
def test_when_words_around_the_span_show_an_official_or_an_institution_then_clean_person_span_drops_it(text, name):
    start = text.index(name)
    assert clean_person_span(text, start, start + len(name)) is None


TITLES = ["Officer", "Sgt", "Det", "Lt", "Chief", "Captain", "Trooper", "Town Clerk", "City Clerk", "Mayor",
          "Selectman", "Judge", "Town Manager", "Building Inspector", "Dispatcher", "Superintendent"]
NAMES = ["Jane Roe", "Dana Kowalski", "Luis Ortega", "Patricia Lemieux", "Thomas Reilly", "Mary-Kate O'Brien"]


@given(st.sampled_from(TITLES), st.sampled_from(NAMES))
def test_when_name_follows_an_official_title_then_clean_person_span_drops_it(title, name):
    text = f"{title} {name}"
    assert clean_person_span(text, 0, len(text)) is None
    assert clean_person_span(text, len(title) + 1, len(text)) is None


@given(st.sampled_from(["Mr", "Mrs", "Ms", "Dr", "Miss"]), st.sampled_from(NAMES))
def test_when_name_follows_an_honorific_then_clean_person_span_keeps_only_the_name(honorific, name):
    assert span_text(f"{honorific} {name}") == name


def dotted(text: str, expected: str | None, actual: str) -> object:
    return (text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        dotted("Mr. Thomas Keane", "Thomas Keane", "Mr"),
        dotted("Mrs. Nguyen", "Nguyen", "Mrs"),
        dotted("Sgt. Luis Ortega", None, "Sgt"),
        dotted("Det. Carlos Mendes", None, "Det"),
        dotted("Lt. Brian Feeney", None, "Lt"),
    ],
)
def test_when_span_starts_with_an_abbreviated_title_then_clean_person_span_strips_or_drops_it(text, expected):
    assert span_text(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("| Name | DOB | Phone |\n|---|---|---|\n| Jane Roe | 04/02/1990 | 413-555-0142 |", "04/02/1990", "DOB"),
        ("| Name | DOB | Phone |\n|---|---|---|\n| Jane Roe | 04/02/1990 | 413-555-0142 |", "Jane Roe", "Name"),
        ("| Name | DOB | Phone |\n| Jane Roe | 04/02/1990 | 413-555-0142 |", "413-555-0142", "Phone"),
        ("Name\tDOB\tPhone\nJane Roe\t04/02/1990\t413-555-0142", "04/02/1990", "DOB"),
        ("| Name | DOB |\n|---|---|", "DOB", None),  # the header row has no header above it
        ("DOB: 04/02/1990", "04/02/1990", None),  # not a table
        ("| Name | DOB |\n\n| Jane Roe | 04/02/1990 |", "04/02/1990", None),  # a blank line ends the table
    ],
)
def test_when_column_header_looks_up_a_table_cell_then_it_returns_the_header_above(text, value, expected):
    assert column_header(text, text.index(value)) == expected


labels = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=8)


@given(st.lists(labels, min_size=2, max_size=6, unique=True), st.data())
def test_when_pipe_table_has_any_headers_then_column_header_finds_each_cells_header(headers, data):
    cells = [data.draw(st.from_regex(r"[0-9]{1,6}", fullmatch=True)) for _ in headers]
    header_row = "| " + " | ".join(headers) + " |"
    rule = "|" + "|".join("---" for _ in headers) + "|"
    row = "| " + " | ".join(cells) + " |"
    text = f"Roster export\n{header_row}\n{rule}\n{row}"
    offset = len(text) - len(row)
    for i, header in enumerate(headers):
        pos = offset + len("| " + " | ".join(cells[:i]) + (" | " if i else ""))
        assert text[pos:pos + len(cells[i])] == cells[i]
        assert column_header(text, pos) == header


def _header_by_walking(text: str, pos: int) -> str | None:
    """column_header's answer read the plain way: every line above, nearest first (the reference)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line = text[line_start:].split("\n")[0].rstrip("\r")
    sep = next((s for s in "|\t," if line.count(s) >= 2), None)
    if sep is None:
        return None
    starts = [0] + [i + 1 for i, ch in enumerate(line) if ch == sep]  # (no quoted commas below)
    column = sum(1 for s in starts if s <= pos - line_start) - 1
    header = None
    for above in reversed(text[:line_start].split("\n")[:-1]):
        above = above.rstrip("\r")
        if (above.count(sep) + 1 != len(starts)) if sep == "," else above.count(sep) < 2:
            break
        if not set(above) <= set(" \t|:-+"):
            header = above
    if header is None:
        return None
    cells = [c.strip().strip('"').strip() for c in header.split(sep)]
    if sep == "," and not looks_like_header(cells):
        return None
    return cells[column].strip() if 0 <= column < len(cells) else None


@st.composite
def _tables(draw: st.DrawFn) -> str:
    """Text with tables of one separator: prose between them, rules above and below headers,
    rows of the wrong width, blank lines."""
    sep = draw(st.sampled_from(["|", "\t", ","]))
    width = draw(st.integers(2, 4))
    words = st.sampled_from(["Name", "SSN", "DOB", "Account", "Jane Roe", "4417", "12", " ", ""])

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |" if sep == "|" else sep.join(cells)

    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        lines += draw(st.lists(st.sampled_from(["Notes from the clerk", "", "a, b, c", "+----+----+"]), max_size=2))
        lines += draw(st.lists(st.just(row(["---"] * width)), max_size=1))
        lines.append(row(draw(st.lists(words, min_size=width, max_size=width))))
        lines += draw(st.lists(st.just(row(["---"] * width)), max_size=1))
        lines += [row(draw(st.lists(words, min_size=width - 1, max_size=width + 1)))
                  for _ in range(draw(st.integers(0, 12)))]
    return "\n".join(lines)


def test_column_header_takes_a_comma_row_of_another_width_below_a_table_just_asked_about_for_prose() -> None:
    text = "Name,SSN,DOB\nJane Roe,12,4417\nJohn Doe,13,4418,extra\n"
    assert column_header(text, text.index("12")) == "SSN"
    assert column_header(text, text.index("John")) is None  # a row of four fields: prose, not the table's


@given(_tables(), _tables(), st.data())
def test_column_header_answers_as_the_plain_walk_whatever_order_the_cells_are_asked_in(one, two, data) -> None:
    # Each row's header is found from what the last question learnt about its table: the answers
    # must be those of walking up every line each time, in any order, across two texts.
    texts = [one, two]
    starts = [[0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"] for text in texts]
    for which, line, offset in data.draw(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 60),
                                                            st.integers(0, 4)), max_size=40)):
        text = texts[which]
        pos = min(starts[which][line % len(starts[which])] + offset, len(text))
        assert column_header(text, pos) == _header_by_walking(text, pos), (text, pos)



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A street and its town, tagged as a name by the model, lends no "part of a name" to the
        # town: "Millbrook" stays wherever else it is written.
        ("TOWN OF MILLBROOK\nBOARD OF HEALTH\nMillbrook Town Hall, 100 Common Street, Millbrook, MA 01994 - "
         "(508) 555-0100\n08/02/2026\nRe: Complaint file PRR-2026-987\nComplaint intake BC-2026-1166, received "
         "08/17/2026 by the Building Department.\nComplainant: Beatrice Fairbanks, DOB 09/08/1963, cell (508) "
         "555-0183, email\nbeatrice.fairbanks33@gmail.com, home address 160 Orchard Lane, Millbrook, MA 01994.\n",
         [(PERSON, "Beatrice Fairbanks")]),
        # A name read together with the office after it ends where the office begins.
        ("Regards,\nBeatrice Fairbanks Town Administrator, Select Board Office", [(PERSON, "Beatrice Fairbanks")]),
        # The model reads an English word after the name into it, which no name ends with.
        ("Sincerely,\ns/ Matthew P. Kralovec Counsel for the Appellant", [(PERSON, "Matthew P. Kralovec")]),
        ("APPEALS BOARD\nCharles R. Goodwin Docket No. 2017-03-1235", [(PERSON, "Charles R. Goodwin")]),
        # An initial is no English word, though WordNet has the letter.
        ("(See Declaration of Patrick H. at 2.)", [(PERSON, "Patrick H.")]),
    ],
)
def test_when_a_name_candidate_runs_into_a_place_or_an_office_then_only_the_name_is_kept(detect, text, expected):
    assert [d for d in detect(text) if d[0] == PERSON] == expected


def test_when_a_public_official_is_read_with_the_office_after_the_name_then_it_stays(detect) -> None:
    found = detect("Thank you,\nGregory Szabo Town Administrator", public_names=["Gregory Szabo"])
    assert [d for d in found if d[0] == PERSON] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Sat, Sep 26, 2026 at 07:19 PM Teresa Ferreira <teresa.ferreira21@outlook.com> wrote:",
         [(PERSON, "Teresa Ferreira")]),
        ("Pam Smith called about the permit.", [(PERSON, "Pam Smith")]),
    ],
)
def test_when_a_clock_or_a_greeting_stands_before_a_name_then_it_is_no_part_of_it(detect, text, expected):
    assert [d for d in detect(text) if d[0] == PERSON] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Select Board Chair Maria Lopez opened the meeting at 7:00 PM.", []),
        ("Planning Board Chairman John Smith called the meeting to order.", []),
        ("Vice-Chairwoman Ana Silva seconded.", []),
        ("Finance Committee Vice Chair Wei Chen presented the budget.", []),
        ("School Committee member Ana Silva asked about the bus contract.", []),
        ("Conservation Agent Peter Brown reported on the permit.", []),
        ("Present: Selectmen Maria Lopez and Councilors Wei Chen.", []),
        # The office written after the name, as signatures, contracts and minutes do.
        ("Witness: Patricia Lemieux, Town Clerk", []),
        ("Sincerely,\nJodi Ross\nTown Manager\nTown of Westford", []),
        ("Board: Maria Lopez (Chair), John Smith (Vice Chair).", []),
        ("Maria Lopez, Planning Board Chair, opened the hearing.", []),
        ("Thank you,\nJohn Smith\nSelect Board Vice Chair", []),
        # Not an office of the name's: another official after it, an office in lower case, the
        # other party of a signature line set in two columns.
        ("Victim Jane Doe, Officer Smith responded.", [(PERSON, "Jane Doe")]),
        ("The victim, Jane Doe, a dispatcher at the mill, called.", [(PERSON, "Jane Doe")]),
        ("The caller was Jane Doe, dispatcher at the mill.", [(PERSON, "Jane Doe")]),
        ("Jane Doe, Sgt. Ortega's neighbor, called.", [(PERSON, "Jane Doe")]),
        # Only a public body's name goes before its office there: a patrol is no body.
        ("Reporting party: Jane Doe, North Sector Patrol.", [(PERSON, "Jane Doe")]),
        ("Signed: Jodi Ross, Town Manager        Michael Tran, President", [(PERSON, "Michael Tran")]),
        # A bare "Member" names no office; the chair spoken of is no title before a name.
        ("Present: Member Wei Chen.", [(PERSON, "Wei Chen")]),
        ("The chair recognized Ana Silva, a resident of Elm Street.", [(PERSON, "Ana Silva")]),
        # A private person's part in the record is no part of the name.
        ("Public comment: Resident Ana Silva spoke against the plan.", [(PERSON, "Ana Silva")]),
        ("Complainant Jane Doe called at 10 pm.", [(PERSON, "Jane Doe")]),
        # ... and a sign that a name follows, where the model reads none whole.
        ("Nantucket. Applicant Thiago Alves lists his ITIN on the form.", [(PERSON, "Thiago Alves")]),
        ("Applicant Information: see the attached form.", []),
        ("Resident Parking Permit renewals begin Monday.", []),
        ("Petitioner Tarrant Regional Water District (Tarrant) is a Texas state agency.", []),
        # More of a private person's parts in a record, and the role set off by a comma.
        ("Patron Gareth Pomeroy refused to leave after closing.", [(PERSON, "Gareth Pomeroy")]),
        ("The patient, Ama Owusu, was transported to the hospital.", [(PERSON, "Ama Owusu")]),
        ("Passenger Omari Blackwood was not injured.", [(PERSON, "Omari Blackwood")]),
        ("Carol Whitcomb, DPW Customer Service", [(PERSON, "Carol Whitcomb")]),
        ("Student Records Office, Room 12", []),
    ],
)
def test_when_minutes_name_a_public_body_s_officers_then_they_are_officials(found, text, expected):
    assert found(text, PERSON) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Present: Chair Maria Lopez, Vice Chair John Smith, Selectman Wei Chen.",
         ["Maria Lopez", "John Smith", "Wei Chen"]),
        ("Sgt. Luis J. Ortega arrived; Chief Mary-Kate O'Brien and Det. McNeil followed.",
         ["Luis J. Ortega", "Mary-Kate O'Brien", "McNeil"]),
        ("Officer Smith spoke with Jane Doe.", ["Smith"]),
        ("Signed: Jodi Ross, Town Manager        Michael Tran, President", ["Jodi Ross"]),
        ("Board: Maria Lopez (Chair), John Smith (Vice Chair)", ["Maria Lopez", "John Smith"]),
        ("Jane Doe, Sgt. Ortega's neighbor", ["Ortega"]),
        ("Thank you,\nJohn Smith\nSelect Board Vice Chair", ["John Smith"]),
        # A public body's roll of members; a bare "Present:" may list residents.
        ("Members present: Maria Lopez, John Smith and Wei Chen.\nMembers absent: Peter Brown",
         ["Maria Lopez", "John Smith", "Wei Chen", "Peter Brown"]),
        ("Present: Jane Doe, John Roe\nAlso present: Ana Silva", []),
        # In capitals a title runs into whatever follows it: no name is taken from there.
        ("OFFICER SMITH SPOKE WITH JANE DOE", []),
        ("Jane Doe, the officer, spoke.", []),
        ("P.O. Dana Kowalski took the report to P.O. Box 992.", ["Dana Kowalski"]),
        # A town's other offices and its department heads, before the name or after it.
        ("Town Moderator Jane Roe called the meeting to order; Treasurer/Collector Tom Hale reported.",
         ["Jane Roe", "Tom Hale"]),
        ("Signed: Ana Silva, Library Director; Paul Brown, Director of Public Works; Kim Park, Police Chief",
         ["Ana Silva", "Paul Brown", "Kim Park"]),
        ("Principal Mary Jones, Assessor Luis Ortega and Assistant District Attorney Wei Chen attended.",
         ["Mary Jones", "Luis Ortega", "Wei Chen"]),
        # A poll worker's post is no office.
        ("Inspector Migdalia Rosado | Warden Tadeusz Zielinski", []),
        # A title no longer held names no official.
        ("Retired police officer John Smith and former Selectman Peter Nowak; the late Chief Ann Roe.", []),
        ("Officer Dana Kowalski met ex-Chief Peter Nowak.", ["Dana Kowalski"]),
    ],
)
def test_when_a_name_follows_an_official_title_then_names_in_office_reads_it(text, expected):
    assert names_in_office(text) == expected


@pytest.mark.parametrize(("word", "english"), [
    ("findings", True), ("policies", True), ("removing", True), ("dropped", True), ("texas", True),
    ("their", True), ("the", True), ("met", True), ("children", True), ("achebe", False), ("haruto", False),
    ("mariachiara", False),
])
def test_is_english_word_knows_inflected_forms_and_function_words_but_not_names(word, english) -> None:
    assert is_english_word(word) is english
