from django import forms
from django.utils.translation import gettext_lazy as _

from attestation.core.widgets import INPUT_FORMATS, DateTimeTextWidget
from attestation.grading.scale import MAX_SCORE, MIN_SCORE

SCORE_ERRORS = {
    "required": _("Give a score."),
    "invalid": _("The score must be a whole number from 0 to 100."),
    "min_value": _("The score must be a whole number from 0 to 100."),
    "max_value": _("The score must be a whole number from 0 to 100."),
}


class ScoreForm(forms.Form):
    score = forms.IntegerField(
        label=_("Your score"), min_value=MIN_SCORE, max_value=MAX_SCORE, error_messages=SCORE_ERRORS
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)
    additional_questions = forms.CharField(
        label=_("Additional questions asked"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FinalForm(forms.Form):
    score = forms.IntegerField(
        label=_("Final score"),
        min_value=MIN_SCORE,
        max_value=MAX_SCORE,
        error_messages=SCORE_ERRORS,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class AnnounceTimeForm(forms.Form):
    announce_at = forms.DateTimeField(
        label=_("Results announced at"),
        input_formats=INPUT_FORMATS,
        widget=DateTimeTextWidget(),
    )
