"""The compact map from a message text's characters to their source: the same ranges as the two
arrays it replaces, for every character of every slice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.formats.html_text import MappedText, SourceMap

# How a reader builds a text: source taken one for one, an entity standing for a longer range, a
# line break standing for nothing, characters sharing one range, a jump (a quotation marker cut).
_STEPS = st.lists(st.one_of(
    st.tuples(st.just("raw"), st.text(alphabet="ab \n", min_size=1, max_size=6)),
    st.tuples(st.just("entity"), st.sampled_from(["&", "é", "ﬁ"]), st.integers(2, 8)),
    st.just(("break",)),
    st.tuples(st.just("skip"), st.integers(1, 4)),
), max_size=25)


def _build(steps: list[tuple]) -> MappedText:
    mapped, pos = MappedText(), 0
    for step in steps:
        if step[0] == "raw":
            mapped.add_raw(step[1], pos)
            pos += len(step[1])
        elif step[0] == "entity":
            mapped.add(step[1], pos, pos + step[2])
            pos += step[2]
        elif step[0] == "break":
            mapped.add("\n", -1, -1)
        else:
            pos += step[1]
    return mapped


@given(_STEPS, st.integers(0, 40), st.integers(0, 40))
def test_a_source_map_gives_each_character_its_own_range(steps, a, b) -> None:
    mapped = _build(steps)
    first, last = sorted((min(a, len(mapped.starts)), min(b, len(mapped.starts))))
    sources = mapped.sources(first, last)
    assert len(sources) == last - first
    assert [sources.range_of(i) for i in range(len(sources))] == \
        [(mapped.starts[i], mapped.ends[i]) for i in range(first, last)]
    with pytest.raises(IndexError):
        sources.range_of(len(sources))


def test_a_plain_text_is_kept_as_one_run() -> None:
    mapped = MappedText()
    mapped.add_raw("x" * 10_000, 500)
    sources = mapped.sources()
    assert len(sources._positions) == 1 and sources.range_of(9_999) == (10_499, 10_500)
    assert isinstance(sources, SourceMap)
    mapped.add("\n\n\n", -1, -1)  # characters standing for nothing: one run too
    assert len(mapped.sources()._positions) == 2 and mapped.sources().range_of(10_001) == (-1, -1)
