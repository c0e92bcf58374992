import pytest
from django.urls import reverse

from lantern.agencies.models import Professional

pytestmark = pytest.mark.django_db


class TestAccountsAdmin:
    def test_an_administrator_creates_an_account_with_a_checked_password(self, client, area):
        client.force_login(area.administrator)
        url = reverse("admin:agencies_professional_add")
        fields = {
            "username": "new.worker",
            "name": "New Worker",
            "agency": area.social_care.pk,
            "role": "practitioner",
        }
        weak = client.post(url, {**fields, "password1": "password", "password2": "password"})
        assert weak.status_code == 200
        assert not Professional.objects.filter(username="new.worker").exists()
        strong = "a long passphrase of several words"
        response = client.post(url, {**fields, "password1": strong, "password2": strong})
        assert response.status_code == 302
        created = Professional.objects.get(username="new.worker")
        assert created.check_password(strong)
        assert created.password.startswith("argon2")

    def test_an_administrator_sets_the_password_of_an_imported_account(self, client, area):
        imported = Professional.objects.create(
            username="t.sw9", name="Imported Worker", agency=area.social_care
        )
        imported.set_unusable_password()
        imported.save()
        client.force_login(area.administrator)
        url = reverse("admin:auth_user_password_change", args=[imported.pk])
        strong = "another long passphrase here"
        response = client.post(url, {"password1": strong, "password2": strong})
        assert response.status_code == 302
        imported.refresh_from_db()
        assert imported.check_password(strong)

    def test_the_account_pages_render(self, client, area):
        client.force_login(area.administrator)
        assert client.get(reverse("admin:agencies_professional_changelist")).status_code == 200
        assert (
            client.get(reverse("admin:agencies_professional_change", args=[area.involved.pk])).status_code
            == 200
        )
        assert client.get(reverse("admin:agencies_agency_changelist")).status_code == 200
        assert client.get(reverse("admin:agencies_involvement_changelist")).status_code == 200

    def test_a_practitioner_cannot_reach_the_accounts(self, client, area):
        client.force_login(area.involved)
        response = client.get(reverse("admin:agencies_professional_changelist"))
        assert response.status_code == 302
