"""Dates, durations and numbers in the reader's calendar and digits.

The one home for what people read: English pages keep Django's Gregorian formats;
Persian (fa) readers get the Solar Hijri calendar (jdatetime) and Persian digits
throughout; Thai (th) readers get the Buddhist era (year + 543) with Thai month names
and Western digits. Numbers are grouped per language.

Only for text shown to people: machine values (``<time datetime>``, URLs, form values,
CSV exports, data-* attributes, JSON) stay ISO with ASCII digits and no grouping."""

from datetime import date, datetime, timedelta

import jdatetime
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import avoid_wrapping
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import get_language

PERSIAN_DIGITS = str.maketrans("0123456789,.", "۰۱۲۳۴۵۶۷۸۹٬٫")

# Calendar data, written in the language they belong to (as CLDR has them).
PERSIAN_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                  "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                     "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
BUDDHIST_ERA_OFFSET = 543
# The Gregorian months as Persian writes them, for figures counted per Gregorian month.
PERSIAN_GREGORIAN_MONTHS = ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه",
                            "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر")


def _language(language: str | None) -> str:
    return (language or get_language() or "en").split("-")[0].lower()


def local_digits(text: str, language: str | None = None) -> str:
    """Western digits (and , . separators) written the reader's way."""
    if _language(language) == "fa":
        return str(text).translate(PERSIAN_DIGITS)
    return str(text)


def format_number(value, decimals: int | None = None, language: str | None = None) -> str:
    """A number grouped by thousands: 1,234 (en, th), ۱٬۲۳۴ (fa). `decimals` rounds to
    that many places; by default integers show none and others up to two."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = int(value)
    if not isinstance(value, int):
        try:
            value = float(value)
        except (TypeError, ValueError):
            return str(value)
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    elif isinstance(value, int) or value.is_integer():
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return local_digits(text, language)


def _local(value):
    """A datetime in the current time zone; dates pass through."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value, form: str = "long", language: str | None = None) -> str:
    """A date (or the date of a datetime): `long` "21 March 2026" / "۱ فروردین ۱۴۰۵" /
    "21 มีนาคม 2569"; `short` "03/21/2026" / "۱۴۰۵/۰۱/۰۱" / "21 มี.ค. 2569"."""
    if value in (None, ""):
        return ""
    value = _local(value)
    day = value.date() if isinstance(value, datetime) else value
    lang = _language(language)
    if lang == "fa":
        j = jdatetime.date.fromgregorian(date=day)
        text = (f"{j.day} {PERSIAN_MONTHS[j.month - 1]} {j.year}" if form == "long"
                else f"{j.year}/{j.month:02d}/{j.day:02d}")
        return local_digits(text, "fa")
    if lang == "th":
        months = THAI_MONTHS if form == "long" else THAI_MONTHS_SHORT
        return f"{day.day} {months[day.month - 1]} {day.year + BUDDHIST_ERA_OFFSET}"
    return date_format(day, "DATE_FORMAT" if form == "long" else "SHORT_DATE_FORMAT")


def format_datetime(value, form: str = "long", language: str | None = None) -> str:
    """A datetime in the current time zone: the date as `format_date` writes it and the
    time on a 24-hour clock (English keeps Django's DATETIME_FORMAT)."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime):
        return format_date(value, form, language)
    value = _local(value)
    lang = _language(language)
    if lang in ("fa", "th"):
        return local_digits(f"{format_date(value, form, lang)} {value:%H:%M}", lang)
    return date_format(value, "DATETIME_FORMAT" if form == "long" else "SHORT_DATETIME_FORMAT")


def format_month(value, language: str | None = None) -> str:
    """A month and its year: "Mar 2026", "فروردین ۱۴۰۵", "มีนาคม 2569"."""
    if value in (None, ""):
        return ""
    value = _local(value)
    day = value.date() if isinstance(value, datetime) else value
    lang = _language(language)
    if lang == "fa":
        j = jdatetime.date.fromgregorian(date=day)
        return local_digits(f"{PERSIAN_MONTHS[j.month - 1]} {j.year}", "fa")
    if lang == "th":
        return f"{THAI_MONTHS_SHORT[day.month - 1]} {day.year + BUDDHIST_ERA_OFFSET}"
    return date_format(day, "M Y")


def format_calendar_month(value, language: str | None = None, spans: bool = True) -> str:
    """A Gregorian calendar month as a whole, for figures counted per Gregorian month
    (the dashboard's rollup): "Mar 2026", "มี.ค. 2569", "مارس ۲۰۲۶ (اسفند–فروردین)".
    A Solar Hijri month straddles two Gregorian ones, so Persian readers get the
    Gregorian month in Persian with Persian digits, followed by the Solar Hijri months it
    spans; Thai months are the Gregorian ones, in the Buddhist era."""
    if value in (None, ""):
        return ""
    day = value.date() if isinstance(value, datetime) else value
    lang = _language(language)
    if lang != "fa":
        return format_month(day, lang)
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    label = f"{PERSIAN_GREGORIAN_MONTHS[first.month - 1]} {first.year}"
    if spans:  # spans=False: the short form, for a chart's axis
        solar = [PERSIAN_MONTHS[jdatetime.date.fromgregorian(date=d).month - 1]
                 for d in (first, last)]
        label += f" ({solar[0]}–{solar[1]})"
    return local_digits(label, "fa")


def format_duration(start, end=None, depth: int = 2, language: str | None = None) -> str:
    """How long from `start` to `end` (default now): "3 days", "5 months, 1 week" (the
    `timesince` equivalent) with the reader's digits, the same in every part."""
    if start in (None, ""):
        return ""
    whole_days = not isinstance(start, datetime) and not isinstance(end, datetime)
    start = _as_datetime(start)
    end = _as_datetime(end) if end not in (None, "") else None
    if end is not None and timezone.is_aware(end) and timezone.is_naive(start):
        start = timezone.make_aware(start)
    elif end is not None and timezone.is_naive(end) and timezone.is_aware(start):
        end = timezone.make_aware(end)
    if whole_days and ((end or datetime.now()) - start).days < 1:
        # Between two dates less than a day is "0 days", not "0 minutes".
        text = avoid_wrapping(TIME_STRINGS["day"] % {"num": 0})
    else:
        text = timesince(start, end, depth=depth)
    lang = _language(language)
    if lang == "fa":
        # Django's Persian catalogue joins the parts with "،" and no space after it.
        text = ", ".join(part.strip() for part in text.replace("،", ",").split(","))
        text = text.replace(", ", "، ")
        return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    return text


def _as_datetime(value):
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


class Count(int):
    """A whole number that prints grouped and in the reader's digits but still counts as
    an int: `{% blocktranslate count n=x|local_count %}` picks the plural form from the
    number and shows it the reader's way, with no change to the message ids."""

    def __str__(self):
        return format_number(int(self))

    def __html__(self):
        return str(self)


def count(value) -> Count | None:
    if value is None or value == "":
        return value
    try:
        return Count(int(value))
    except (TypeError, ValueError):
        return value


def format_percent(value, decimals: int | None = None, language: str | None = None) -> str:
    """A percentage: "45%" (en, th), "۴۵٪" (fa)."""
    if value is None or value == "":
        return ""
    number = format_number(value, decimals, language)
    return f"{number}٪" if _language(language) == "fa" else f"{number}%"
