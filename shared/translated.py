"""Reference data translated per language (django-modeltranslation).

A registered field (people/translation.py, ideas/translation.py) has one column per
language, `name_en`, `name_th`, `name_fa`; `obj.name` reads the reader's language and
falls back to English. Two things the library leaves to us:

- the original `name` column keeps the English name (it is what ordering, uniqueness
  and exports of raw values rely on), whatever language the admin was in when saving;
- the admin edits each language in its own labelled field (translated_panels).
"""

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def reader_language() -> str:
    """The active language, as one of the configured language codes."""
    language = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else DEFAULT_LANGUAGE


def localized(field: str, language: str | None = None) -> str:
    """The column holding `field` in `language` (the reader's by default): for
    .values() across a relation, which modeltranslation does not rewrite."""
    return build_localized_fieldname(field, language or reader_language())


class TranslatedModel:
    """Mixin for models with fields registered for translation."""

    def clean(self):
        super().clean()
        errors = {}
        for field in translator.get_options_for_model(type(self)).fields:
            if self._meta.get_field(field).blank:
                continue
            default = build_localized_fieldname(field, DEFAULT_LANGUAGE)
            if not (getattr(self, default) or "").strip():
                errors[default] = _("This field is required in English: it is shown to "
                                    "readers whose language has no translation.")
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        fields = translator.get_options_for_model(type(self)).fields
        for field in fields:
            default = build_localized_fieldname(field, DEFAULT_LANGUAGE)
            if getattr(self, default) in (None, ""):
                # Created with `name=` while another language was active: that text is
                # the only name there is, so it is the English one too.
                setattr(self, default, getattr(self, field))
        # The original columns are written from the default language's values.
        with override(DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)


def translated_panels(field: str, **kwargs) -> list:
    """One FieldPanel per language for `field`, headed "Name (Thai)" etc."""
    from wagtail.admin.panels import FieldPanel

    return [FieldPanel(build_localized_fieldname(field, code),
                       heading=format_lazy(_("{field} ({language})"),
                                           field=_field_label(field), language=name),
                       **kwargs)
            for code, name in settings.LANGUAGES]


def _field_label(field: str):
    labels = {"name": _("Name"), "summary": _("Summary"), "needs": _("Needs"),
              "pains": _("Pains")}
    return labels.get(field, field)


def localized_value(path: str):
    """An expression for a translated field reached through a relation
    ("user__department__name"): the reader's language, else English."""
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Coalesce, NullIf

    language = reader_language()
    english = F(build_localized_fieldname(path, DEFAULT_LANGUAGE))
    if language == DEFAULT_LANGUAGE:
        return english
    return Coalesce(NullIf(F(build_localized_fieldname(path, language)), Value("")), english,
                    output_field=CharField())
