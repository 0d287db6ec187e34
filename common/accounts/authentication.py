from django.utils import translation
from rest_framework import authentication


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF token authentication that also switches to the user's language.

    Tokens live in the schema of the host they were issued on, so a token of one partner
    is simply unknown on another partner's host and on the federation host.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.language:
            translation.activate(user.language)
        return user, token
