"""The REST API's shared plumbing, used by every app's endpoints (intake.api, scoring.api, backlog.api).

Authentication (cached tokens) and the token endpoint, the one JSON parser and renderer, the one
error shape and its exception handler, paging, the OpenAPI error descriptions, the role-based
permission classes (which read intake.roles) and the input fields every endpoint shares. No
endpoint of a domain lives here: each app keeps its own under `<app>/api/`.

Dependencies: api → intake (roles, sites, the version conflict); the apps' `api/` modules → api.
"""
