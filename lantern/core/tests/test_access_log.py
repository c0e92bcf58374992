import pytest
from django.urls import reverse

from lantern.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db


class TestAccessLog:
    def test_viewing_a_record_writes_who_which_child_when_and_what_page(self, client, area):
        client.force_login(area.involved)
        client.get(reverse("child-overview", args=[area.child.ref]))
        entry = AccessLogEntry.objects.get()
        assert entry.professional == area.involved
        assert entry.child == area.child
        assert entry.action == "view"
        assert entry.page == "child-overview"
        assert entry.path == f"/children/{area.child.ref}/"
        assert entry.at is not None

    def test_every_view_is_a_row(self, client, area):
        client.force_login(area.involved)
        for _ in range(3):
            client.get(reverse("child-overview", args=[area.child.ref]))
        assert AccessLogEntry.objects.filter(child=area.child, action="view").count() == 3

    def test_a_search_is_logged_with_its_terms(self, client, area):
        client.force_login(area.involved)
        client.get(reverse("search") + "?q=Morgan")
        entry = AccessLogEntry.objects.get()
        assert (entry.action, entry.detail, entry.child) == ("search", "Morgan", None)

    def test_an_empty_search_page_is_not_a_search(self, client, area):
        client.force_login(area.involved)
        client.get(reverse("search"))
        assert not AccessLogEntry.objects.exists()

    def test_managers_see_who_has_viewed_the_record_newest_first(self, client, area):
        client.force_login(area.involved)
        client.get(reverse("child-overview", args=[area.child.ref]))
        client.force_login(area.stranger)
        client.get(reverse("child-overview", args=[area.child.ref]))
        client.force_login(area.team_manager)
        response = client.get(reverse("child-access-log", args=[area.child.ref]))
        assert response.status_code == 200
        page = response.content.decode()
        assert page.index(area.stranger.name) < page.index(area.involved.name)
        assert "Refused" in page
        # Looking at the log is itself a logged view.
        assert AccessLogEntry.objects.filter(professional=area.team_manager, page="child-access-log").exists()

    def test_the_overview_links_to_the_log_only_for_those_who_may_see_it(self, client, area):
        link = reverse("child-access-log", args=[area.child.ref])
        client.force_login(area.team_manager)
        assert link in client.get(reverse("child-overview", args=[area.child.ref])).content.decode()
        client.force_login(area.involved)
        assert link not in client.get(reverse("child-overview", args=[area.child.ref])).content.decode()

    def test_refused_access_to_the_log_is_logged(self, client, area):
        client.force_login(area.involved)
        response = client.get(reverse("child-access-log", args=[area.child.ref]))
        assert response.status_code == 403
        assert AccessLogEntry.objects.filter(action="refused", page="child-access-log").count() == 1


def test_a_refused_access_log_says_so_and_links_back_to_a_record_one_may_see(client, area):
    client.force_login(area.involved)
    page = client.get(reverse("child-access-log", args=[area.child.ref])).content.decode()
    assert "You cannot see who has viewed this record" in page
    assert reverse("child-overview", args=[area.child.ref]) in page
