"""The editors' survey form (admin) and the citizens' answer form (public)."""

from __future__ import annotations

import re
import secrets

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

TOKEN_SALT = "portal.surveys.answer-form"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 24 * 3600  # seconds an answer form stays valid
QUESTION_FIELD = re.compile(r"question-\d+")


def _kept(formset) -> list:
    """The forms of a validated inline formset that will be saved: not deleted, not blank."""
    deleted = formset.deleted_forms
    return [f for f in formset.forms if f not in deleted and (f.instance.pk or f.has_changed())]


class SurveyAdminForm(WagtailAdminModelForm):
    """Checks what the inline panels cannot: one correct answer per question, dates in order,
    and no change to questions or answers once citizens have answered."""

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("A survey cannot close before it opens."))
        questions = self.formsets.get("questions")
        if questions is None:
            return cleaned
        if self.instance.pk and self.instance.responses.exists() and questions.has_changed():
            raise ValidationError(
                _(
                    "Citizens have answered this survey, so its questions and answers can no "
                    "longer change: the results must keep meaning what was asked. Create a new "
                    "survey instead; the title, introduction, dates and publication can still "
                    "change."
                ),
                code="survey_answered",
            )
        if questions.is_valid():
            errors = []
            for question in _kept(questions):
                options = question.formsets["options"]
                correct = sum(1 for o in _kept(options) if o.cleaned_data.get("is_correct"))
                if correct != 1:
                    errors.append(
                        ValidationError(
                            _("“%(question)s”: mark exactly one answer as correct."),
                            code="one_correct_answer",
                            params={"question": question.cleaned_data.get("text", "")},
                        )
                    )
            if errors:
                raise ValidationError(errors)
        return cleaned


def new_token() -> str:
    """A signed one-time token for an answer form."""
    return signing.dumps(secrets.token_urlsafe(16), salt=TOKEN_SALT)


class AnswerForm(forms.Form):
    """One radio group per question of one survey, and the form's signed token.

    Every check is here, so that a refused form stores nothing: a missing answer, an option
    of another question, a field for a question of another survey, a changed or expired
    token.
    """

    use_required_attribute = False  # the server's messages, the same in every browser
    token = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("This form is incomplete. Reload the page.")},
    )

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"question-{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(option.pk, option.text) for option in question.options.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer to this question."),
                    "invalid_choice": _("Choose one of the answers offered for this question."),
                },
            )

    def question_fields(self):
        return [self[f"question-{question.pk}"] for question in self.questions]

    def clean_token(self) -> str:
        try:
            return signing.loads(self.cleaned_data["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.SignatureExpired as error:
            raise ValidationError(
                _("This form is more than a day old. Reload the page and answer again."),
                code="expired",
            ) from error
        except signing.BadSignature as error:
            raise ValidationError(
                _("This form was changed or does not come from this site. Reload the page."),
                code="bad_token",
            ) from error

    def clean(self):
        cleaned = super().clean()
        foreign = [k for k in self.data if QUESTION_FIELD.fullmatch(k) and k not in self.fields]
        if foreign:
            raise ValidationError(
                _(
                    "Some answers are for questions that are not in this survey. Reload the "
                    "page and answer again."
                ),
                code="foreign_question",
            )
        return cleaned

    def choices(self) -> list[tuple[int, int]]:
        """(question id, option id) of every answer, after `is_valid()`."""
        return [(q.pk, self.cleaned_data[f"question-{q.pk}"]) for q in self.questions]
