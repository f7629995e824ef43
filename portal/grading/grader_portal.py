"""The grader portal under /grader/: a grader organisation's own records, tokens and CSV upload.

Every view starts from the signed-in user's organisation, so another organisation's records
and tokens answer 404. Staff of the authority use the Wagtail admin instead.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from portal.core.http import private
from portal.core.text import plain_text

from . import audit, csvfile, intake, review
from .models import ApiToken, GraderOrganisation, Submission


class LoginView(auth_views.LoginView):
    template_name = "grading/portal/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("grader:submissions")


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("grader:login")


class GraderMixin(LoginRequiredMixin):
    """Signed-in members of a grader organisation only; `self.organisation` is theirs.

    A person in several organisations works for the first by name (rare; give them one account
    per organisation otherwise).
    """

    login_url = reverse_lazy("grader:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisation = (
                GraderOrganisation.objects.filter(users=request.user, is_active=True)
                .order_by("name")
                .first()
            )
            if self.organisation is None:
                raise PermissionDenied(_("You are not a member of a grader organisation."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "organisation": self.organisation}


class SubmissionListView(GraderMixin, ListView):
    template_name = "grading/portal/submissions.html"
    context_object_name = "submissions"
    paginate_by = 50

    def get_queryset(self):
        rows = Submission.objects.filter(organisation=self.organisation).select_related(
            "product", "scheme"
        )
        if self.request.GET.get("status") in Submission.Status.values:
            rows = rows.filter(status=self.request.GET["status"])
        return rows

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "statuses": Submission.Status.choices}


class WithdrawView(GraderMixin, View):
    def post(self, request, pk: int):
        submission = get_object_or_404(Submission, pk=pk, organisation=self.organisation)
        try:
            review.withdraw(submission, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            done = _("Record %(ref)s withdrawn.") % {"ref": submission.reference}
            messages.success(request, done)
        return HttpResponseRedirect(reverse("grader:submissions"))


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the new token"), max_length=100)


class TokenView(GraderMixin, View):
    """Lists the organisation's tokens and issues new ones; a secret is shown once, here."""

    def get(self, request, form: TokenForm | None = None, secret: str | None = None):
        page = render(
            request,
            "grading/portal/tokens.html",
            {
                "organisation": self.organisation,
                "tokens": ApiToken.objects.filter(organisation=self.organisation),
                "form": form or TokenForm(),
                "secret": secret,
            },
        )
        return private(page)  # a secret shown once stays out of caches and Referer headers

    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        token, secret = ApiToken.issue(
            self.organisation, plain_text(form.cleaned_data["name"]), user=request.user
        )
        audit.record(token, "grading.token_issue", user=request.user)
        return self.get(request, secret=secret)


class RevokeTokenView(GraderMixin, View):
    def post(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, organisation=self.organisation)
        token.revoke()
        audit.record(token, "grading.token_revoke", user=request.user)
        messages.success(request, _("Token %(token)s revoked.") % {"token": token})
        return HttpResponseRedirect(reverse("grader:tokens"))


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.GRADING_MAX_BODY_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)d KB.")
                % {"limit": settings.GRADING_MAX_BODY_BYTES // 1024}
            )
        return csvfile.records_from_csv(upload.read())


class UploadView(GraderMixin, View):
    """Rows are judged like API records: valid ones accepted, invalid ones listed by line."""

    template = "grading/portal/upload.html"

    def get(self, request):
        return render(request, self.template, {"form": UploadForm(), **self.context()})

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template, {"form": form, **self.context()}, status=400)
        result = intake.submit(
            form.cleaned_data["file"],
            self.organisation,
            source=Submission.Source.CSV,
            user=request.user,
        )
        for item in result["results"]:
            item["line"] = item["index"] + 1 + csvfile.HEADER_ROWS
        return render(
            request, self.template, {"form": UploadForm(), "result": result, **self.context()}
        )

    def context(self) -> dict:
        return {
            "organisation": self.organisation,
            "max_rows": intake.MAX_BATCH,
            "score_prefix": csvfile.SCORE_PREFIX,
        }
