from django import template

from attestation.answers import ui

register = template.Library()


@register.simple_tag
def answer_panel(examinee, computed=None):
    """`{% answer_panel examinee as state %}`: deadlines, pages, receipt, JS strings.
    `computed`: the state the including page already has (the ticket page's clock), so the
    pages are not read twice."""
    return computed or ui.panel_state(examinee)


@register.simple_tag
def answer_pages(examinee):
    """`{% answer_pages examinee as answer %}`: the pages and the PDF, for the commission."""
    return {
        "pages": ui.pages_data(examinee),
        "document": ui.document_of(examinee),
        "submitted_at": examinee.submitted_at,
    }
