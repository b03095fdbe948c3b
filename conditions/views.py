from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from conditions.models import BodyArea, Condition, Treatment


@require_GET
def condition_list(request):
    areas = BodyArea.objects.prefetch_related(
        Prefetch("conditions", queryset=Condition.objects.published().order_by("title"), to_attr="published_conditions")
    )
    return render(request, "conditions/condition_list.html", {"areas": [a for a in areas if a.published_conditions]})


@require_GET
def condition_detail(request, slug):
    condition = get_object_or_404(
        Condition.objects.published()
        .select_related("body_area")
        .prefetch_related(
            "sections",
            Prefetch("treatments", queryset=Treatment.objects.published()),
            Prefetch("related", queryset=Condition.objects.published()),
        ),
        slug=slug,
    )
    return render(request, "conditions/condition_detail.html", {"condition": condition})


@require_GET
def treatment_list(request):
    return render(request, "conditions/treatment_list.html", {"treatments": Treatment.objects.published()})


@require_GET
def treatment_detail(request, slug):
    treatment = get_object_or_404(
        Treatment.objects.published().prefetch_related(
            "sections", Prefetch("conditions", queryset=Condition.objects.published())
        ),
        slug=slug,
    )
    return render(request, "conditions/treatment_detail.html", {"treatment": treatment})
