"""The strings of static/js/forms.js (validation messages, the file picker) in the page's
language, as a JSON data block: the browser's own would be in its language, not the page's."""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def form_strings():
    return json_script(
        {
            "required": _("Fill in this field."),
            "checkbox": _("Tick this box to go on."),
            "select": _("Choose one of the options."),
            "file": _("Choose a file."),
            "number": _("Enter a number."),
            "min": _("The value must be at least %(min)s."),
            "max": _("The value must be at most %(max)s."),
            "step": _("Enter a whole number."),
            "maxlength": _("At most %(max)s characters."),
            "minlength": _("At least %(min)s characters."),
            "email": _("Enter an e-mail address, e.g. name@university.kz."),
            "url": _("Enter a full link starting with https://."),
            "invalid": _("Check the value of this field."),
            "chooseFile": _("Choose a file"),
            "chooseFiles": _("Choose files"),
            "noFile": _("No file chosen"),
            "nFiles": _("Files chosen: %(n)s"),
            "cancel": _("Cancel"),
        },
        "form-strings",
    )
