from django import forms
from django.utils.translation import gettext_lazy as _

from attestation.imports.reading import ImportFileError
from attestation.imports.services import upload_check


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            upload_check(upload=upload)
        except ImportFileError as error:
            raise forms.ValidationError(error.message, code="file") from None
        return upload
