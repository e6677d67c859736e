from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .importers import IMPORTERS


def _help_text() -> str:
    return gettext("CSV (UTF-8 or Windows-1251, comma or semicolon separated) or Excel .xlsx, up to %(mb)s MB.") % {
        "mb": settings.IMPORT_MAX_UPLOAD_MB
    }


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Records"), choices=[])
    file = forms.FileField(
        label=_("File"),
        help_text=lazy(_help_text, str)(),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, importer.label) for kind, importer in IMPORTERS.items()]

    def clean_file(self):
        file = self.cleaned_data["file"]
        # Refused before it is kept on the server; the reader checks again for files from elsewhere.
        if file.size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                gettext("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                % {"size": round(file.size / 1024 / 1024, 1), "limit": settings.IMPORT_MAX_UPLOAD_MB}
            )
        return file


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
