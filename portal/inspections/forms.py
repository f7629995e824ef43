from datetime import date
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.registry.models import District, ProductCategory
from portal.registry.scoping import user_district_ids

from .models import SpotCheckBatch

# The format is decided by content; the name only has to be one an editor would upload.
ACCEPTED_SUFFIXES = frozenset({".csv", ".txt", ".xlsx", ".xls", ".docx", ".pdf"})


class ImportUploadForm(forms.Form):
    """A result spreadsheet and the notice it was published with."""

    file = forms.FileField(
        label=_("Result table (XLSX, XLS, CSV, Word or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ACCEPTED_SUFFIXES))}),
    )
    notice_number = forms.CharField(label=_("Notice number"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=300)
    authority = forms.CharField(
        label=_("Authority"), max_length=200, initial="上海市市场监督管理局"
    )
    year = forms.IntegerField(label=_("Year of the check"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Level"), choices=SpotCheckBatch.Level.choices)
    published_on = forms.DateField(label=_("Published on"), required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Product category"), queryset=ProductCategory.objects.all(), required=False
    )
    standards_cited = forms.CharField(
        label=_("Rules and standards cited"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = date.today().year
        district_ids = user_district_ids(user) if user else None
        if district_ids is not None:  # district editors import for their own district
            self.fields["district"].queryset = District.objects.filter(pk__in=district_ids)
            self.fields["district"].required = True

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)d MB; the limit is %(limit)d MB."),
                params={"size": upload.size // 2**20, "limit": settings.IMPORT_MAX_BYTES // 2**20},
            )
        if Path(upload.name).suffix.lower() not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(_("Upload an XLSX, XLS, CSV, Word (.docx) or PDF file."))
        return upload

    def batch_details(self) -> dict:
        data = self.cleaned_data
        return {
            "notice_number": data["notice_number"],
            "title": data["title"],
            "authority": data["authority"],
            "year": data["year"],
            "level": data["level"],
            "published_on": data["published_on"].isoformat() if data["published_on"] else None,
            "district": data["district"].code if data["district"] else "",
            "category": data["category"].pk if data["category"] else None,
            "standards_cited": data["standards_cited"],
        }
