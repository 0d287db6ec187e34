"""The front page every host answers at ``/``, in the request's language."""

import pytest

from tests.conftest import host_of, schema_of


@pytest.fixture
def browser(client):
    """``browser(partner_or_None, language=None)`` → a Django test client on that host,
    sending ``Accept-Language`` when given."""

    def on(partner, language=None):
        client.defaults["HTTP_HOST"] = host_of(partner)
        if language:
            client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return on


@pytest.mark.parametrize("on_partner", [False, True])
def test_the_front_page_links_to_the_login_the_admin_and_the_api_docs(
    browser, partner_a, on_partner
):
    partner = partner_a if on_partner else None
    response = browser(partner, "en").get("/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert '<a href="/api/docs/#/v1/v1_auth_token_create">Sign in</a>' in html
    assert '<a href="/admin/">Administration</a>' in html
    assert '<a href="/api/docs/">API documentation</a>' in html
    if on_partner:
        assert "Alpha eG" in html
        assert "The country team's administration of this partner." in html
    else:
        assert "The federation's host" in html
        assert "Headquarters' administration of the federation." in html


@pytest.mark.parametrize(
    ("language", "sign_in", "docs"),
    [
        ("fr", "Se connecter", "Documentation de l'API"),
        ("nl", "Aanmelden", "API-documentatie"),
        ("de", "Anmelden", "API-Dokumentation"),
        ("it", "Accedi", "Documentazione dell'API"),
        ("es", "Iniciar sesión", "Documentación de la API"),
        ("sv", "Logga in", "API-dokumentation"),
    ],
)
def test_the_front_page_speaks_the_browsers_language(browser, db, language, sign_in, docs):
    response = browser(None, language).get("/")
    html = response.content.decode()
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    assert f">{sign_in}</a>" in html
    assert f">{docs}</a>" in html


def test_the_front_page_speaks_the_partners_language_to_a_browser_without_preference(
    browser, partner_a
):
    response = browser(partner_a).get("/")
    assert '<html lang="de">' in response.content.decode()
    assert "Die Verwaltung dieses Partners durch das Länderteam." in response.content.decode()


@pytest.mark.parametrize("on_partner", [False, True])
def test_the_sign_in_link_opens_the_token_endpoint_in_the_api_docs(api, partner_a, on_partner):
    from common.web.views import SIGN_IN_URL

    schema = api(partner_a if on_partner else None).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    # Swagger UI's deep link is #/<first tag>/<operationId>.
    assert SIGN_IN_URL == f"/api/docs/#/{operation['tags'][0]}/{operation['operationId']}"


def test_the_front_page_refuses_a_post(browser, db):
    assert browser(None).post("/").status_code == 405


def test_the_admins_view_site_link_leads_to_the_front_page(browser, partner_a, make_user):
    user = make_user(partner_a, "admin")
    client = browser(partner_a, "en")
    with schema_of(partner_a):
        client.force_login(user)
    admin = client.get("/admin/")
    assert '<a href="/">View site</a>' in admin.content.decode()
    front = client.get("/")
    assert front.status_code == 200
    assert f"Signed in as {user.username}." in front.content.decode()
