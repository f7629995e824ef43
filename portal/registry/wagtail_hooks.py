"""Admin for the registry: one snippet viewset per model, with filters and search."""

from django.utils.translation import gettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal.core.snippets import SnippetViewSet

from .models import (
    CreditFlag,
    District,
    Enterprise,
    Licence,
    LicenceStatusChange,
    Product,
    ProductBarcode,
    ProductCategory,
)
from .scoping import DistrictScopedViewSet


class EnterpriseViewSet(DistrictScopedViewSet):
    model = Enterprise
    icon = "site"
    list_display = ["name", "uscc", "district", "supervision_class", "updated_at"]
    list_filter = ["district", "supervision_class"]
    search_fields = ["name", "uscc", "address"]


class LicenceViewSet(DistrictScopedViewSet):
    model = Licence
    icon = "doc-full"
    list_display = ["number", "enterprise", "product_unit", "status", "expires_on"]
    list_filter = ["status", "issuer_level"]
    search_fields = ["number", "enterprise__name", "product_unit"]


class LicenceStatusChangeViewSet(DistrictScopedViewSet):
    model = LicenceStatusChange
    icon = "history"
    list_display = ["licence", "status", "changed_on", "reason"]
    list_filter = ["status"]
    search_fields = ["licence__number", "reason"]


class CreditFlagViewSet(DistrictScopedViewSet):
    model = CreditFlag
    icon = "warning"
    list_display = ["enterprise", "kind", "since", "source"]
    list_filter = ["kind"]
    search_fields = ["enterprise__name", "source"]


class ProductCategoryViewSet(SnippetViewSet):
    model = ProductCategory
    icon = "list-ul"
    list_display = ["code", "name", "edition", "parent", "is_key"]
    list_filter = ["edition", "is_key", *ProductCategory.GROUP_FLAGS]
    search_fields = ["code", "name", "name_zh_hant", "name_en"]
    inspect_view_enabled = True


class ProductViewSet(DistrictScopedViewSet):
    model = Product
    icon = "tag"
    list_display = ["name", "brand", "model_spec", "manufacturer", "category"]
    list_filter = ["category"]
    search_fields = ["name", "brand", "model_spec", "manufacturer__name", "barcodes__gtin"]


class ProductBarcodeViewSet(DistrictScopedViewSet):
    model = ProductBarcode
    icon = "tag"
    list_display = ["gtin", "product"]
    search_fields = ["gtin", "product__name"]


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "globe"
    list_display = ["code", "name", "name_zh_hant", "name_en"]
    search_fields = ["code", "name", "name_en"]


class RegistryGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Registry")
    menu_icon = "site"
    menu_order = 200
    items = (
        EnterpriseViewSet,
        LicenceViewSet,
        LicenceStatusChangeViewSet,
        CreditFlagViewSet,
        ProductViewSet,
        ProductBarcodeViewSet,
        ProductCategoryViewSet,
        DistrictViewSet,
    )


register_snippet(RegistryGroup)
