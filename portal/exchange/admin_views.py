"""The review queue of partners' items: nothing a partner sends is public until accepted here.

Items are not snippets: they change only by a new version from the partner or by a
decision, and every decision is in the audit log with who and when.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry

from portal.core.permissions import PermissionMixin

from .models import PartnerItem

REVIEW_PERMISSION = "exchange.review_partneritem"
ACTIONS = {
    "exchange.accept": "接受合作地区信息 Partner item accepted",
    "exchange.reject": "拒绝合作地区信息 Partner item rejected",
}


class QueueView(PermissionMixin, WagtailAdminTemplateMixin, ListView):
    permission = REVIEW_PERMISSION
    template_name = "exchange/admin/queue.html"
    page_title = gettext_lazy("Items from partner regions")
    header_icon = "globe"
    paginate_by = 50
    context_object_name = "items"

    def choice(self, name: str, values, default: str) -> str:
        value = self.request.GET.get(name, default)
        return value if value in values else default

    def get_queryset(self):
        self.status = self.choice("status", PartnerItem.Status.values, PartnerItem.Status.PENDING)
        self.kind = self.choice("kind", PartnerItem.Kind.values, PartnerItem.Kind.WARNING)
        return (
            PartnerItem.objects.filter(status=self.status, kind=self.kind)
            .select_related("partner", "decided_by")
            .defer("data")
            .order_by("changed_at", "id")
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "statuses": PartnerItem.Status.choices,
            "kinds": PartnerItem.Kind.choices,
            "status": self.status,
            "kind": self.kind,
        }


class ReviewView(PermissionMixin, WagtailAdminTemplateMixin, View):
    """One item as received (and as shown now, when an update waits); accept or reject."""

    permission = REVIEW_PERMISSION
    template_name = "exchange/admin/review.html"
    page_title = gettext_lazy("Review an item from a partner region")
    header_icon = "globe"

    def get(self, request, pk: int):
        item = get_object_or_404(PartnerItem.objects.select_related("partner"), pk=pk)
        context = {
            **self.get_context_data(),
            "item": item,
            "received": item.received,
            "shown": item.shown if item.is_update else None,
            "history": log_registry.get_logs_for_instance(item).select_related("user"),
        }
        return render(request, self.template_name, context)

    def post(self, request, pk: int):
        item = get_object_or_404(PartnerItem, pk=pk)
        action = request.POST.get("action")
        if action == "accept":
            item.accept(request.user)
        elif action == "reject":
            item.reject(request.user)
        else:
            raise PermissionDenied
        log(item, f"exchange.{action}", user=request.user, data={"remote_id": item.remote_id})
        messages.success(request, _("Saved."))
        return redirect("exchange_queue")
