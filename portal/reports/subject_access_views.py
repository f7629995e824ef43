"""The admin page for a person's requests: find what is held on an email address or a
telephone number, export it (JSON, CSV) or erase it.

Everything goes by POST, so the address or number searched for is never in a URL (access
logs, browser history). Only holders of `subject_access.PERMISSION` get in; other editors get
403, not Wagtail's redirect to the dashboard, so the refusal is plain. The page is generic
(apps declare what they hold: `portal.core.subject_access`); it sits here because the
permission does, and so that the CSV export can use the spreadsheet formula escaping.
"""

from __future__ import annotations

import csv
import io
import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.defaults import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.core import subject_access
from portal.core.personal_data import normalize_phone
from portal.inspections.spreadsheets import escape_formula


class SubjectForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"), required=False)
    phone = forms.CharField(label=gettext_lazy("Telephone"), max_length=30, required=False)
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, erase this person's data: it cannot be undone"), required=False
    )

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if self.cleaned_data["phone"] and len(phone) < 6:
            raise forms.ValidationError(_("Enter a telephone number of at least 6 digits."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("email") or cleaned.get("phone")):
            raise forms.ValidationError(_("Enter an email address or a telephone number."))
        return cleaned


class SubjectAccessView(WagtailAdminTemplateMixin, View):
    template_name = "reports/admin/subject_access.html"
    page_title = gettext_lazy("Personal data requests")
    header_icon = "user"
    ACTIONS = ("search", "json", "csv", "erase")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(subject_access.PERMISSION):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(SubjectForm())

    def post(self, request):
        form = SubjectForm(request.POST)
        action = request.POST.get("action")
        if action not in self.ACTIONS or not form.is_valid():
            return self.show(form, status=400)
        subject = {"email": form.cleaned_data["email"], "phone": form.cleaned_data["phone"]}
        found = subject_access.find(**subject)
        if action in ("json", "csv"):
            records = [record for _holder, records in found for record in records]
            subject_access.audit(records, subject_access.EXPORTED, user=request.user)
            return self.download(found, action)
        if action == "erase":
            if not form.cleaned_data["confirm"]:
                form.add_error("confirm", _("Tick the box to confirm the erasure."))
                return self.show(form, found, status=400)
            erased = sum(
                holder.erase(holder.find(**subject), request.user)
                for holder in subject_access.holders()
            )
            messages.success(request, _("Erased: %(count)s records.") % {"count": erased})
            found = subject_access.find(**subject)
        return self.show(form, found)

    def show(self, form, found=None, status=200):
        rows = [
            (holder, [holder.export(record) for record in records])
            for holder, records in found or []
        ]
        context = {
            **self.get_context_data(),
            "form": form,
            "found": rows,
            "searched": found is not None,
        }
        return render(self.request, self.template_name, context, status=status)

    @staticmethod
    def download(found, kind: str) -> HttpResponse:
        held = {
            holder.name: [holder.export(record) for record in records] for holder, records in found
        }
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        if kind == "json":
            body = json.dumps(
                {"generated_at": timezone.now().isoformat(), "held": held},
                ensure_ascii=False,
                indent=2,
            )
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
        else:
            # Long format (kind, record, field, value): one file for records of different shapes.
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["kind", "record", "field", "value"])
            for name, exports in held.items():
                for number, export in enumerate(exports, start=1):
                    writer.writerows(
                        [name, number, field, escape_formula(value)]
                        for field, value in export.items()
                    )
            response = HttpResponse(
                "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
            )
        response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.{kind}"'
        response["Cache-Control"] = "private, no-store"
        return response
