from django import forms
from django.utils.translation import gettext_lazy as _

from .formats import MAX_UPLOAD_BYTES
from .importers import IMPORTERS


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Records"), choices=[])
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-1251, comma or semicolon separated) or Excel .xlsx, up to %(mb)s MB.")
        % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, importer.label) for kind, importer in IMPORTERS.items()]

    def clean_file(self):
        file = self.cleaned_data["file"]
        # Refused before it is kept on the server; the reader checks again for files from elsewhere.
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                % {"size": round(file.size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        return file


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
