import time

from webhooks import signing

BODY = b'{"id":"x","type":"idea.submitted"}'


def test_good_signature_verifies():
    assert signing.verify("s3cret", signing.sign("s3cret", BODY), BODY)


def test_tampered_body_is_rejected():
    header = signing.sign("s3cret", BODY)
    assert not signing.verify("s3cret", header, BODY.replace(b"submitted", b"decided"))


def test_wrong_secret_is_rejected():
    assert not signing.verify("other", signing.sign("s3cret", BODY), BODY)


def test_too_old_is_rejected_as_a_replay():
    header = signing.sign("s3cret", BODY, timestamp=int(time.time()) - 301)
    assert not signing.verify("s3cret", header, BODY)
    assert signing.verify("s3cret", header, BODY, tolerance=400)


def test_garbage_headers_are_rejected():
    for header in ["", None, "t=abc,v1=00", "v1=00", "t=1", "nonsense"]:
        assert not signing.verify("s3cret", header, BODY)


def test_header_format():
    header = signing.sign("k", BODY, timestamp=1700000000)
    t, v1 = header.split(",")
    assert t == "t=1700000000" and v1.startswith("v1=") and len(v1) == 3 + 64
