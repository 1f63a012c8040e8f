"""shared.search: word indexes, stems, typo keys and highlighting."""

from shared.search import (
    correction_units,
    deletes,
    highlight,
    segment,
    stem,
    vocabulary_words,
    within_one_edit,
    word_index,
)


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
    assert vocabulary_words("The claim form 2024 abc") == {"claim", "form"}


def test_word_index_lists_the_icu_words_of_thai_lao_and_khmer_runs():
    index = word_index("ติดตามสถานะเคลม", "ລືມລະຫັດຜ່ານ វិក្កយបត្រដំបូង")
    # The whole run (inner substrings still match) and each word, space-delimited.
    assert " ติดตามสถานะเคลม " in index
    assert {" ติดตาม ", " สถานะ ", " เคลม ", " ລະຫັດ ", " ຜ່ານ ", " ដំបូង "} <= {
        f" {entry} " for entry in index.split()}
    assert " ตาม " not in index  # inside ติดตาม, not a word of it


def test_segmentation_survives_normalisation_of_sara_am():
    # normalise() (NFKC) splits ำ into two characters that ICU's dictionary does not know.
    assert segment("ผ่อนชําระ") == ("ผ่อน", "ชําระ")


def test_one_edit_in_thai_lao_and_khmer_counts_letters_with_their_marks():
    for typo, word in [("ลายนิ้วมอ", "ลายนิ้วมือ"), ("สถานะเคม", "สถานะเคลม"),
                       ("ລາຍນີ້ວມື", "ລາຍນິ້ວມື"), ("វិក័យបត្រ", "វិក្កយបត្រ")]:
        assert within_one_edit(typo, word)
        assert set(deletes(typo)) & set(deletes(word))
    # By code point the Khmer pair is two edits apart (no shared key): a subscript
    # consonant and its sign are one letter only as graphemes.
    def by_code_point(w):
        return {w} | {w[:i] + w[i + 1:] for i in range(len(w))}
    assert not by_code_point("វិក័យបត្រ") & by_code_point("វិក្កយបត្រ")


def test_thai_vocabulary_has_words_and_adjacent_pairs_and_units_skip_known_words():
    vocabulary = vocabulary_words("ลายนิ้วมือ")
    assert {"ลาย", "นิ้ว", "มือ", "นิ้วมือ"} <= vocabulary
    assert correction_units("ลายนิ้วมอ", known=vocabulary) == ["ลายนิ้วมอ", "นิ้วมอ"]
    assert correction_units("ลายนิ้วมือ", known=vocabulary) == []


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
    assert excerpt("Short refund text", ["refunded"]) == "Short refund text"  # its stem
    assert "สถานะเคลม" in excerpt("ก" * 300 + "ติดตามสถานะเคลม" + "ข" * 300, ["เคลม"], 40)


def test_overlapping_marks_make_one():
    assert highlight("ลดเวลารอสายของลูกค้า", ["รอสาย", "รอ", "สาย"]) == \
        "ลดเวลา<mark>รอสาย</mark>ของลูกค้า"
