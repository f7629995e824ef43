from django.core.management.base import BaseCommand
from wagtail.models import Site

from portal.core.site import sync_default_site


class Command(BaseCommand):
    help = (
        "Point Wagtail's default site at PORTAL_BASE_URL (host and scheme of canonical, "
        "sitemap and feed links). Runs after every `migrate`; nothing to do without the variable."
    )

    def handle(self, *args, **options):
        changed = sync_default_site()
        site = Site.objects.filter(is_default_site=True).first()
        where = site.root_url if site else "no default site yet"
        self.stdout.write(f"Default site: {where}" + (" (updated)" if changed else ""))
