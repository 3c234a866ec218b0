from django import template

register = template.Library()


@register.simple_tag
def application_kinds(examinee):
    """`{% application_kinds examinee as kinds %}`: what the student may file now (no queries)."""
    from attestation.applications.views import filing_options

    return filing_options(examinee)
