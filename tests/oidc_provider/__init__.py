"""A real OpenID Connect provider for the single sign-on tests (django-oidc-provider, test-only).

It runs as its own process (gunicorn, settings `tests.oidc_provider.settings`, its own SQLite
file), so Bridge talks to it over HTTP exactly as it would to a hospital's identity provider.
`seed` prepares its database: signing key, Bridge as a client, and the provider's users.
"""
