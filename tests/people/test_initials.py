from people.templatetags.people_tags import initials


def test_initials_come_from_the_first_and_last_words_of_a_name():
    assert initials("Erin van der Berg") == "EB"
    assert initials("ada") == "A"
    assert initials("สมชาย ใจดี") == "สใ"
    assert initials("مریم احمدی") == "ما"
    assert initials("") == "?"
