from django import template

from shared.fragments import render_form

register = template.Library()


@register.simple_tag
def cached_form(form, template_name="includes/form.html"):
    """{% cached_form filter.form %}: the form as includes/form.html renders it, kept
    while its values, language and vocabularies stay the same (shared.fragments)."""
    return render_form(form, template_name)
