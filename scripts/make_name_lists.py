"""Write redactor/detect/data/{given_names,surnames}_more.txt: names of origins the 1990 Census
lists barely hold, for the PERSON recognizer's "given name + surname" patterns; and
surnames_words.txt: the Census surnames that are ordinary English words.

Source: the person providers of Faker (MIT licence, Copyright (c) 2012 Daniele Faraglia), every
locale, Latin script only. Left out: names already in the Census lists (the ``names`` package),
days' and months' abbreviations, and every word that SCOWL's american-english list (Debian package
wamerican; permissive licence, see /usr/share/doc/wamerican/copyright) holds in lower case, an
ordinary English word ("Journey", "Justice"), or capitalised, a place or a famous person far more
often than a given name ("Tennessee", "Ireland", "Collins"). The lists are used only in pairs,
never as evidence for one word alone; and a given name they alone know goes only with a surname
that is no English word: "Simi Valley", "Cambria Math" (a font) are no persons.

Regenerate (maintainers only; the files are committed, nothing here runs at install or run time):
    .venv/bin/pip install faker==40.63.0 && apt-get install wamerican
    .venv/bin/python scripts/make_name_lists.py
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from redactor.detect.gazetteer import CALENDAR_ABBREVIATIONS, NOT_NAME_WORDS, given_names, surnames  # noqa: E402

FAKER_VERSION = "40.63.0"
DICTIONARY = Path("/usr/share/dict/american-english")
OUT = REPO_ROOT / "redactor" / "detect" / "data"
#: Letters of the Latin script (with their accents), apostrophes and hyphens; nothing else.
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F'’\-]+$")
_GIVEN = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
          "first_names_unisex", "first_romanized_names")
_SURNAME = ("last_names", "last_romanized_names")


def _names(provider: type, attributes: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for attr in attributes:
        value = getattr(provider, attr, None)
        if not isinstance(value, (dict, list, tuple)):
            continue  # a locale that builds the list in a property, or has none
        found.update(n.replace("’", "'").casefold() for n in value if isinstance(n, str) and _LATIN.match(n))
    return found


def main() -> None:
    import faker
    import faker.providers.person as person

    if faker.VERSION != FAKER_VERSION:
        sys.exit(f"faker {FAKER_VERSION} is needed (found {faker.VERSION}): the lists name their source")
    words = [w.strip() for w in DICTIONARY.read_text(encoding="utf-8").splitlines() if not w.endswith("'s")]
    lower = {w for w in words if w[:1].islower()}
    # Title case only: "AMA" (an acronym) says nothing against "Ama".
    proper = {w.casefold() for w in words if w[:1].isupper() and w[1:].islower()}
    given: set[str] = set()
    family: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        given |= _names(provider, _GIVEN)
        family |= _names(provider, _SURNAME)
    source = (f"From Faker {FAKER_VERSION}'s person providers (MIT licence, Copyright (c) 2012 Daniele\n"
              "# Faraglia), less the Census lists' names and SCOWL american-english's words (Copyright\n"
              "# 2000-2011 Kevin Atkinson).")
    lists = (("given_names_more.txt", source, sorted(
                 w for w in given if len(w) >= 3 and w not in given_names() and w not in lower
                 and w not in proper and w not in NOT_NAME_WORDS and w not in CALENDAR_ABBREVIATIONS)),
             ("surnames_more.txt", source, sorted(
                 w for w in family if len(w) >= 3 and w not in surnames() and w not in lower
                 and w not in NOT_NAME_WORDS and w not in CALENDAR_ABBREVIATIONS)),
             ("surnames_words.txt", "The Census surnames (the names package, MIT) that SCOWL american-english\n"
              "# (Copyright 2000-2011 Kevin Atkinson) holds in lower case.", sorted(surnames() & lower)))
    OUT.mkdir(exist_ok=True)
    for name, origin, kept in lists:
        header = f"# {name}: see scripts/make_name_lists.py.\n# {origin}\n"
        (OUT / name).write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
        print(f"{name}: {len(kept)} names")


if __name__ == "__main__":
    main()
