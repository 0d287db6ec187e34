"""Clients shared between members: a client that another member created (and that staff
used on this member's invoice) can be read, but a member may only change or delete the
clients they created themselves (else 403, and nothing changes)."""

import pytest


def test_a_member_reads_a_client_used_on_their_own_invoice(api, partner_a, shared):
    response = api(partner_a, shared["bob"]).get(f"/api/v1/clients/{shared['kunde'].pk}/")

    assert response.status_code == 200
    assert response.json()["name"] == "Ann's Kunde GmbH"


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Bob's now"},
        {"address": "Elsewhere 9"},
        {"country": "FR"},
        {"kind": "person"},
    ],
)
def test_a_member_cannot_change_a_client_another_member_created(
    api, partner_a, in_schema, shared, change
):
    from tenants.invoicing.models import Client

    response = api(partner_a, shared["bob"]).patch(
        f"/api/v1/clients/{shared['kunde'].pk}/", change, format="json"
    )

    assert response.status_code == 403, response.content
    with in_schema(partner_a):
        kunde = Client.objects.get(pk=shared["kunde"].pk)
        assert (kunde.name, kunde.address, kunde.country, kunde.kind) == (
            "Ann's Kunde GmbH",
            "Hauptstr. 1",
            "DE",
            "company",
        )


def test_the_creator_and_staff_may_still_change_the_client(api, partner_a, make_user, shared):
    path = f"/api/v1/clients/{shared['kunde'].pk}/"

    by_ann = api(partner_a, shared["ann"]).patch(path, {"address": "Neu 2"}, format="json")
    by_staff = api(partner_a, make_user(partner_a, "advisor")).patch(
        path, {"address": "Neu 3"}, format="json"
    )

    assert (by_ann.status_code, by_staff.status_code) == (200, 200)


def test_a_member_cannot_delete_a_client_another_member_created(
    api, partner_a, in_schema, make_user, shared
):
    from tenants.invoicing.models import Client

    # Given Ann's client, on no document but a draft estimate of Bob's (so Bob may read it)
    with in_schema(partner_a):
        annex = Client.objects.create(name="Annex", country="DE", created_by=shared["ann"])
    staff = api(partner_a, make_user(partner_a, "advisor"))
    line = {"description": "x", "quantity": "1", "unit_price": "1.00"}
    estimate = staff.post(
        "/api/v1/estimates/",
        {"activity": shared["bob_issued"].activity_id, "client": annex.pk, "lines": [line]},
        format="json",
    )
    assert estimate.status_code == 201, estimate.content

    # When Bob deletes it
    response = api(partner_a, shared["bob"]).delete(f"/api/v1/clients/{annex.pk}/")

    # Then the owner check refuses, before the check of the client's documents (409)
    assert (response.status_code, response.json()["code"]) == (403, "client_not_owned")
    with in_schema(partner_a):
        assert Client.objects.filter(pk=annex.pk).exists()


def test_a_member_cannot_delete_another_users_client_that_is_on_no_document(
    partner_a, in_schema, shared
):
    from tenants.invoicing.exceptions import ClientNotOwned
    from tenants.invoicing.models import Client
    from tenants.invoicing.services import client_delete

    with in_schema(partner_a):
        unused = Client.objects.create(name="Unused", country="DE", created_by=shared["ann"])

        with pytest.raises(ClientNotOwned):
            client_delete(client=unused, deleted_by=shared["bob"])

        assert Client.objects.filter(pk=unused.pk).exists()


def test_a_member_cannot_reach_another_users_client_that_is_on_none_of_theirs(
    api, partner_a, in_schema, shared
):
    from tenants.invoicing.models import Client

    with in_schema(partner_a):
        unused = Client.objects.create(name="Unused", country="DE", created_by=shared["ann"])

    response = api(partner_a, shared["bob"]).delete(f"/api/v1/clients/{unused.pk}/")

    assert response.status_code == 404
    with in_schema(partner_a):
        assert Client.objects.filter(pk=unused.pk).exists()


def test_the_creator_deletes_their_client_that_is_on_no_document(api, partner_a, in_schema, shared):
    from tenants.invoicing.models import Client

    with in_schema(partner_a):
        unused = Client.objects.create(name="Unused", country="DE", created_by=shared["ann"])

    response = api(partner_a, shared["ann"]).delete(f"/api/v1/clients/{unused.pk}/")

    assert response.status_code == 204
    with in_schema(partner_a):
        assert not Client.objects.filter(pk=unused.pk).exists()
