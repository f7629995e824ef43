"""Awareness surveys (知晓度调查, plan item 18): a short quiz, its anonymous answers.

Nothing personal is stored: a response is its answers, its time and a random token (the
answer form's, so a form sent twice is stored once). Answers point at the question and the
option chosen; once a survey has answers its questions and options are frozen (see
`forms.SurveyAdminForm`), so results keep meaning what was asked.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from .forms import SurveyAdminForm

MAX_QUESTIONS = 20
MAX_OPTIONS = 6


class SurveyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Survey(ClusterableModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_("The survey is answered at /surveys/<address>/."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    opens_on = models.DateField(_("opens on"), default=timezone.localdate)
    closes_on = models.DateField(
        _("closes on"),
        null=True,
        blank=True,
        help_text=_("The last day answers are accepted; empty: no end date."),
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published surveys, and their results, are public."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SurveyQuerySet.as_manager()

    base_form_class = SurveyAdminForm
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
        FieldPanel("published"),
        InlinePanel("questions", label=_("questions"), min_num=1, max_num=MAX_QUESTIONS),
    ]

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("awareness survey")
        verbose_name_plural = _("awareness surveys")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey", args=[self.slug])

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today and (self.closes_on is None or today <= self.closes_on)

    def has_opened(self, today: datetime.date | None = None) -> bool:
        return self.opens_on <= (today or timezone.localdate())


class Question(Orderable, ClusterableModel):
    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    explanation = models.TextField(
        _("explanation"), help_text=_("Shown after answering: why the correct answer is right.")
    )

    panels = [
        FieldPanel("text"),
        InlinePanel("options", label=_("answers"), min_num=2, max_num=MAX_OPTIONS),
        FieldPanel("explanation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class Option(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("answer"), max_length=200)
    is_correct = models.BooleanField(_("correct answer"), default=False)

    panels = [FieldPanel("text"), FieldPanel("is_correct")]

    class Meta(Orderable.Meta):
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One citizen's answers to one survey, anonymous."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses")
    token = models.CharField(
        max_length=40,
        unique=True,
        editable=False,
        help_text="The answer form's one-time token: a form sent twice is stored once.",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["survey", "submitted_at"])]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        submitted = date_format(timezone.localtime(self.submitted_at), "DATETIME_FORMAT")
        return f"{self.survey} · {submitted}"


class Answer(models.Model):
    # RESTRICT, not CASCADE: a question or option cannot be deleted under its answers, but a
    # whole survey can (its answers go with its responses).
    response = models.ForeignKey(SurveyResponse, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.RESTRICT, related_name="answers")
    option = models.ForeignKey(Option, models.RESTRICT, related_name="answers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]
        verbose_name = _("answer given")
        verbose_name_plural = _("answers given")

    def __str__(self) -> str:
        return f"{self.question_id} → {self.option_id}"
