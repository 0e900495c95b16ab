"""The audit of every write (docs/deploy.md): who, when, what it was before and after.

One table (`AuditEvent`) in the lowest layer that writes it, so intake's services, the backlog's
triage and outcomes, scoring's policy changes, the admin's user and site edits and the sign-in
signals all record into it, each in the transaction of its write (`audit_record`). Admins read it on
the /audit/ page and through GET /api/v1/audit/ (`audit_events`).
"""
