"""Wagtail admin views: the review queue and decision page, and API token management.

Submissions and tokens are not editable snippets on purpose: a submission changes only by a
decision (or the grader's withdrawal), and a token's secret must be shown once, on issue.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

from portal.core.http import private
from portal.core.permissions import PermissionMixin

from . import audit, review, scoring
from .models import ApiToken, GraderOrganisation, Submission

REVIEW_PERMISSION = "grading.change_submission"
TOKEN_PERMISSION = "grading.add_apitoken"  # noqa: S105 (a permission name)


class ReviewQueueView(PermissionMixin, WagtailAdminTemplateMixin, ListView):
    permission = REVIEW_PERMISSION
    template_name = "grading/admin/queue.html"
    page_title = gettext_lazy("Grade submissions")
    header_icon = "tick"
    paginate_by = 50
    context_object_name = "submissions"

    def status(self) -> str:
        status = self.request.GET.get("status", Submission.Status.PENDING)
        return status if status in Submission.Status.values else Submission.Status.PENDING

    def get_queryset(self):
        return (
            Submission.objects.filter(status=self.status())
            .select_related("organisation", "scheme", "product")
            .order_by("submitted_at", "id")
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "statuses": Submission.Status.choices,
            "status": self.status(),
        }


class ReviewView(PermissionMixin, WagtailAdminTemplateMixin, View):
    """One submission with the server's recomputation and its history; approve, reject, or
    file the manufacturer's response to an approved grade."""

    permission = REVIEW_PERMISSION
    template_name = "grading/admin/review.html"
    page_title = gettext_lazy("Review a grade")
    header_icon = "tick"

    def get_submission(self, pk: int) -> Submission:
        return get_object_or_404(
            Submission.objects.select_related("organisation", "scheme", "product"), pk=pk
        )

    def get(self, request, pk: int):
        submission = self.get_submission(pk)
        scores = {code: Decimal(str(v)) for code, v in submission.scores.items()}
        context = {
            **self.get_context_data(),
            "submission": submission,
            "computed": scoring.compute(submission.scheme, scores),
            "history": log_registry.get_logs_for_instance(submission).select_related("user"),
        }
        return render(request, self.template_name, context)

    def post(self, request, pk: int):
        submission = self.get_submission(pk)
        action = request.POST.get("action")
        try:
            if action == "approve":
                review.approve(submission, request.user)
            elif action == "reject":
                review.reject(submission, request.user, request.POST.get("reason", ""))
            elif action == "respond":
                review.file_response(submission, request.user, request.POST.get("response", ""))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("grading_review", pk=pk)
        messages.success(request, _("Saved."))
        return redirect(reverse("grading_queue") if action != "respond" else request.path)


class IssueTokenForm(forms.Form):
    organisation = forms.ModelChoiceField(
        GraderOrganisation.objects.filter(is_active=True), label=gettext_lazy("Organisation")
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)


class TokenAdminView(PermissionMixin, WagtailAdminTemplateMixin, View):
    """All organisations' tokens; issue one (the secret is shown once) or revoke one."""

    permission = TOKEN_PERMISSION
    template_name = "grading/admin/tokens.html"
    page_title = gettext_lazy("Grader API tokens")
    header_icon = "key"

    def get(self, request, form: IssueTokenForm | None = None, secret: str | None = None):
        context = {
            **self.get_context_data(),
            "tokens": ApiToken.objects.select_related("organisation", "created_by"),
            "form": form or IssueTokenForm(),
            "secret": secret,
        }
        # A secret shown once stays out of caches and Referer headers.
        return private(render(request, self.template_name, context))

    def post(self, request):
        if "revoke" in request.POST:
            token = get_object_or_404(ApiToken, pk=request.POST["revoke"])
            token.revoke()
            audit.record(token, "grading.token_revoke", user=request.user)
            messages.success(request, _("Token %(token)s revoked.") % {"token": token})
            return redirect("grading_tokens")
        form = IssueTokenForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        token, secret = ApiToken.issue(
            form.cleaned_data["organisation"], form.cleaned_data["name"], user=request.user
        )
        audit.record(token, "grading.token_issue", user=request.user)
        return self.get(request, secret=secret)
