from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, register_converter
from django.views.generic import RedirectView

from lantern.api.views import api
from lantern.chronology import views as chronology_views
from lantern.health import pages as health_pages
from lantern.health import views as health_views
from lantern.screening import views as screening_views
from lantern.web import second_factor, views


class RefConverter:
    """A record's reference, ``<source>:<id>``."""

    regex = r"[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RefConverter, "ref")

admin.site.site_header = "Lantern administration"
admin.site.site_title = "Lantern administration"
admin.site.login = RedirectView.as_view(pattern_name="sign-in", query_string=True)  # type: ignore[method-assign,assignment]

urlpatterns = [
    path("", views.my_children, name="my-children"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("sign-in/code/", second_factor.code_enter, name="sign-in-code"),
    path("sign-in/code/set-up/", second_factor.code_set_up, name="sign-in-code-set-up"),
    path("sign-in/code/set-up/qr.svg", second_factor.code_set_up_picture, name="sign-in-code-set-up-picture"),
    path("healthz", views.health_check, name="health-check"),
    path("search/", views.search, name="search"),
    path("children/<ref:ref>/", views.child_overview_page, name="child-overview"),
    path("children/<ref:ref>/access-log/", views.child_access_log, name="child-access-log"),
    path("children/<ref:ref>/chronology/", chronology_views.chronology, name="chronology"),
    path("children/<ref:ref>/chronology.csv", chronology_views.chronology_csv, name="chronology-csv"),
    path(
        "children/<ref:ref>/chronology.pdf", chronology_views.chronology_pdf_download, name="chronology-pdf"
    ),
    path("children/<ref:ref>/observations/new/", chronology_views.observation_new, name="record-observation"),
    path("children/<ref:ref>/home-visits/new/", chronology_views.home_visit_new, name="record-home-visit"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("fhir/Bundle", health_views.bundle_receive, name="fhir-bundle"),
    path("health/", health_pages.feeds, name="health-feeds"),
    path("health/systems/<int:system_id>/tokens/", health_pages.token_issue, name="health-token-issue"),
    path("health/tokens/<int:token_id>/revoke/", health_pages.token_revoke, name="health-token-revoke"),
    path("health/messages/<int:message_id>/replay/", health_pages.replay, name="health-replay"),
    path("health/unmatched/", health_pages.unmatched, name="health-unmatched"),
    path("health/unmatched/<int:patient_id>/", health_pages.resolve, name="health-resolve"),
    path("notifications/", health_pages.notifications, name="notifications"),
    path("alerts/", screening_views.worklist_page, name="worklist"),
    path("alerts/<int:alert_id>/", screening_views.alert_page, name="alert"),
]

handler404 = "lantern.web.views.page_not_found"
handler500 = "lantern.web.views.server_error"
