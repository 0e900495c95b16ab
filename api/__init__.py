"""The REST API's shared plumbing, and the endpoints of what comes in first (tokens, sites).

Token authentication and the throttles (over intake.auth's tokens and client address), the token
endpoints (POST /auth/token/, the owner's token list), the one JSON parser and renderer, the one
error shape and its exception handler, paging, the OpenAPI error descriptions, the role-based
permission classes (which read intake.roles) and the input fields every endpoint shares; and the
sites endpoints. Scoring's and the backlog's endpoints live in scoring/api/ and backlog/api/ and
use this package.

Dependencies: api → intake (roles, sites, the version conflict); scoring.api, backlog.api → api.
"""
