"""Languages: every user-facing string of the code is translated in every catalogue, with
the same placeholders, and requests come back in the user's or the partner's language."""

import re
import subprocess
import sys
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


def test_errors_come_back_in_the_partners_language(api, partner_a):
    response = api(partner_a).post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "de"
    assert "Unable to log in" not in response.json()["message"]


def test_the_users_choice_wins_over_the_partners_default(api, partner_b, make_user):
    # partner_b is Swedish; this user reads French.
    user = make_user(partner_b, "advisor", language="fr")
    response = api(partner_b, user).get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    client = api(partner_b, user)
    response = client.post("/api/v1/members/", {"first_name": ""}, format="json")
    assert response.status_code == 400
    assert response["Content-Language"] == "fr"
