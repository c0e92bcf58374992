from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from lantern.api.views import api
from lantern.assessments import views as assessment_views
from lantern.casework import views as casework_views
from lantern.chronology import views as chronology_views
from lantern.health import pages as health_pages
from lantern.health import views as health_views
from lantern.retention import views as retention_views
from lantern.screening import views as screening_views
from lantern.sharing import views as sharing_views
from lantern.web import second_factor, views


class RefConverter:
    """A record's reference, ``<source>:<id>``."""

    regex = r"[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RefConverter, "ref")


class PlanPartConverter:
    """The parts of a plan added and changed one at a time."""

    regex = "outcomes|actions|agreements"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PlanPartConverter, "plan_part")

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
    path("sign-in/recovery-code/", second_factor.recovery_code_enter, name="sign-in-recovery-code"),
    path("account/recovery-codes/", second_factor.recovery_codes, name="recovery-codes"),
    path("healthz", views.health_check, name="health-check"),
    path("search/", views.search, name="search"),
    path("children/<ref:ref>/", views.child_overview_page, name="child-overview"),
    path("children/<ref:ref>/access-log/", views.child_access_log, name="child-access-log"),
    path("children/<ref:ref>/emergency-access/", views.emergency_access_new, name="emergency-access-new"),
    path("emergency-access/", views.emergency_access_list, name="emergency-access"),
    path("children/<ref:ref>/sharing/", sharing_views.sharing_list, name="sharing"),
    path("children/<ref:ref>/sharing/new/", sharing_views.sharing_new, name="sharing-new"),
    path("children/<ref:ref>/chronology/", chronology_views.chronology, name="chronology"),
    path("children/<ref:ref>/chronology.csv", chronology_views.chronology_csv, name="chronology-csv"),
    path(
        "children/<ref:ref>/chronology.pdf", chronology_views.chronology_pdf_download, name="chronology-pdf"
    ),
    path("children/<ref:ref>/observations/new/", chronology_views.observation_new, name="record-observation"),
    path("children/<ref:ref>/home-visits/new/", chronology_views.home_visit_new, name="record-home-visit"),
    path("children/<ref:ref>/plans/", casework_views.plans, name="plans"),
    path("children/<ref:ref>/plans/new/", casework_views.plan_new, name="plan-new"),
    path("children/<ref:ref>/plans/<ref:plan_ref>/", casework_views.plan_page, name="plan"),
    path("children/<ref:ref>/plans/<ref:plan_ref>/edit/", casework_views.plan_edit, name="plan-edit"),
    path(
        "children/<ref:ref>/plans/<ref:plan_ref>/reviews/new/",
        casework_views.plan_review_new,
        name="plan-review-new",
    ),
    path(
        "children/<ref:ref>/plans/<ref:plan_ref>/<plan_part:part>/new/",
        casework_views.plan_part_new,
        name="plan-part-new",
    ),
    path(
        "children/<ref:ref>/plans/<ref:plan_ref>/<plan_part:part>/<int:item_id>/edit/",
        casework_views.plan_part_edit,
        name="plan-part-edit",
    ),
    path(
        "children/<ref:ref>/plans/<ref:plan_ref>/<plan_part:part>/quality-check/",
        casework_views.plan_quality_check,
        name="plan-quality-check",
    ),
    path("plans/quality/", casework_views.plan_quality_audit, name="plan-quality-audit"),
    path("children/<ref:ref>/meetings/", casework_views.meetings, name="meetings"),
    path("children/<ref:ref>/meetings/new/", casework_views.meeting_new, name="meeting-new"),
    path("children/<ref:ref>/meetings/<ref:meeting_ref>/", casework_views.meeting_page, name="meeting"),
    path(
        "children/<ref:ref>/meetings/<ref:meeting_ref>/actions/new/",
        casework_views.meeting_action_new,
        name="meeting-action-new",
    ),
    path("children/<ref:ref>/assessments/", assessment_views.assessments, name="assessments"),
    path(
        "children/<ref:ref>/assessments/new/<slug:template_id>/",
        assessment_views.assessment_new,
        name="assessment-start",
    ),
    path(
        "children/<ref:ref>/assessments/<ref:assessment_ref>/",
        assessment_views.assessment_page,
        name="assessment",
    ),
    path(
        "children/<ref:ref>/assessments/<ref:assessment_ref>/areas/<slug:area_id>/",
        assessment_views.assessment_area,
        name="assessment-area",
    ),
    path(
        "children/<ref:ref>/assessments/<ref:assessment_ref>/complete/",
        assessment_views.assessment_finish,
        name="assessment-complete",
    ),
    path(
        "children/<ref:ref>/assessments/<ref:assessment_ref>/countersign/",
        assessment_views.assessment_countersign_page,
        name="assessment-countersign",
    ),
    path(
        "children/<ref:ref>/assessments/<ref:assessment_ref>/targets/",
        assessment_views.assessment_targets,
        name="assessment-targets",
    ),
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
    path("", include("lantern.cases.urls")),
    path("subject-access/", retention_views.request_list, name="subject-access"),
    path("subject-access/new/", retention_views.request_new, name="subject-access-new"),
    path("subject-access/<int:request_id>/", retention_views.request_detail, name="subject-access-request"),
    path(
        "subject-access/<int:request_id>/<str:change>/",
        retention_views.request_change,
        name="subject-access-change",
    ),
    path(
        "subject-access/<int:request_id>/export.<str:output>",
        retention_views.request_export,
        name="subject-access-export",
    ),
    path("retention/people/<ref:ref>/", retention_views.person_retention, name="retention-person"),
    path("retention/people/<ref:ref>/holds/", retention_views.hold_place, name="legal-hold-place"),
    path("retention/holds/<int:hold_id>/lift/", retention_views.hold_lift, name="legal-hold-lift"),
    path(
        "retention/people/<ref:ref>/looked-after/", retention_views.looked_after, name="looked-after-record"
    ),
]

handler404 = "lantern.web.views.page_not_found"
handler500 = "lantern.web.views.server_error"
