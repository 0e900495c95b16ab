"""`python -m tests.oidc_provider.seed`: prepare the provider's database.

Reads OP_CLIENT_ID, OP_CLIENT_SECRET, OP_REDIRECT_URI and OP_USERS (lines of
`username:password:email`), with the provider's settings (DJANGO_SETTINGS_MODULE).
"""

import os

import django


def main() -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("creatersakey", stdout=quiet)
    client = Client.objects.create(
        name="Bridge",
        client_type="confidential",
        client_id=os.environ["OP_CLIENT_ID"],
        client_secret=os.environ["OP_CLIENT_SECRET"],
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
    )
    client.redirect_uris = [os.environ["OP_REDIRECT_URI"]]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))
    for line in os.environ.get("OP_USERS", "").splitlines():
        username, password, email = line.split(":")
        User.objects.create_user(username, email=email, password=password)


if __name__ == "__main__":
    main()
