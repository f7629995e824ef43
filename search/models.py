import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from portal.core.text import normalise


class PendingIndexUpdate(models.Model):
    """The outbox: a row per changed enterprise or product, written in the same transaction
    as the change, deleted only once the engine has taken the new document. While the engine
    is down rows wait here, so nothing is lost; a periodic task retries."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise"
        PRODUCT = "product"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


# Editors write a group the way they would on paper: 充电宝，移动电源、power bank, or one a line.
TERM_SEPARATORS = re.compile(r"[,，、\r\n]+")
MAX_TERM_LENGTH = 20


def split_terms(text: str | None) -> list[str]:
    """The distinct terms of a group, normalised as queries are (so 電飯煲 meets 电饭煲)."""
    terms = (normalise(part) for part in TERM_SEPARATORS.split(text or ""))
    return list(dict.fromkeys(term for term in terms if term))


class SynonymGroup(RevisionMixin, models.Model):
    """Names of one product that citizens take to mean the same thing (充电宝 / 移动电源).

    The lookup adds the other names of a group to a query that contains one of them
    (`search.synonyms`, decision 0008); revisions give editors the history of a group."""

    terms = models.TextField(
        _("terms"),
        help_text=_(
            "Names of one product that a citizen would accept as the same thing, separated "
            "by commas, 、 or new lines, e.g. 充电宝，移动电源，power bank."
        ),
    )
    normalised_terms = models.JSONField(default=list, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    enabled = models.BooleanField(
        _("in use"), default=True, help_text=_("Only groups in use change lookups.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["pk"]

    def __str__(self) -> str:
        return "、".join(self.normalised_terms or split_terms(self.terms))

    def save(self, *args, **kwargs):
        self.normalised_terms = split_terms(self.terms)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        terms = split_terms(self.terms)
        errors = []
        if len(terms) < 2:
            errors.append(_("A group needs at least two different terms."))
        too_long = [term for term in terms if len(term) > MAX_TERM_LENGTH]
        if too_long:
            errors.append(
                _("A term has at most %(max)d characters: %(terms)s")
                % {"max": MAX_TERM_LENGTH, "terms": "、".join(too_long)}
            )
        if self.enabled:
            errors += self._conflicts(terms)
        if errors:
            raise ValidationError({"terms": errors})

    def _conflicts(self, terms: list[str]) -> list[str]:
        """A term may be in one group in use only: otherwise a query would join two groups."""
        wanted = set(terms)
        others = SynonymGroup.objects.filter(enabled=True).exclude(pk=self.pk)
        return [
            _("“%(term)s” is already in the group “%(group)s”.") % {"term": term, "group": other}
            for other in others.only("normalised_terms", "terms")
            for term in other.normalised_terms
            if term in wanted
        ]
