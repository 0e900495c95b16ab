"""Problem endpoints: intake, detail, triage, "me too", evidence, merge, unmerge, outcomes, similar,
duplicates and "not a duplicate".

Each write validates its input with a serializer and calls ONE service, the same the pages
call; the answer is read back through the selectors.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import writers
from api.schema import READ, WRITE, errors
from intake.models import EvidenceKind, Problem
from intake.numbers import REPORT_NUMBER_NAMES
from intake.roles import Action, allowed_moves, evidence_action, require
from intake.services import ReportValues, evidence_add, problem_submit, site_report_upsert
from intake.similar.selectors import problems_similar

from ..selectors.duplicates import DUPLICATES_LIMIT, problem_duplicates
from ..selectors.problem import problem_detail
from ..services import (
    EDITABLE_FIELDS,
    UNSET,
    comment_add,
    duplicate_dismiss,
    outcome_answer,
    problem_edit,
    problem_merge,
    problem_triage,
    problem_unmerge,
)
from .serializers import (
    CommentIn,
    CommentOut,
    DismissIn,
    DismissOut,
    EvidenceIn,
    EvidenceOut,
    MergeIn,
    OutcomeIn,
    OutcomeOut,
    ProblemChangeIn,
    ProblemIn,
    ProblemOut,
    SimilarOut,
    SimilarQuery,
    SiteReportIn,
    SiteReportOut,
    UnmergeIn,
)

PROBLEM_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The problem's id.")


def problem_response(request, problem_id: int, *, code: int = status.HTTP_200_OK, headers=None) -> Response:
    detail = problem_detail(problem_id)
    context = {
        "request": request,
        "allowed_moves": allowed_moves(request.user, detail.problem.status),
    }
    return Response(ProblemOut(detail, context=context).data, status=code, headers=headers)


def _report_values(data: dict) -> ReportValues:
    return ReportValues(**{name: data.pop(name) for name in REPORT_NUMBER_NAMES})


class ProblemCreateView(APIView):
    permission_classes = [writers(Action.SUBMIT)]

    @extend_schema(
        operation_id="problems_create",
        summary="Submit a problem (intake)",
        description="The problem, the code of the site where it happens (for a clinician, a site they work "
        "at), and that site's first report (the six numbers). Free text is screened for patient "
        "information: a hit is a 400 naming the field, the kind of identifier and where it is.",
        request=ProblemIn,
        responses={201: ProblemOut, **errors(*WRITE)},
        tags=["problems"],
    )
    def post(self, request):
        given = ProblemIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        report = _report_values(data)
        problem = problem_submit(author=request.user, site=data.pop("site"), report=report, **data)
        location = request.build_absolute_uri(reverse("api-problem", args=[problem.pk]))
        return problem_response(request, problem.pk, code=status.HTTP_201_CREATED, headers={"Location": location})


TRIAGE_KEYS = frozenset({"status", "decline_reason", "effort_weeks", "external_ref", "question", "reason"})


class ProblemView(APIView):
    # Triage is checked by the service (and before validation below); a submitter's edit by problem_edit.
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="problems_retrieve",
        summary="A problem with its score, site reports, evidence and outcomes",
        description="`site_reports` and `evidence` include those of problems merged into this one, so the "
        "score can be recomputed from this answer and GET /sites/.",
        parameters=[PROBLEM_ID],
        responses={200: ProblemOut, **errors(*READ, 404)},
        tags=["problems"],
    )
    def get(self, request, pk: int):
        return problem_response(request, pk)

    @extend_schema(
        operation_id="problems_partial_update",
        summary="Triage (status, reasons, question, effort, external reference) or the submitter's edit",
        description="Send the problem's current `version`; a stale one is refused with 409 saying who "
        "changed it and when. Status moves follow the state machine; a move not allowed is a 400 "
        "listing the allowed ones. Product managers may change everything; IT leads only delivery "
        "moves (planned → in_progress → delivered, in_progress → planned), `effort_weeks` and `external_ref`. "
        "Moving to needs_info needs a `question`; reopening a declined problem (→ new) a `reason`. "
        "While the problem is new or needs_info, its submitter may edit `title`, `statement`, "
        "`proposed_solution`, `workflow_area` and `affected_roles` (not in the same request as a triage "
        "change); an edit of a needs_info problem answers it: it goes back to new and the product managers hear of it.",
        parameters=[PROBLEM_ID],
        request=ProblemChangeIn,
        responses={200: ProblemOut, **errors(*WRITE, 404, 409)},
        tags=["problems"],
    )
    def patch(self, request, pk: int):
        sent = set(request.data) if isinstance(request.data, dict) else set()
        if sent & TRIAGE_KEYS:
            require(request.user, Action.TRIAGE)  # before validation: a refused role learns no rules
        given = ProblemChangeIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        edits = {field: data.pop(field) for field in EDITABLE_FIELDS if field in data}
        if edits and sent & TRIAGE_KEYS:
            raise ValidationError({"non_field_errors": ["Send an edit of the text and a triage change separately."]})
        if edits:
            problem_edit(problem_id=pk, editor=request.user, version=data["version"], **edits)
            return problem_response(request, pk)
        problem_triage(
            problem_id=pk,
            actor=request.user,
            version=data["version"],
            status=data.get("status"),
            decline_reason=data.get("decline_reason"),
            effort_weeks=data.get("effort_weeks", UNSET),
            external_ref=data.get("external_ref"),
            question=data.get("question"),
            reason=data.get("reason"),
        )
        return problem_response(request, pk)


class SiteReportView(APIView):
    permission_classes = [writers(Action.REPORT)]

    @extend_schema(
        operation_id="problems_site_reports_create",
        summary='"This happens at my site too": add or replace my report for a site',
        description="One report per (problem, site, reporter): reporting again at the same site replaces "
        "your own report (200); a new one answers 201. A clinician reports only for a site they work at "
        "(else 400 naming `site`); informatics staff and product managers for any site.",
        parameters=[PROBLEM_ID],
        request=SiteReportIn,
        responses={201: SiteReportOut, 200: SiteReportOut, **errors(*WRITE, 404)},
        tags=["problems"],
    )
    def post(self, request, pk: int):
        problem = get_object_or_404(Problem, pk=pk)
        given = SiteReportIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        report, created = site_report_upsert(
            problem=problem, site=data.pop("site"), reporter=request.user, report=_report_values(data)
        )
        return Response(SiteReportOut(report).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class EvidenceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="problems_evidence_create",
        summary="Add evidence",
        description="Measured kinds (time_study, ehr_metric, cost_report, survey) are for clinical "
        "informatics staff and product managers; anyone logged in may add a `note`.",
        parameters=[PROBLEM_ID],
        request=EvidenceIn,
        responses={201: EvidenceOut, **errors(*WRITE, 404)},
        tags=["problems"],
    )
    def post(self, request, pk: int):
        kind = request.data.get("kind") if isinstance(request.data, dict) else None
        if kind in EvidenceKind.values:
            require(request.user, evidence_action(kind))  # before validation: a refused role learns no rules
        problem = get_object_or_404(Problem, pk=pk)
        given = EvidenceIn(data=request.data)
        given.is_valid(raise_exception=True)
        evidence = evidence_add(problem=problem, added_by=request.user, **given.validated_data)
        return Response(EvidenceOut(evidence).data, status=status.HTTP_201_CREATED)


class MergeView(APIView):
    permission_classes = [writers(Action.MERGE)]

    @extend_schema(
        operation_id="problems_merge",
        summary="Merge this problem into another",
        description="This problem becomes `merged`; its site reports and evidence count for the target "
        "from now on. Answers with this (merged) problem.",
        parameters=[PROBLEM_ID],
        request=MergeIn,
        responses={200: ProblemOut, **errors(*WRITE, 404, 409)},
        tags=["problems"],
    )
    def post(self, request, pk: int):
        given = MergeIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        problem_merge(problem_id=pk, into_id=data["into"], actor=request.user, version=data.get("version"))
        return problem_response(request, pk)


class OutcomeView(APIView):
    permission_classes = [writers(Action.ANSWER_OUTCOME)]

    @extend_schema(
        operation_id="problems_outcomes_create",
        summary="Answer the outcome survey (once delivered)",
        description="One answer per (problem, site, respondent); answering again replaces it (200). `site` "
        "must be one of the problem's affected sites (with a site report) and, for a clinician, one they "
        "work at (else 400 naming `site`).",
        parameters=[PROBLEM_ID],
        request=OutcomeIn,
        responses={201: OutcomeOut, 200: OutcomeOut, **errors(*WRITE, 404)},
        tags=["problems"],
    )
    def post(self, request, pk: int):
        problem = get_object_or_404(Problem, pk=pk)
        given = OutcomeIn(data=request.data)
        given.is_valid(raise_exception=True)
        outcome, created = outcome_answer(problem=problem, respondent=request.user, **given.validated_data)
        return Response(OutcomeOut(outcome).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CommentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="problems_comments_create",
        summary="Comment on a problem",
        description="Anyone logged in. `body` ≤ 5,000 characters, screened for patient information. The "
        "problem's followers are told. The submitter's comment on a needs_info problem answers the "
        "question: the problem goes back to new and the product managers are told.",
        parameters=[PROBLEM_ID],
        request=CommentIn,
        responses={201: CommentOut, **errors(*WRITE, 404)},
        tags=["problems"],
    )
    def post(self, request, pk: int):
        get_object_or_404(Problem, pk=pk)
        given = CommentIn(data=request.data)
        given.is_valid(raise_exception=True)
        comment = comment_add(problem_id=pk, author=request.user, body=given.validated_data["body"])
        return Response(CommentOut(comment).data, status=status.HTTP_201_CREATED)


class SimilarPageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="Always null: at most 5 results.")
    previous = serializers.URLField(allow_null=True, help_text="Always null.")
    results = SimilarOut(many=True)

    class Meta:
        ref_name = "SimilarProblems"


class SimilarView(APIView):
    @extend_schema(
        operation_id="problems_similar",
        summary="Up to 5 existing problems similar to some text",
        parameters=[OpenApiParameter("q", str, required=True, description="Title or statement text.")],
        responses={200: SimilarPageOut, **errors(*READ, 400)},
        tags=["problems"],
    )
    def get(self, request):
        given = SimilarQuery(data=request.query_params)
        given.is_valid(raise_exception=True)
        similar = problems_similar(given.validated_data["q"], limit=5)
        results = SimilarOut(similar, many=True, context={"request": request}).data
        return Response({"next": None, "previous": None, "results": results})


class DuplicatesPageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=f"Always null: at most {DUPLICATES_LIMIT} results.")
    previous = serializers.URLField(allow_null=True, help_text="Always null.")
    results = SimilarOut(many=True)

    class Meta:
        ref_name = "DuplicateProblems"


class DuplicatesView(APIView):
    @extend_schema(
        operation_id="problems_duplicates",
        summary=f"Up to {DUPLICATES_LIMIT} open problems most likely the same as this one",
        description="The similar search run with this problem's title and statement, best first. Left out: "
        "this problem, merged and closed problems, and pairs a product manager dismissed as not duplicates.",
        parameters=[PROBLEM_ID],
        responses={200: DuplicatesPageOut, **errors(*READ, 404)},
        tags=["problems"],
    )
    def get(self, request, pk: int):
        duplicates = problem_duplicates(pk)
        results = SimilarOut(duplicates, many=True, context={"request": request}).data
        return Response({"next": None, "previous": None, "results": results})


class DuplicateDismissView(APIView):
    permission_classes = [writers(Action.DISMISS_DUPLICATE)]

    @extend_schema(
        operation_id="problems_duplicates_dismiss",
        summary='"Not a duplicate": remember that two problems are not the same',
        description="Remembered for the pair, whichever of the two is named first: neither is offered as a "
        "duplicate of the other again. Audited on both problems. Dismissing a pair again changes nothing "
        "(200); the first time answers 201.",
        parameters=[PROBLEM_ID],
        request=DismissIn,
        responses={201: DismissOut, 200: DismissOut, **errors(*WRITE, 404)},
        tags=["problems"],
    )
    def post(self, request, pk: int):
        given = DismissIn(data=request.data)
        given.is_valid(raise_exception=True)
        other = given.validated_data["other"]
        dismissal, created = duplicate_dismiss(problem_id=pk, other_id=other, actor=request.user)
        body = DismissOut({"problem": pk, "other": other, "dismissal": dismissal}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class UnmergeView(APIView):
    permission_classes = [writers(Action.UNMERGE)]

    @extend_schema(
        operation_id="problems_unmerge",
        summary="Undo this problem's merge",
        description="The problem gets back the status it had before the merge; its own site reports and "
        "evidence count for it again, and so do those of problems the merge moved along to the target. "
        "Both problems are re-scored and both audits show it. Send the merged problem's current "
        "`version` (409 if stale). Answers with this problem.",
        parameters=[PROBLEM_ID],
        request=UnmergeIn,
        responses={200: ProblemOut, **errors(*WRITE, 404, 409)},
        tags=["problems"],
    )
    def post(self, request, pk: int):
        given = UnmergeIn(data=request.data)
        given.is_valid(raise_exception=True)
        problem_unmerge(problem_id=pk, actor=request.user, version=given.validated_data["version"])
        return problem_response(request, pk)
