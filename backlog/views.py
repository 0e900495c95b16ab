from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from intake.models import Problem, Role

from .selectors import backlog_ranked, problem_detail


@login_required
def home(request):
    """Send each role where it works."""
    user = request.user
    if user.has_role(Role.PRODUCT_MANAGER, Role.IT_LEAD):
        return redirect("backlog")
    if user.has_role(Role.ADMIN) and not user.has_role(Role.CLINICIAN, Role.INFORMATICS):
        return redirect("admin:index")
    return redirect("intake")


@login_required
def backlog_page(request):
    return render(request, "backlog/backlog.html", {"problems": backlog_ranked()[:200]})


@login_required
def problem_page(request, pk: int):
    try:
        detail = problem_detail(pk)
    except Problem.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "backlog/problem.html", {"d": detail})


@login_required
def my_problems_page(request):
    mine = Problem.objects.filter(submitted_by=request.user).select_related("score").order_by("-created_at")
    return render(request, "backlog/my_problems.html", {"problems": mine})
