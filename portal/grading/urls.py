from django.urls import path

from . import api, grader_portal, public

api_urlpatterns = [
    path("submissions/", api.SubmissionsView.as_view(), name="submissions"),
    path("submissions/<int:pk>/", api.SubmissionDetailView.as_view(), name="submission"),
    path("submissions/<int:pk>/withdraw/", api.WithdrawView.as_view(), name="withdraw"),
    path("schemes/", api.SchemesView.as_view(), name="schemes"),
]

public_urlpatterns = [
    path("", public.SchemeListView.as_view(), name="report_index"),
    path("<slug:code>/v<int:version>/", public.SchemeReportView.as_view(), name="report"),
    path("compare/<str:scheme_id>/<str:category_id>/", public.comparison_table, name="compare"),
    path(
        "compare/<str:scheme_id>/<str:category_id>/side-by-side/",
        public.side_by_side,
        name="side_by_side",
    ),
]

portal_urlpatterns = [
    path("", grader_portal.SubmissionListView.as_view(), name="submissions"),
    path("login/", grader_portal.LoginView.as_view(), name="login"),
    path("logout/", grader_portal.LogoutView.as_view(), name="logout"),
    path("tokens/", grader_portal.TokenView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", grader_portal.RevokeTokenView.as_view(), name="revoke"),
    path("upload/", grader_portal.UploadView.as_view(), name="upload"),
    path("<int:pk>/withdraw/", grader_portal.WithdrawView.as_view(), name="withdraw"),
]
