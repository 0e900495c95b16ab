"""The sentence each event becomes. Only PHI-screened text goes in (titles, reasons, questions, comments)."""

from __future__ import annotations

from intake.models import EventType, OutboxEvent, Status

COMMENT_EXCERPT = 280
SURVEY_INVITATION = (
    " You work at a site it affects: please answer the outcome survey on the problem page"
    " (three questions and the minutes it saves you per shift)."
)


def _label(status: str) -> str:
    return Status(status).label if status in Status.values else status


def _excerpt(text: str) -> str:
    return text if len(text) <= COMMENT_EXCERPT else text[: COMMENT_EXCERPT - 1].rstrip() + "…"


def event_message(event: OutboxEvent, *, comment_body: str = "") -> str:
    """What a follower reads about `event` (in-app, and the body of its e-mail)."""
    problem, data = event.problem, event.data
    name = f'#{problem.pk} "{problem.title}"'
    who = event.actor.get_username() if event.actor else "Someone"
    if event.event == EventType.COMMENT_ADDED:
        return f"{who} commented on {name}: {_excerpt(comment_body)}"
    if event.event == EventType.MERGED:
        return f"{name} was merged into #{data['into']}; its reports now count there. Follow #{data['into']} for news."
    if event.event == EventType.DELIVERED:
        return f"{name} was delivered."
    text = f"{name} moved from {_label(data['from'])} to {_label(data['to'])}."
    if data.get("reason"):
        text += f" Reason: {data['reason']}"
    if data.get("question"):
        text += f" What is needed: {data['question']}"
    if data.get("answered"):
        text += " The submitter answered the question; it is back with the product managers."
    return text


def event_subject(event: OutboxEvent) -> str:
    return f"[Bridge] #{event.problem.pk} {EventType(event.event).label.lower()}: {event.problem.title}"[:200]
