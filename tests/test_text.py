"""Cutting a text short (text.shortened): the room's priorities list and the plenary slides."""
from hypothesis import given, settings, strategies as st

from consult.text import shortened

words = st.lists(st.text(alphabet="abcdéf,;:", min_size=1, max_size=15), min_size=1, max_size=40).map(" ".join)


@settings(max_examples=500)
@given(text=words, chars=st.integers(min_value=1, max_value=200))
def test_a_shortened_text_is_its_opening_cut_after_a_whole_word(text, chars):
    short = shortened(text, chars)
    if len(text) <= chars:
        assert short == text
        return
    assert short.endswith(" …")
    kept = short.removesuffix(" …")
    assert text.startswith(kept) and len(kept) <= chars
    if " " in text[:chars + 1]:
        # It ends where a word of the text ends, never inside one.
        assert text[len(kept):len(kept) + 1] in (" ", ",", ";", ":")
        assert kept.strip(" ,;:") == "" or kept[-1] not in " ,;:"


def test_a_short_cut_reads_as_a_cut():
    assert shortened("including territorial disparities in access", 30) == "including territorial …"
    assert shortened("Supercalifragilistic", 5) == "Super …"
