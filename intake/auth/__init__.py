"""Who may come in, and how: sign-in rules, lockouts, API tokens, sessions, client addresses (docs/deploy.md).

- `policy`: the one rule for "may this account sign in now" (active; demo accounts only with DEBUG on),
  applied by every way in: password, session, API token and single sign-on.
- `backends`: the authentication backends (lockout first, then local accounts; `oidc` when configured).
- `client`: the client's address, with `TRUSTED_PROXY_COUNT` deciding whether `X-Forwarded-For` counts;
  throttles and lockouts both key on it.
- `lockout`: what a locked-out caller sees (django-axes counts the failures).
- `tokens`, `models`, `services`, `selectors`, `authentication`: API tokens that expire, are stored
  hashed and stop working at once when their owner's password, roles or account change.
- `throttling`, `cache`: rate limits that keep working (per process) while Redis is down.
- `sessions`: idle browser sessions end after `SESSION_IDLE_MINUTES`.
"""
