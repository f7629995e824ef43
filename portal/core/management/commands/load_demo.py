from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from content.models import HomePage

HOME_INTRO = (
    "<p>上海市市场监督管理局发布产品质量监督抽查结果、风险警示和消费提示，"
    "公众可以按产品、品牌、企业、统一社会信用代码、许可证编号或条形码查询。</p>"
)


class Command(BaseCommand):
    help = "Load the demonstration content used by `make run`. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        home = HomePage.objects.first()
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
