"""Admin views of a draw: its listing and inspect page with the next step offered, and the
confirmation pages of the two steps (commit, run), which need the `run_draw` permission."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.snippets.views import snippets as snippet_views

from . import algorithm, draws
from .draws import class_label
from .models import Draw

RUN_PERMISSION = "supervision.run_draw"


class StepLinks:
    """The next step of a draw and its public page, as buttons; set up by `DrawViewSet`."""

    commit_url_name: str | None = None
    run_url_name: str | None = None

    def step_buttons(self, draw: Draw) -> list[Button]:
        buttons = []
        next_step = {
            Draw.State.DRAFT: (self.commit_url_name, _("Commit and publish the commitment…")),
            Draw.State.COMMITTED: (self.run_url_name, _("Run the draw…")),
        }.get(draw.state)
        if next_step and self.request.user.has_perm(RUN_PERMISSION):
            url_name, label = next_step
            buttons.append(
                Button(label, url=reverse(url_name, args=[draw.pk]), icon_name="resubmit")
            )
        if draw.state != Draw.State.DRAFT:
            buttons.append(Button(_("Public page"), url=draw.get_absolute_url(), icon_name="view"))
        return buttons


class DrawIndexView(StepLinks, snippet_views.IndexView):
    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if instance.state == Draw.State.DRAFT else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if instance.state == Draw.State.DRAFT else None

    def get_list_more_buttons(self, instance):
        return [*super().get_list_more_buttons(instance), *self.step_buttons(instance)]


class DrawInspectView(StepLinks, snippet_views.InspectView):
    @cached_property
    def header_buttons(self):
        return self.step_buttons(self.object)

    def get_edit_url(self):
        return super().get_edit_url() if self.object.state == Draw.State.DRAFT else None

    def get_delete_url(self):
        return super().get_delete_url() if self.object.state == Draw.State.DRAFT else None

    def get_seed_display_value(self):
        if self.object.state == Draw.State.DRAWN:
            return self.object.seed
        return _("hidden until the draw runs")


class DrawStepView(WagtailAdminTemplateMixin, TemplateView):
    """Shows what a step will do and asks for confirmation; the POST performs it."""

    template_name = "supervision/admin/confirm_step.html"
    header_icon = "resubmit"
    inspect_url_name: str | None = None
    from_state: str
    submit_label: str
    warning: str
    success_message: str

    def dispatch(self, request, pk: int):
        if not request.user.has_perm(RUN_PERMISSION):
            raise PermissionDenied
        self.draw = get_object_or_404(Draw, pk=pk)
        if self.draw.state != self.from_state:
            messages.error(
                request,
                _("This draw is %(state)s; that step is not possible now.")
                % {"state": self.draw.get_state_display()},
            )
            return redirect(self.inspect_url_name, self.draw.pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.draw)

    def summary(self) -> tuple[dict, dict, list[str]]:
        """The inputs the step works on, the counts per class, and what prevents the step."""
        raise NotImplementedError

    def perform(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        inputs, classes, problems = self.summary()
        return {
            **super().get_context_data(**kwargs),
            "draw": self.draw,
            "classes": [
                {"label": class_label(c), "ratio": inputs["ratios"][c], **classes[c]}
                for c in algorithm.CLASSES
            ],
            "pool": len(inputs["inspectors"]),
            "excluded": len(inputs["excluded_pairs"]),
            "problems": problems,
        }

    def post(self, request, pk: int):
        try:
            self.perform()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(request.path)
        messages.success(request, self.success_message)
        return redirect(self.inspect_url_name, self.draw.pk)


class CommitView(DrawStepView):
    page_title = gettext_lazy("Commit the draw")
    from_state = Draw.State.DRAFT
    submit_label = gettext_lazy("Commit and publish")
    warning = gettext_lazy(
        "After the commit the draw can no longer be changed or deleted. Its commitment and the "
        "candidate list are published at once; the seed stays secret until the draw runs."
    )
    success_message = gettext_lazy(
        "The draw is committed: its commitment and candidate list are public."
    )

    def summary(self):
        preparation = draws.prepare(self.draw)
        return preparation.inputs, preparation.classes, preparation.problems

    def perform(self):
        draws.commit(self.draw, self.request.user)


class RunView(DrawStepView):
    page_title = gettext_lazy("Run the draw")
    from_state = Draw.State.COMMITTED
    submit_label = gettext_lazy("Run the draw")
    warning = gettext_lazy(
        "The draw uses the committed seed and inputs. The seed and the result are published at "
        "once; this cannot be undone."
    )
    success_message = gettext_lazy("The draw has run: the seed and the result are public.")

    def summary(self):
        inputs = self.draw.inputs
        return inputs, algorithm.plan(algorithm.DrawInputs.from_json(inputs)), []

    def perform(self):
        draws.run(self.draw, self.request.user)
