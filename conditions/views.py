from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from conditions.models import BodyArea, Condition, Treatment


def condition_page_queryset():
    """Everything a condition page shows, in a fixed number of queries. Includes drafts: the
    public view narrows it to published pages, the admin preview does not."""
    return Condition.objects.select_related("body_area").prefetch_related(
        "sections",
        Prefetch("treatments", queryset=Treatment.objects.published()),
        Prefetch("related", queryset=Condition.objects.published().order_by("title")),
    )


def treatment_page_queryset():
    return Treatment.objects.prefetch_related(
        "sections", "services", Prefetch("conditions", queryset=Condition.objects.published().order_by("title"))
    )


def render_condition(request, condition, *, preview=False):
    return render(request, "conditions/condition_detail.html", {"condition": condition, "preview": preview})


def render_treatment(request, treatment, *, preview=False):
    return render(request, "conditions/treatment_detail.html", {"treatment": treatment, "preview": preview})


@require_safe
def condition_list(request):
    areas = BodyArea.objects.prefetch_related(
        Prefetch("conditions", queryset=Condition.objects.published().order_by("title"), to_attr="published_conditions")
    )
    return render(request, "conditions/condition_list.html", {"areas": [a for a in areas if a.published_conditions]})


@require_safe
def condition_detail(request, slug):
    condition = get_object_or_404(condition_page_queryset().published(), slug=slug)
    return render_condition(request, condition)


@require_safe
def treatment_list(request):
    return render(request, "conditions/treatment_list.html", {"treatments": Treatment.objects.published()})


@require_safe
def treatment_detail(request, slug):
    treatment = get_object_or_404(treatment_page_queryset().published(), slug=slug)
    return render_treatment(request, treatment)
