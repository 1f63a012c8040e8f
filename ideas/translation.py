"""Stage names in the reader's language (django-modeltranslation; see
people/translation.py). Stages of the default pipeline that a programme admin has not
translated still show the catalogue's translation (Stage.label)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Stage


@register(Stage)
class StageTranslation(TranslationOptions):
    fields = ("name",)
