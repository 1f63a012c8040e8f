"""shared.search: word indexes, stems, typo keys and highlighting."""

from shared.search import deletes, highlight, stem, vocabulary_words, within_one_edit, word_index


def test_stems_join_word_forms():
    assert stem("developing") == stem("development")
    assert stem("refunded") == stem("refund")
    assert stem("ลูกค้า") == "ลูกค้า"  # no stemmer: the word itself


def test_word_index_has_words_stems_and_persian_joined_pairs():
    index = word_index("Developing refunds", "تمدید بیمه نامه")
    assert " developing " in index and " develop " in index and " refund " in index
    # A half-space folds to nothing, so "بیمه‌نامه" is found in text typed with a space.
    assert " بیمهنامه " in index
    assert word_index("") == ""


def test_one_edit():
    for typo, word in [("refnd", "refund"), ("chatbto", "chatbot"), ("adress", "address"),
                       ("roamng", "roaming"), ("crad", "card")]:
        assert within_one_edit(typo, word)
        assert set(deletes(typo)) & set(deletes(word))
    assert not within_one_edit("clam", "clamour")
    assert not within_one_edit("invoice", "invite")


def test_vocabulary_words_are_spaced_words_of_four_letters_or_more():
    assert vocabulary_words("The claim form ลูกค้ารอสาย 2024 abc") == {"claim", "form"}


def test_highlight_escapes_and_marks():
    marked = highlight("<b>Refunds</b> & สถานะเคลมของลูกค้า", ["refund", "เคลม"])
    assert marked == ("&lt;b&gt;<mark>Refunds</mark>&lt;/b&gt; &amp; "
                      "สถานะ<mark>เคลม</mark>ของลูกค้า")
    assert highlight("<script>", []) == "&lt;script&gt;"
    assert highlight("<i>x</i>", ["i"]) == "&lt;<mark>i</mark>&gt;x&lt;/<mark>i</mark>&gt;"


def test_excerpt_is_the_text_around_the_first_term():
    from shared.search import excerpt
    text = "word " * 100 + "the refund arrived late " + "tail " * 100
    quoted = excerpt(text, ["refund"], length=60)
    assert "the refund arrived late" in quoted
    assert quoted.startswith("…") and quoted.endswith("…") and len(quoted) < 90
    assert excerpt("Short refund text", ["refund"]) == "Short refund text"
    assert excerpt("Nothing here", ["refund"]) == ""
    assert "สถานะเคลม" in excerpt("ก" * 300 + "ติดตามสถานะเคลม" + "ข" * 300, ["เคลม"], 40)
