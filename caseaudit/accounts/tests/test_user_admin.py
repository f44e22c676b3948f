"""People are deactivated, never deleted: the logs that name them cannot change."""

import pytest
from django.urls import reverse

from caseaudit.accounts.models import User
from caseaudit.conftest import PASSWORD
from caseaudit.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def test_no_one_can_delete_a_user_who_is_in_the_access_log(client_for, people):
    leaver = people.social_worker
    # A row in the access log names them (the 500 in the issue came from these rows).
    client_for(leaver).get(reverse("cases:children"))
    root = User.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    for person in (people.administrator, root):
        client = client_for(person)
        url = reverse("admin:accounts_user_delete", args=[leaver.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        listing = client.get(reverse("admin:accounts_user_changelist"))
        actions = dict(listing.context["action_form"].fields["action"].choices)
        assert "delete_selected" not in actions
        assert "deactivate" in actions
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "delete_selected", "_selected_action": [leaver.pk], "post": "yes"},
        )
        assert response.status_code in (200, 302)
    assert User.objects.filter(pk=leaver.pk).exists()


def test_deactivating_keeps_the_account_and_its_history_and_stops_sign_in(client, people):
    leaver = people.social_worker
    client.force_login(people.administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [leaver.pk, people.administrator.pk]},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 user deactivated." in page
    assert "You cannot deactivate your own account." in page
    leaver.refresh_from_db()
    people.administrator.refresh_from_db()
    assert not leaver.is_active
    assert people.administrator.is_active
    change = ChangeRecord.objects.filter(record_type="accounts.user", record_id=str(leaver.pk))
    assert change.get().reason == "Deactivated"
    assert change.get().after["is_active"] is False

    client.logout()
    sign_in = client.post(
        reverse("accounts:login"), {"username": leaver.username, "password": PASSWORD}
    )
    assert sign_in.status_code == 200
    assert "_auth_user_id" not in client.session
