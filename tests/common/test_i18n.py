"""Languages: every user-facing string of the code is translated in every catalogue, with
the same placeholders, and requests come back in the user's or the partner's language."""

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["fr", "nl", "de", "it", "es", "sv"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdif]|%[sdif]|\{[a-z_0-9]*(?::[^}]*)?\}")


@pytest.fixture(scope="module")
def source_ids(tmp_path_factory):
    """The msgids Babel extracts from the code today (dev.py messages' own settings)."""
    sys.path.insert(0, str(ROOT))
    try:
        from dev import KEYWORDS
    finally:
        sys.path.pop(0)
    pot = tmp_path_factory.mktemp("pot") / "django.pot"
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            *keywords,
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_code_is_translated(source_ids, language):
    with (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalogue = {m.id: m for m in read_po(handle) if m.id}
    missing = sorted(source_ids - {i for i, m in catalogue.items() if m.string and not m.fuzzy})
    assert missing == [], f"{len(missing)} untranslated in {language}: run python3 dev.py messages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    with (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        wrong = [
            m.id
            for m in read_po(handle)
            if m.id
            and m.string
            and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
        ]
    assert wrong == []


LOGIN_FAILED = {
    "en": "Unable to log in with the given username and password.",
    "fr": "Impossible de se connecter avec le nom d'utilisateur et le mot de passe fournis.",
    "de": "Anmeldung mit dem angegebenen Benutzernamen und Passwort nicht möglich.",
    "it": "Impossibile accedere con il nome utente e la password forniti.",
    "sv": "Det gick inte att logga in med angivet användarnamn och lösenord.",
}
NOT_FOUND = {
    "en": "Not found.",
    "fr": "Introuvable.",
    "de": "Nicht gefunden.",
    "it": "Non trovato.",
}


def _failed_login(client, **headers):
    return client.post(
        "/api/v1/auth/token/",
        {"username": f"nobody-{uuid.uuid4().hex[:8]}", "password": "wrong"},
        format="json",
        **headers,
    )


# --- the resolution itself ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("de_AT", "de"),
        ("DE-at", "de"),
        ("fr-BE", "fr"),
        ("nl_BE", "nl"),
        ("sv-SE", "sv"),
        ("en-US", "en"),
        ("pt-BR", None),
        ("", None),
        ("*", None),
    ],
)
def test_a_regional_tag_maps_to_its_platform_language(code, language):
    from common.i18n import supported_language

    assert supported_language(code) == language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de", "de"),
        ("de-AT,de;q=0.9,en;q=0.8", "de"),
        ("fr;q=0.3, nl;q=0.9", "nl"),
        ("pt-BR, ja;q=0.9, es;q=0.5", "es"),
        ("ja, ko", None),
        ("*", None),
        ("", None),
        ("de;q=0", None),
        ("x" * 600, None),
    ],
)
def test_the_browsers_first_platform_language_is_taken(header, language):
    from common.i18n import browser_language

    assert browser_language(header) == language


def test_the_order_is_user_then_browser_then_partner_then_english():
    from types import SimpleNamespace

    from common.i18n import language_for

    chose_fr = SimpleNamespace(is_authenticated=True, language="fr")
    chose_none = SimpleNamespace(is_authenticated=True, language="")
    swedish = SimpleNamespace(default_locale="sv_SE")
    assert language_for(user=chose_fr, partner=swedish, accept_language="de") == "fr"
    assert language_for(user=chose_none, partner=swedish, accept_language="de-AT") == "de"
    assert language_for(user=chose_none, partner=swedish, accept_language="ja") == "sv"
    assert language_for(user=None, partner=None, accept_language="ja") == "en"
    assert language_for(user=None, partner=None) == "en"


# --- requests ---------------------------------------------------------------------------


def test_errors_come_back_in_the_partners_language(api, partner_a):
    response = _failed_login(api(partner_a))
    assert response.status_code == 400
    assert response["Content-Language"] == "de"
    assert response.json()["message"] == LOGIN_FAILED["de"]


@pytest.mark.parametrize("on_partner", [False, True])
def test_an_anonymous_caller_is_answered_in_the_browsers_language(api, partner_b, on_partner):
    # partner_b is Swedish; the browser asks for German.
    client = api(partner_b if on_partner else None)
    response = _failed_login(client, HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9,en;q=0.5")
    assert response.status_code == 400
    assert response["Content-Language"] == "de"
    assert "Accept-Language" in response["Vary"]
    assert response.json()["message"] == LOGIN_FAILED["de"]
    missing = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="de")
    assert missing.status_code == 404
    assert missing.json()["message"] == NOT_FOUND["de"]


def test_a_browser_language_the_platform_lacks_falls_back_to_the_partners(api, partner_b):
    response = _failed_login(api(partner_b), HTTP_ACCEPT_LANGUAGE="ja, pt-BR;q=0.8")
    assert response["Content-Language"] == "sv"
    assert response.json()["message"] == LOGIN_FAILED["sv"]


def test_the_federation_host_speaks_english_when_nothing_is_chosen(api, db):
    response = _failed_login(api(None), HTTP_ACCEPT_LANGUAGE="ja")
    assert response["Content-Language"] == "en"
    assert response.json()["message"] == LOGIN_FAILED["en"]


@pytest.mark.parametrize("header", ["de", "it-IT", ""])
def test_the_users_choice_wins_over_the_browser_and_the_partner(api, partner_b, make_user, header):
    # partner_b is Swedish; this user reads French, whatever the browser says.
    user = make_user(partner_b, "advisor", language="fr")
    response = api(partner_b, user).get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 404
    assert response["Content-Language"] == "fr"
    assert response.json()["message"] == NOT_FOUND["fr"]


def test_a_user_who_chose_no_language_follows_the_browser(api, partner_a, make_user):
    # partner_a is German; the new user has chosen nothing and the browser asks Italian.
    user = make_user(partner_a, "advisor")
    client = api(partner_a, user)
    response = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.json()["message"] == NOT_FOUND["it"]
    me = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="it")
    assert me.json()["language"] == "it"
    assert client.get("/api/v1/me/").json()["language"] == "de"


def test_unsetting_ones_language_answers_in_the_browsers(api, partner_a, make_user):
    user = make_user(partner_a, "advisor", language="fr")
    response = api(partner_a, user).patch(
        "/api/v1/me/", {"language": ""}, format="json", HTTP_ACCEPT_LANGUAGE="it"
    )
    assert response.status_code == 200
    assert response["Content-Language"] == "it"


@pytest.mark.parametrize("path", ["/api/v1/no-such-endpoint/", "/no-such-page/"])
def test_the_federation_hosts_404_speaks_a_german_hq_users_language(api, db, make_user, path):
    user = make_user(None, "hq_analyst", language="de")
    response = api(None, user).get(path)
    assert response.status_code == 404
    assert response["Content-Language"] == "de"
    if path.startswith("/api/"):
        assert response.json() == {"message": "Nicht gefunden.", "code": "not_found", "extra": {}}
    else:
        assert response.content.decode() == "Nicht gefunden."


def test_the_federation_hosts_404_speaks_a_german_admins_session_language(client, db, make_user):
    from tests.conftest import host_of

    user = make_user(None, "hq_admin", language="de")
    client.force_login(user)
    response = client.get("/no-such-page/", HTTP_HOST=host_of(None))
    assert response.status_code == 404
    assert response.content.decode() == "Nicht gefunden."


def test_the_token_is_looked_up_once_per_request(api, partner_a, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user(partner_a, "advisor", language="fr")
    client = api(partner_a, user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me/")
    assert response.json()["language"] == "fr"
    assert sum("authtoken_token" in q["sql"] for q in queries.captured_queries) == 1


def test_an_invalid_token_is_still_refused_in_the_browsers_language(api, partner_a):
    client = api(partner_a)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 401
    assert response["Content-Language"] == "it"


# --- the admin --------------------------------------------------------------------------


def test_every_app_of_the_project_has_a_translatable_name():
    from django.apps import apps
    from django.utils.functional import Promise

    ours = [
        config
        for config in apps.get_app_configs()
        if config.name.split(".")[0] in {"common", "tenants", "services_catalog", "shared"}
    ]
    assert len(ours) > 10
    untranslatable = [c.name for c in ours if not isinstance(c.verbose_name, Promise)]
    assert untranslatable == []


@pytest.mark.parametrize(
    ("on_partner", "role", "headings"),
    [
        (
            True,
            "admin",
            [
                "Ausgaben",
                "Benutzerkonten",
                "Lohnabrechnung und Garantiefonds",
                "Lokaler Dienstleistungskatalog",
                "Mitglieder und Tätigkeiten",
                "Partnereinstellungen",
                "Prüfprotokoll",
            ],
        ),
        (False, "hq_admin", ["Benutzerkonten", "Partner", "Referenzkatalog der Dienstleistungen"]),
    ],
)
def test_the_admins_app_headings_speak_a_german_admins_language(
    client, partner_b, make_user, on_partner, role, headings
):
    from tests.conftest import host_of, schema_of

    # partner_b is Swedish, the federation host English; this admin chose German.
    partner = partner_b if on_partner else None
    user = make_user(partner, role, language="de")
    with schema_of(partner):
        client.force_login(user)
    html = client.get("/admin/", HTTP_HOST=host_of(partner)).content.decode()
    for heading in headings:
        # Django 6 dropped the link's title attribute; the heading's text is what counts.
        assert re.search(f'class="section"[^>]*>{re.escape(heading)}</a>', html), heading
