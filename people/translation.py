"""Reference data in the reader's language (django-modeltranslation).

Each field registered here gets one column per language (name_en, name_th, name_fa);
`department.name` reads the active language's column and falls back to English, so
templates, selectors and notifications rendered under the reader's language show it in
that language without knowing about translations."""

from modeltranslation.translator import TranslationOptions, register

from .models import Channel, CustomerSegment, Department, JourneyStage


@register(Department)
class DepartmentTranslation(TranslationOptions):
    fields = ("name",)


@register(CustomerSegment)
class CustomerSegmentTranslation(TranslationOptions):
    fields = ("name", "summary", "needs", "pains")


@register(JourneyStage)
class JourneyStageTranslation(TranslationOptions):
    fields = ("name",)


@register(Channel)
class ChannelTranslation(TranslationOptions):
    fields = ("name",)
