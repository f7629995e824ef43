"""What every content page builds on: the language-tree filter, translated inline rows, the
product-category and campaign fields, and the listing page each kind of page has."""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from portal.core.params import IdField, QueryForm
from portal.registry.models import ProductCategory

PAGE_SIZE = 10


def live_in(model: type[Page], locale_id: int):
    """The live, public pages of one kind in one language's tree: every page exists once per
    language (translated, or an alias of the original until it is), so lists take one tree."""
    return model.objects.live().public().filter(locale_id=locale_id)


class TranslatableChild(TranslatableMixin, Orderable):
    """An inline row of a page whose text is translated with the page (wagtail-localize
    translates child rows only when they carry a locale and a translation key)."""

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        abstract = True


class CategorisedPage(Page):
    """A page that can belong to product categories and campaigns: feeds and listings filter
    on them, and a campaign page gathers the pages that name it."""

    category = models.ForeignKey(
        "registry.ProductCategory",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product category"),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown in listings."))
    campaigns = ParentalManyToManyField(
        "content.CampaignPage", blank=True, related_name="+", verbose_name=_("campaigns")
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("campaigns", widget=CheckboxSelectMultiple),
    ]

    class Meta:
        abstract = True


class ListingPage(Page):
    """A listing of every live page of one kind, with filters and pagination.

    It lists pages of its kind wherever they are in the tree: most sit under the listing,
    district editors' pages under their `DistrictPage`. Subclasses name the model and the
    filters they accept: `filters` maps a GET parameter to the ORM lookup it filters on.
    """

    intro = RichTextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    child_model: type[Page]
    filters: dict[str, str] = {}
    ordering = ("-first_published_at",)

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        # Wagtail names a template per class; every listing shares one.
        return "content/listing_page.html"

    def children(self):
        return (
            live_in(self.child_model, self.locale_id)
            .select_related(*self.child_related())
            .order_by(*self.ordering)
        )

    def child_related(self) -> tuple[str, ...]:
        return ("category",)

    def filter_choices(self) -> dict[str, list[tuple[str, str]]]:
        """The choices of each filter shown as a select; a product category filter offers
        only the categories that live pages of this kind have."""
        if "category" not in self.filters:
            return {}
        used = (
            live_in(self.child_model, self.locale_id)
            .filter(category__isnull=False)
            .values("category")
        )
        categories = ProductCategory.objects.filter(pk__in=used).order_by("code")
        return {"category": [(str(c.pk), c.name) for c in categories]}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        choices = self.filter_choices()
        params = filter_form(choices)(request.GET)
        chosen = {name: str(v) for name, v in params.chosen.items() if name in self.filters}
        items = self.children()
        for parameter, value in chosen.items():
            items = items.filter(**{self.filters[parameter]: value}).distinct()
        context.update(
            items=Paginator(items, PAGE_SIZE).get_page(params.chosen.get("page")),
            chosen=chosen,
            filter_choices=choices,
            query_string=params.query_string(),
            params_note=params.note,
            item_template=self.child_model.listing_template,
        )
        return context


FILTER_LABELS = {
    "year": _("Year"),
    "level": _("Level"),
    "hazard": _("Hazard"),
    "kind": _("Kind"),
    "category": _("Product category"),
}


def filter_form(choices: dict[str, list[tuple[str, str]]]) -> type[QueryForm]:
    """The form of a listing's filters, so that `?year=abc` is ignored (with a note), never
    sent to the ORM. A well-formed id or year that no page has filters to an empty list (it
    may have pages tomorrow); the other filters are fixed lists, anything else is malformed."""
    fields = {}
    for name, options in choices.items():
        label = FILTER_LABELS[name]
        if name == "category":
            fields[name] = IdField(label=label, required=False)
        elif name == "year":
            fields[name] = forms.IntegerField(
                label=label, min_value=1900, max_value=9999, required=False
            )
        else:
            fields[name] = forms.ChoiceField(
                label=label, choices=[("", ""), *options], required=False
            )
    return type("ListingFilterForm", (QueryForm,), fields)
