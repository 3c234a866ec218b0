"""The chair's date and time of a second sitting (K-12), in the project's two text boxes
(dd.mm.yyyy and a 24-hour hh:mm: core/widgets.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from attestation.core.widgets import INPUT_FORMATS, DateTimeTextWidget


class SecondSittingStartForm(forms.Form):
    new_sitting_starts_at = forms.DateTimeField(
        label=_("Or a new second sitting: date and time"),
        required=False,
        input_formats=INPUT_FORMATS,
        widget=DateTimeTextWidget(),
        error_messages={"invalid": _("Give the date and time of the second sitting.")},
    )
