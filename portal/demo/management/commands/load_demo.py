import logging
import time
from contextlib import contextmanager

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from wagtail.models import Page, Site

from content.models import HomePage
from portal.demo.content import build_content, remove_notices
from portal.demo.generate import (
    DEFAULT_SEED,
    DemoSize,
    build_demo,
    registry_counts,
    registry_is_empty,
    reset_registry,
)
from portal.demo.grading import build_grading
from portal.demo.reports import build_reports
from portal.demo.subscriptions import build_subscriptions
from portal.demo.supervision import build_supervision
from portal.demo.surveys import build_survey
from portal.demo.translations import translate_demo
from portal.registry.catalogue import load_catalogue

HOME_INTRO = (
    "<p>上海市市场监督管理局发布产品质量监督抽查结果、风险警示和消费提示，"
    "公众可以按产品、品牌、企业、统一社会信用代码、许可证编号或条形码查询。</p>"
)
MIN_SCALE = 0.01  # below this some product types would have no maker or shop at all
logger = logging.getLogger(__name__)


class _AtDebug(logging.Handler):
    """Passes Wagtail's records on to this module's logger, INFO and below as DEBUG."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno <= logging.INFO:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


@contextmanager
def wagtail_logs_at_debug():
    """Wagtail logs every page it creates, edits, publishes or redirects at INFO: several
    hundred lines for the demo, which would bury the command's own summary. While the demo
    loads they go to the log at DEBUG instead (`LOG_LEVEL=DEBUG` shows them); warnings and
    errors keep their level."""
    wagtail = logging.getLogger("wagtail")
    handler, propagate = _AtDebug(), wagtail.propagate
    wagtail.addHandler(handler)
    wagtail.propagate = False
    try:
        yield
    finally:
        wagtail.removeHandler(handler)
        wagtail.propagate = propagate


class Command(BaseCommand):
    help = (
        "Load the demonstration content used by `make run`: the home page, the catalogue, "
        "a seeded registry of enterprises, products and spot checks, and the demo pages "
        "(notices, warnings, articles, a campaign, laws) with the editorial roles. Safe to "
        "run again: an existing registry is kept unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=(
                "Multiply enterprises (2,000), products (10,000), batches (200) and results "
                "(30,000); 33 gives about a million results. 0 loads only the home page and "
                "the catalogue."
            ),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "First delete every enterprise, licence, product, agency, spot check and "
                "grade submission (imported ones too: nothing marks demo rows). For "
                "development databases."
            ),
        )

    def handle(self, *args, **options):
        with wagtail_logs_at_debug():
            self._load(**options)

    def _load(self, **options):
        if options["reset"]:
            remove_notices()  # they protect the batches --reset deletes
        self._registry(**options)
        # Planner statistics for the tables just filled, which autovacuum gathers only later:
        # planned for empty tables, the supervision draw's join over a million products ran
        # for more than ten minutes instead of seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        build_supervision(self.stdout.write)  # after the registry: draws need its firms
        build_grading(options["seed"], self.stdout.write)  # grades the registry's products
        # Pages after the registry: notices link the demo batches.
        with transaction.atomic():
            build_content(self.stdout.write)
            build_reports(self.stdout.write)  # after the pages: one links a warning
            build_survey(self.stdout.write)
            call_command("setup_editorial", stdout=self.stdout)
            translate_demo(self.stdout.write)
            build_subscriptions(self.stdout.write)  # after the pages: alerts only for news

    def _registry(self, *, seed: int, scale: float, reset: bool, **options):
        if scale < 0 or 0 < scale < MIN_SCALE:
            raise CommandError(f"--scale must be 0 or at least {MIN_SCALE}.")
        # One transaction: an interrupted load leaves nothing behind that a later run would
        # mistake for a complete demo, and SQLite writes far faster inside one.
        with transaction.atomic():
            self._home_page()
            catalogue = load_catalogue()
            self.stdout.write(
                f"Catalogue: {catalogue['created']} categories created, "
                f"{catalogue['updated']} updated."
            )
            if reset:
                self.stdout.write("Deleting the registry and spot checks …")
                started = time.monotonic()
                reset_registry(self.stdout.write)
                self.stdout.write(f"Deleted in {time.monotonic() - started:.1f} s.")
            elif not registry_is_empty():
                counts = ", ".join(f"{n:,} {name}" for name, n in registry_counts().items())
                self.stdout.write(
                    f"The registry already holds data ({counts}); skipped. "
                    "Use --reset to rebuild it."
                )
                return
            size = DemoSize.for_scale(scale)
            if not size.enterprises:
                return
            self.stdout.write(f"Loading the demo registry (seed {seed}, scale {scale:g}) …")
            started = time.monotonic()
            written = build_demo(seed, size, self.stdout.write)
        summary = ", ".join(f"{n:,} {name}" for name, n in written.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo registry loaded in {time.monotonic() - started:.1f} s: {summary}."
            )
        )

    def _home_page(self) -> None:
        home = HomePage.original()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's initial migration leaves a placeholder "Welcome" page as the default
            # site's root; the demo home page takes its place.
            Site.objects.filter(is_default_site=True).delete()
            for placeholder in root.get_children().exact_type(Page):
                placeholder.delete()
            home = root.add_child(
                instance=HomePage(
                    title="安心 · 产品质量安全信息公开", slug="home", intro=HOME_INTRO
                )
            )
            self.stdout.write(self.style.SUCCESS("Created the home page."))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "安心"},
        )
