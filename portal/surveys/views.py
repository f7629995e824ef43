"""Public survey pages: the list, answering, and the results.

Answering needs no account and keeps nothing personal. One submission per browser session:
a signed session cookie remembers which surveys this browser answered (and the random token
of its submission, to show its answers again); the form's signed one-time token is unique in
the database, so a form sent twice is stored once even without the cookie. Submissions are
also counted per client address with `portal.core.ratelimit`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.core import ratelimit
from portal.core.site import absolute_url

from . import charts, results
from .forms import AnswerForm, new_token
from .models import Answer, Survey, SurveyResponse

COOKIE = "anxin_surveys"
COOKIE_SALT = "portal.surveys.answered"
REMEMBERED = 20  # surveys a browser session remembers
#: Submissions per client address; a school or office behind one address shares it.
MAX_BODY_BYTES = 16 * 1024  # a survey's answers are a few hundred bytes
ALREADY_ANSWERED = gettext_lazy(
    "This survey was already answered in this browser session; it was not stored again."
)


@dataclass(frozen=True)
class Reviewed:
    """A question as answered: shown with the correct answer and its explanation."""

    question: object  # Question, its options prefetched
    chosen_id: int | None

    @property
    def options(self) -> list:
        return list(self.question.options.all())

    @property
    def right(self) -> bool:
        return any(o.is_correct and o.pk == self.chosen_id for o in self.options)


@require_GET
def index(request):
    surveys = Survey.objects.published()
    return render(
        request,
        "surveys/index.html",
        {"surveys": surveys, "canonical_url": absolute_url(request, request.path)},
    )


@never_cache  # the page depends on this browser's cookie
@require_http_methods(["GET", "POST"])
def survey_page(request, slug: str):
    survey = get_object_or_404(Survey.objects.published(), slug=slug)
    questions = list(survey.questions.prefetch_related("options"))
    answered = answered_surveys(request)
    if request.method == "POST":
        return _submit(request, survey, questions, answered)
    submission = _own_submission(survey, answered)
    if submission is not None:
        chosen = {answer.question_id: answer.option_id for answer in submission.answers.all()}
        review = [Reviewed(question, chosen.get(question.pk)) for question in questions]
        return _page(request, survey, review=review, score=sum(r.right for r in review))
    if not survey.is_open():
        return _page(request, survey)
    return _page(request, survey, form=AnswerForm(questions), token=new_token())


@require_GET
def survey_results(request, slug: str):
    survey = get_object_or_404(Survey.objects.published(), slug=slug)
    questions = list(survey.questions.prefetch_related("options"))
    figures = results.by_question(survey, questions)
    months = results.by_month(survey)
    context = {
        "survey": survey,
        "responses": survey.responses.count(),
        "figures": [(figure, charts.options_chart(figure)) for figure in figures],
        "months": months,
        "month_chart": charts.monthly_chart(months) if months else None,
        "canonical_url": absolute_url(request, request.path),
    }
    return render(request, "surveys/results.html", context)


def _submit(request, survey: Survey, questions: list, answered: dict[int, str]):
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
        return _refuse(request, survey, 413, _("What was sent is far larger than this form."))
    rate = settings.SURVEY_RATE_LIMIT
    address = ratelimit.address_of(request)
    verdict = ratelimit.hit("survey-rate", address, rate)
    if not verdict.allowed:
        minutes = -(-verdict.retry_after // 60)
        message = _(
            "Too many answers were sent from your network. Try again in %(minutes)d minutes."
        ) % {"minutes": minutes}
        response = _refuse(request, survey, 429, message)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if survey.pk in answered:
        return _refuse(request, survey, 409, ALREADY_ANSWERED)
    if not survey.is_open():
        return _refuse(request, survey, 403, _("This survey is not open for answers."))
    form = AnswerForm(questions, request.POST)
    if not form.is_valid():
        token = new_token() if "token" in form.errors else request.POST.get("token")
        return _page(request, survey, form=form, token=token, status=400)
    try:
        with transaction.atomic():
            submission = SurveyResponse.objects.create(
                survey=survey, token=form.cleaned_data["token"]
            )
            Answer.objects.bulk_create(
                Answer(response=submission, question_id=question, option_id=option)
                for question, option in form.choices()
            )
    except IntegrityError:  # this form was already sent
        return _refuse(request, survey, 409, ALREADY_ANSWERED)
    response = HttpResponseRedirect(survey.get_absolute_url())
    response.status_code = 303  # see the answers with a GET, so reloading sends nothing
    remember(request, response, answered, survey.pk, submission.token)
    return response


def _page(request, survey: Survey, *, status: int = 200, **context):
    context.update(survey=survey, canonical_url=absolute_url(request, survey.get_absolute_url()))
    return render(request, "surveys/survey.html", context, status=status)


def _refuse(request, survey: Survey, status: int, message: str):
    return _page(request, survey, status=status, message=message)


def answered_surveys(request) -> dict[int, str]:
    """Survey id → submission token, from this browser session's signed cookie."""
    value = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    pairs = (item.split(":", 1) for item in value.split(",") if ":" in item)
    return {int(key): token for key, token in pairs if key.isdigit()}


def remember(request, response, answered: dict[int, str], survey_id: int, token: str) -> None:
    """Add a survey to the cookie: a session cookie (no expiry), signed, not for scripts."""
    answered = {**answered, survey_id: token}
    kept = list(answered.items())[-REMEMBERED:]
    response.set_signed_cookie(
        COOKIE,
        ",".join(f"{key}:{value}" for key, value in kept),
        salt=COOKIE_SALT,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _own_submission(survey: Survey, answered: dict[int, str]) -> SurveyResponse | None:
    token = answered.get(survey.pk)
    if not token:
        return None
    return survey.responses.filter(token=token).prefetch_related("answers").first()
