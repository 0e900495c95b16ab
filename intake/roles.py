"""Who may do what (docs/domain.md, Roles): the one home of the role rules.

Roles are Django groups named after `intake.models.Role` (a superuser counts as admin). This
module says which roles may take each `Action`; everything else asks it:

- the API's permission classes (`api.permissions.writers(action)`),
- the pages' views (`require(user, action)` before a form is shown or posted),
- the templates, through the context processor's `can` (`{% if can.submit %}`),
- the services, which refuse (PermissionDenied) whoever calls them without the right role,
  so that no interface can forget a rule.

Status moves are the state machine's (`intake.models.ALLOWED_MOVES`) cut down to the caller's
role by `allowed_moves`. Object-level rules, such as "a clinician adds site reports only for the
sites they work at" (§2), belong here too: a `may_<action>_at(user, site)` beside `may`, called
by the same services.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from .models import ALLOWED_MOVES, SUBMITTER_EDITABLE_STATUSES, EvidenceKind, Problem, Role, Site, Status, User

CLINICAL = frozenset({Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER})
MEASURERS = frozenset({Role.INFORMATICS, Role.PRODUCT_MANAGER})
PRODUCT_MANAGERS = frozenset({Role.PRODUCT_MANAGER})
DELIVERY = frozenset({Role.PRODUCT_MANAGER, Role.IT_LEAD})

ROLE_LABELS = {
    Role.CLINICIAN: "clinicians",
    Role.INFORMATICS: "clinical informatics staff",
    Role.PRODUCT_MANAGER: "product managers",
    Role.IT_LEAD: "IT leads",
    Role.ADMIN: "administrators",
}
ROLE_ORDER = list(ROLE_LABELS)


class Action(StrEnum):
    SUBMIT = "submit"  # submit a problem (with its first site report)
    REPORT = "report"  # add or replace my site report: "this happens at my site too"
    ANSWER_OUTCOME = "answer_outcome"  # answer the outcome survey once delivered
    ADD_NOTE = "add_note"
    ADD_MEASURED_EVIDENCE = "add_measured_evidence"  # every evidence kind but a note
    TRIAGE = "triage"  # change a problem's status, effort or external reference (within what follows)
    MOVE_ANY_STATUS = "move_any_status"  # every move of the state machine (merge and decline have their own)
    MOVE_DELIVERY = "move_delivery"  # the delivery moves (DELIVERY_MOVES)
    DECLINE = "decline"
    MERGE = "merge"
    UNMERGE = "unmerge"  # undo a merge (docs/domain.md)
    DISMISS_DUPLICATE = "dismiss_duplicate"  # "not a duplicate" for a pair of problems (§11)
    ESTIMATE_EFFORT = "estimate_effort"
    SET_EXTERNAL_REF = "set_external_ref"
    CHANGE_POLICY = "change_policy"
    ADMINISTER = "administer"  # sites and users (the sites API, Django admin), webhooks
    COMMENT = "comment"  # discuss a problem (docs/integrations.md)
    FOLLOW = "follow"  # follow or unfollow a problem
    REOPEN = "reopen"  # declined → new, with a reason


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str] | None  # None: anyone logged in
    refusal: str  # what a refused caller reads; {who} names the roles


RULES: dict[Action, Rule] = {
    Action.SUBMIT: Rule(CLINICAL, "Only {who} may do this."),
    Action.REPORT: Rule(CLINICAL, "Only {who} may do this."),
    Action.ANSWER_OUTCOME: Rule(CLINICAL, "Only {who} may do this."),
    Action.ADD_NOTE: Rule(None, "Log in to add a note."),
    Action.ADD_MEASURED_EVIDENCE: Rule(MEASURERS, "Only {who} may do this. Anyone may add a note."),
    Action.TRIAGE: Rule(DELIVERY, "Only {who} may do this."),
    Action.MOVE_ANY_STATUS: Rule(PRODUCT_MANAGERS, "Only {who} may make this move."),
    Action.MOVE_DELIVERY: Rule(DELIVERY, "Only {who} may make this move."),
    Action.DECLINE: Rule(PRODUCT_MANAGERS, "Only {who} decline problems."),
    Action.MERGE: Rule(PRODUCT_MANAGERS, "Only {who} may do this."),
    Action.UNMERGE: Rule(PRODUCT_MANAGERS, "Only {who} undo a merge."),
    Action.DISMISS_DUPLICATE: Rule(PRODUCT_MANAGERS, "Only {who} decide what is not a duplicate."),
    Action.ESTIMATE_EFFORT: Rule(DELIVERY, "Only {who} estimate effort."),
    Action.SET_EXTERNAL_REF: Rule(DELIVERY, "Only {who} set the external reference."),
    Action.CHANGE_POLICY: Rule(PRODUCT_MANAGERS, "Only {who} change the scoring policy."),
    Action.ADMINISTER: Rule(frozenset({Role.ADMIN}), "Only {who} may do this."),
    Action.COMMENT: Rule(None, "Log in to comment."),
    Action.FOLLOW: Rule(None, "Log in to follow a problem."),
    Action.REOPEN: Rule(PRODUCT_MANAGERS, "Only {who} reopen declined problems."),
}

# What an IT lead may move (docs/domain.md, Roles): planned → in_progress → delivered, in_progress → planned.
DELIVERY_MOVES = frozenset(
    {
        (Status.PLANNED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.DELIVERED),
        (Status.IN_PROGRESS, Status.PLANNED),
    }
)


def may(user: User | None, action: Action) -> bool:
    """Whether `user` (logged in and active) may take `action`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = RULES[action].roles
    return roles is None or user.has_role(*roles)


def refusal(action: Action) -> str:
    """The sentence a caller without the role reads, e.g. "Only product managers decline problems."."""
    roles = RULES[action].roles or frozenset()
    labels = [ROLE_LABELS[role] for role in ROLE_ORDER if role in roles]
    who = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1] if labels else ""
    return RULES[action].refusal.format(who=who)


def require(user: User | None, action: Action) -> None:
    """Refuse (PermissionDenied, a 403) unless `user` may take `action`."""
    if not may(user, action):
        raise PermissionDenied(refusal(action))


def permissions(user: User | None) -> dict[str, bool]:
    """Every action and whether `user` may take it (the templates' `can`)."""
    return {action.value: may(user, action) for action in Action}


# Not a permission (anyone logged in may use the API): the roles whose work is the API, whom the
# navigation points to the API docs and their tokens.
API_USERS = frozenset({Role.IT_LEAD, Role.ADMIN})


def uses_the_api(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*API_USERS)


def evidence_action(kind: str) -> Action:
    """Anyone logged in adds a note; every other kind is measured evidence."""
    return Action.ADD_NOTE if kind == EvidenceKind.NOTE else Action.ADD_MEASURED_EVIDENCE


def may_move(user: User | None, *, from_status: str, to_status: str) -> bool:
    """A status move of the state machine that `user`'s role allows (merging is `Action.MERGE`)."""
    if to_status == Status.MERGED or to_status not in ALLOWED_MOVES[from_status]:
        return False
    if to_status == Status.DECLINED:
        return may(user, Action.DECLINE)
    if from_status == Status.DECLINED:
        return may(user, Action.REOPEN)
    if (from_status, to_status) in DELIVERY_MOVES and may(user, Action.MOVE_DELIVERY):
        return True
    return may(user, Action.MOVE_ANY_STATUS)


def allowed_moves(user: User | None, status: str) -> list[str]:
    """The statuses `user` may move a problem to from `status`, in the state machine's order."""
    return [target for target in ALLOWED_MOVES[status] if may_move(user, from_status=status, to_status=target)]


# --- where: the sites a user may speak for (docs/domain.md, Roles) ------------------------------------

# Informatics staff and product managers collect numbers on a site's behalf: they report and
# answer for any site. Everyone else (clinicians) only for the sites they work at.
FOR_ANY_SITE = MEASURERS


def speaks_for_any_site(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*FOR_ANY_SITE)


def works_at(user: User | None, site: Site) -> bool:
    """Whether `site` is one of the sites `user` works at (assigned by an admin, home site included)."""
    return user is not None and user.is_authenticated and site.pk in user.work_site_ids


def sites_to_speak_for(user: User | None, sites: QuerySet[Site]) -> QuerySet[Site]:
    """`sites` cut down to those `user` may report or answer for: all of them for informatics and
    product managers, the sites they work at for everyone else (the forms' site choices)."""
    if speaks_for_any_site(user):
        return sites
    if user is None or not user.is_authenticated:
        return sites.none()
    return sites.filter(pk__in=user.work_site_ids)


def _works_at_refusal(user: User, site: Site) -> str:
    mine = ", ".join(sorted(Site.objects.filter(pk__in=user.work_site_ids).values_list("code", flat=True)))
    listed = f" ({mine})" if mine else ""
    return f"You do not work at {site.code}: clinicians speak only for the sites they work at{listed}."


def may_report_at(user: User | None, site: Site) -> bool:
    """A site report (a submission's first one included) for `site`."""
    return may(user, Action.REPORT) and (speaks_for_any_site(user) or works_at(user, site))


def require_report_at(user: User | None, site: Site) -> None:
    """Refuse without the role (403), and for a site the user does not work at (400 naming `site`)."""
    require(user, Action.REPORT)
    if not may_report_at(user, site):
        raise ValidationError({"site": [_works_at_refusal(user, site)]})


def require_outcome_at(user: User | None, site: Site, *, affected_site_ids: Collection[int]) -> None:
    """An outcome answer for `site`: only for a site affected by the problem (one with a site report)
    and, for clinicians, one they work at. 403 without the role, else 400 naming `site`."""
    require(user, Action.ANSWER_OUTCOME)
    if site.pk not in affected_site_ids:
        raise ValidationError(
            {"site": [f"{site.code} has no site report on this problem: answer for a site where it happened."]}
        )
    if not (speaks_for_any_site(user) or works_at(user, site)):
        raise ValidationError({"site": [_works_at_refusal(user, site)]})


EDIT_REFUSAL = "Only the problem's submitter may edit it."


def may_edit(user: User | None, problem: Problem) -> bool:
    """The submitter edits their problem's text while it is new or needs info (docs/integrations.md)."""
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.pk == problem.submitted_by_id
        and problem.status in SUBMITTER_EDITABLE_STATUSES
    )
