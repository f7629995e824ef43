"""The pages the authority publishes, and the listing page of each kind.

Every published page comes from an editor through the moderation workflow (see
`content/management/commands/setup_editorial.py`); registry data (batches, results,
categories) is linked, never copied, so a corrected batch corrects its notice.
"""

from .articles import (
    ArticleIndexPage,
    CampaignIndexPage,
    CampaignPage,
    EducationArticlePage,
    RegulationIndexPage,
    RegulationPage,
)
from .base import PAGE_SIZE, live_in
from .home import DistrictPage, HomePage
from .notices import NoticeIndexPage, SpotCheckNoticePage
from .risk_warnings import (
    WARNINGS_FOOT_HOOK,
    AffectedProduct,
    Hazard,
    RiskLevel,
    RiskWarningPage,
    WarningHazard,
    WarningIndexPage,
    WarningMeasure,
    WarningRelatedResult,
    WarningUpdate,
)

__all__ = [
    "PAGE_SIZE",
    "WARNINGS_FOOT_HOOK",
    "AffectedProduct",
    "ArticleIndexPage",
    "CampaignIndexPage",
    "CampaignPage",
    "DistrictPage",
    "EducationArticlePage",
    "Hazard",
    "HomePage",
    "NoticeIndexPage",
    "RegulationIndexPage",
    "RegulationPage",
    "RiskLevel",
    "RiskWarningPage",
    "SpotCheckNoticePage",
    "WarningHazard",
    "WarningIndexPage",
    "WarningMeasure",
    "WarningRelatedResult",
    "WarningUpdate",
    "live_in",
]
