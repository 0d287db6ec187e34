"""An issued invoice shows the client it was issued to (its snapshot, as the PDF does),
not the client as renamed later; a draft follows the client."""

from django.utils import timezone


def test_an_issued_invoice_keeps_the_client_name_it_was_issued_to(
    api, partner_a, make_user, shared
):
    staff = api(partner_a, make_user(partner_a, "advisor"))
    staff.patch(f"/api/v1/clients/{shared['kunde'].pk}/", {"name": "Renamed AG"}, format="json")

    issued = staff.get(f"/api/v1/invoices/{shared['bob_issued'].pk}/").json()
    draft = staff.get(f"/api/v1/invoices/{shared['ann_draft'].pk}/").json()
    listed = {
        row["id"]: row["client_name"] for row in staff.get("/api/v1/invoices/").json()["results"]
    }

    assert issued["client_name"] == "Ann's Kunde GmbH"
    assert listed[shared["bob_issued"].pk] == "Ann's Kunde GmbH"
    assert draft["client_name"] == "Renamed AG"
    assert issued["issue_date"] == timezone.localdate().isoformat()
