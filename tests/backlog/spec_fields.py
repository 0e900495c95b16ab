"""Field names of docs/api.md, written out from the spec (not imported from the code under test)."""

SCORE_FIELDS = [
    "rank",
    "priority",
    "value_hours_per_week",
    "provider_hours_per_week",
    "patient_hours_per_week",
    "cost_hours_per_week",
    "revenue_per_week",
    "sites_affected",
    "sites",
    "breadth",
    "confidence",
    "effort_weeks",
    "effort_estimated",
    "policy_version",
    "scored_at",
]
