from django.urls import path

from lantern.cases import views

urlpatterns = [
    path("children/<ref:ref>/case/", views.case_page, name="case"),
    path("children/<ref:ref>/case/open/", views.case_open, name="case-open"),
    path("children/<ref:ref>/case/<int:episode_id>/reviews/new/", views.case_review_new, name="case-review"),
    path("children/<ref:ref>/case/<int:episode_id>/transfer/", views.case_transfer, name="case-transfer"),
    path("children/<ref:ref>/case/<int:episode_id>/close/", views.case_close, name="case-close"),
    path("children/<ref:ref>/supervision/", views.supervision_page, name="case-supervision"),
    path("children/<ref:ref>/level-of-need/", views.level_of_need_page, name="level-of-need"),
    path("children/<ref:ref>/escalations/new/", views.escalation_new, name="escalation-new"),
    path("escalations/<int:escalation_id>/", views.escalation_page, name="escalation"),
    path("teams/dashboard/", views.team_dashboard_page, name="my-team-dashboard"),
    path("teams/<int:team_id>/dashboard/", views.team_dashboard_page, name="team-dashboard"),
]
