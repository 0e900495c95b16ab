from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .models import Role


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
def intake_page(request):
    from django.shortcuts import render

    return render(request, "intake/intake.html", {})
