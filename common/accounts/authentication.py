from rest_framework import authentication, exceptions

# The attribute of the Django request under which a token lookup is kept.
_LOOKUP = "_essaim_token_authentication"


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF token authentication, looked up once per request.

    Tokens live in the schema of the host they were issued on, so a token of one partner
    is simply unknown on another partner's host and on the federation host.

    The language middleware needs the token's user before any view runs (to answer in
    that user's language, 404s included); the result of that lookup is kept on the
    request, so the view's authentication costs no second query. A failed lookup is not
    kept: the view's authentication repeats it and refuses the request as usual.
    """

    def authenticate(self, request):
        http_request = getattr(request, "_request", request)
        if hasattr(http_request, _LOOKUP):
            return getattr(http_request, _LOOKUP)
        result = super().authenticate(request)
        setattr(http_request, _LOOKUP, result)
        return result


def token_user(request):
    """The active user whose API token ``request`` carries in its ``Authorization``
    header, or None (no token, an unknown or malformed one, an inactive user)."""
    try:
        result = TokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed:
        return None
    return result[0] if result else None
