"""Wagtail admin views for spreadsheet imports: upload → preview → confirm."""

from __future__ import annotations

from celery.result import AsyncResult
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy

from portal.core.storage import private_file_response
from portal.registry.scoping import scope_to_user, user_district_ids

from . import tasks
from .forms import ImportUploadForm
from .importing.fidelity import fidelity_csv
from .models import ImportJob, SourceFile

RUNNING = {ImportJob.State.QUEUED, ImportJob.State.PREVIEWING, ImportJob.State.COMMITTING}
PERMISSION = "inspections.add_importjob"
SKIPPED = {
    "empty": ngettext_lazy("%(count)d empty row skipped", "%(count)d empty rows skipped", "count"),
    "note": ngettext_lazy("%(count)d note row skipped", "%(count)d note rows skipped", "count"),
    "section": ngettext_lazy(
        "%(count)d section title skipped", "%(count)d section titles skipped", "count"
    ),
    "header": ngettext_lazy(
        "%(count)d repeated header skipped", "%(count)d repeated headers skipped", "count"
    ),
}


def _skipped_lines(skipped: dict[str, int]) -> list[str]:
    """ "154 empty rows skipped", one line per reason."""
    return [SKIPPED[reason] % {"count": count} for reason, count in skipped.items()]


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def jobs(self):
        jobs = ImportJob.objects.select_related("created_by", "batch")
        district_ids = user_district_ids(self.request.user)
        if district_ids is None:
            return jobs
        return jobs.filter(created_by=self.request.user)


class ImportListView(ImportPermissionMixin, WagtailAdminTemplateMixin, ListView):
    template_name = "inspections/admin/import_list.html"
    page_title = _("Spot-check imports")
    header_icon = "upload"
    paginate_by = 25
    context_object_name = "jobs"

    def get_queryset(self):
        return self.jobs()


class ImportUploadView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "inspections/admin/import_upload.html"
    page_title = _("Import a spot-check result spreadsheet")
    header_icon = "upload"
    form_class = ImportUploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    @transaction.atomic
    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            file=upload,
            original_name=upload.name,
            batch_details=form.batch_details(),
            created_by=self.request.user,
        )
        tasks.enqueue(tasks.preview_import, job)
        return redirect("inspections_import_detail", job.pk)


class ImportDetailView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "inspections/admin/import_detail.html"
    page_title = _("Spot-check import")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        job = get_object_or_404(self.jobs(), pk=self.kwargs["pk"])
        context = super().get_context_data(**kwargs)
        context.update(
            job=job,
            running=job.state in RUNNING,
            report=job.preview,
            skipped=_skipped_lines(job.preview.get("skipped", {})),
        )
        if job.state in RUNNING and job.task_id:
            progress = AsyncResult(job.task_id).info
            if isinstance(progress, dict):  # PROGRESS meta written by the task
                context["rows_done"] = progress.get("rows_done", 0)
                context["total_rows"] = progress.get("total_rows", 0)
        return context

    def post(self, request, pk):
        """Confirm a previewed import: commit it in the background."""
        with transaction.atomic():
            job = get_object_or_404(self.jobs().select_for_update(of=("self",)), pk=pk)
            if job.state != ImportJob.State.PREVIEWED:
                messages.error(
                    request, _("Only a previewed import without errors can be confirmed.")
                )
                return redirect("inspections_import_detail", pk)
            job.state = ImportJob.State.QUEUED
            job.save(update_fields=["state", "updated_at"])
            tasks.enqueue(tasks.commit_import, job)
        messages.success(request, _("Import confirmed; the rows are being written."))
        return redirect(reverse("inspections_import_detail", args=[pk]))


class ImportReportCsvView(ImportPermissionMixin, View):
    """The job's fidelity report as a CSV file (UTF-8 with BOM, for Excel)."""

    def get(self, request, pk):
        job = get_object_or_404(self.jobs(), pk=pk)
        if not job.preview:
            raise Http404("no report yet")
        response = HttpResponse(fidelity_csv(job.preview), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
        return response


class ImportFileView(ImportPermissionMixin, View):
    """The uploaded spreadsheet, to whoever may see the job (district editors: their own)."""

    def get(self, request, pk):
        job = get_object_or_404(self.jobs().exclude(file=""), pk=pk)
        return private_file_response(job.file, job.original_name)


def source_file(request, pk):
    """A batch's imported file, to an editor who may see source files of its district —
    unpublished batches' files included, so anonymous visitors never reach one."""
    if not ModelPermissionPolicy(SourceFile).user_has_any_permission(
        request.user, ["view", "change"]
    ):
        raise PermissionDenied
    item = get_object_or_404(
        scope_to_user(SourceFile.objects.exclude(file=""), request.user), pk=pk
    )
    return private_file_response(item.file, item.original_name)
