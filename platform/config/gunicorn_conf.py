"""gunicorn's settings wherever it runs (Dockerfile, docker-compose.yml, ``dev.py demo``):
``gunicorn -c python:config.gunicorn_conf config.wsgi --bind … --workers …``."""

# Request lines up to gunicorn's largest bounded value (8190 bytes; its default is 4094)
# reach Django, which answers a query string over MAX_QUERY_STRING_BYTES (4096) with a 414
# in the API's error shape (common.request_limits). Only a request line longer than this
# still gets gunicorn's own HTML 414: a bound must stay, since 0 means no limit at all.
limit_request_line = 8190
