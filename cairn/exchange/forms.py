"""Forms of the import pages."""

from __future__ import annotations

from django import forms
from django.conf import settings

ACCEPTED = ".csv,.vcf,.vcard,.zip,.txt"
FORMAT_CHOICES = [
    ("auto", "Work it out from the file"),
    ("linkedin", "LinkedIn export (zip or Connections.csv)"),
    ("google", "Google Contacts CSV"),
    ("outlook", "Outlook CSV"),
    ("vcard", "vCard (.vcf)"),
]


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="A LinkedIn export (the zip as downloaded, or Connections.csv), a Google or "
        "Outlook CSV, or a vCard file.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )
    format = forms.ChoiceField(choices=FORMAT_CHOICES, initial="auto", label="Kind of file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                f"{upload.name} is {megabytes(upload.size)}; the most Cairn takes at once is "
                f"{megabytes(limit)}. For LinkedIn, upload Connections.csv on its own, or the "
                "zip without its other files."
            )
        if upload.size == 0:
            raise forms.ValidationError(f"{upload.name} is empty.")
        return upload
