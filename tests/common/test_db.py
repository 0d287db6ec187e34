from common.db import database_url


def test_socket_directory_from_options_is_kept():
    url = database_url(
        {"NAME": "essaim", "USER": "postgres", "HOST": "", "OPTIONS": {"host": "/tmp/pg sock"}}
    )
    assert url == "postgresql://postgres@/essaim?host=%2Ftmp%2Fpg+sock"


def test_tcp_url_with_password_is_quoted():
    url = database_url({"NAME": "db", "USER": "u", "PASSWORD": "p@ss:w", "HOST": "h", "PORT": 5433})
    assert url == "postgresql://u:p%40ss%3Aw@h:5433/db"


def test_round_trip_through_dj_database_url():
    import dj_database_url

    params = {"NAME": "essaim", "USER": "postgres", "HOST": "", "OPTIONS": {"host": "/run/pg"}}
    parsed = dj_database_url.parse(database_url(params))
    assert (parsed.get("HOST") or parsed["OPTIONS"].get("host")) == "/run/pg"
    assert parsed["NAME"] == "essaim"
