import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin

from conditions import views
from conditions.admin_forms import (
    REVIEW_FIELDS,
    TEXT_BOXES,
    ConditionForm,
    InformationPageForm,
    QuestionFormSet,
    SectionFormSet,
    TreatmentForm,
)
from conditions.diagrams import clean_svg
from conditions.models import (
    BodyArea,
    Condition,
    ConditionSection,
    FrequentQuestion,
    InformationPage,
    InformationSection,
    PublishStatus,
    ReviewState,
    Treatment,
    TreatmentSection,
)

# Restoring an old version of a page restores its sections with it.
reversion.register(ConditionSection)
reversion.register(TreatmentSection)
reversion.register(Condition, follow=["sections"])
reversion.register(Treatment, follow=["sections"])
reversion.register(InformationSection)
reversion.register(FrequentQuestion)
reversion.register(InformationPage, follow=["sections", "questions"])


class SectionInline(admin.StackedInline):
    """A page's sections, in order; subclasses name the page's section model."""

    formset = SectionFormSet
    formfield_overrides = TEXT_BOXES
    fields = ("position", "heading", "body")
    ordering = ("position", "id")
    extra = 0


class ConditionSectionInline(SectionInline):
    model = ConditionSection


class TreatmentSectionInline(SectionInline):
    model = TreatmentSection


class InformationSectionInline(SectionInline):
    model = InformationSection


class FrequentQuestionInline(admin.StackedInline):
    model = FrequentQuestion
    formset = QuestionFormSet
    formfield_overrides = TEXT_BOXES
    fields = ("position", "question", "answer")
    extra = 0


class ReviewFilter(admin.SimpleListFilter):
    """Which pages a named clinician has never checked, or should check again."""

    title = "clinical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return ReviewState.choices

    def queryset(self, request, queryset):
        narrow = {
            ReviewState.NEVER: queryset.never_reviewed,
            ReviewState.OVERDUE: queryset.review_overdue,
            ReviewState.CURRENT: queryset.review_current,
        }
        return narrow[self.value()]() if self.value() in narrow else queryset


REVIEW_FIELDSET = (
    "Clinical review",
    {
        "fields": REVIEW_FIELDS,
        "description": "Only a review by a named, registered practitioner is shown on the page. Leave it all blank "
        "until one has checked the page.",
    },
)


class PublicPageAdmin(VersionAdmin):
    """Shared by condition and treatment pages: compliance messages, preview and history."""

    formfield_overrides = TEXT_BOXES

    def get_urls(self):
        opts = self.model._meta
        preview = path(
            "<int:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name=f"{opts.app_label}_{opts.model_name}_preview",
        )
        return [preview, *super().get_urls()]

    def preview_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])

    @admin.display(description="Preview")
    def preview_link(self, obj):
        return format_html('<a href="{}">Preview</a>', self.preview_url(obj))

    def view_on_site(self, obj):
        # Drafts have no public page yet; the preview link stands in for them.
        return obj.get_absolute_url() if obj.status == PublishStatus.PUBLISHED else None

    @admin.display(description="Clinical review", ordering="next_review_due")
    def review_column(self, obj):
        if obj.review_state is ReviewState.CURRENT:
            return f"Next due {obj.next_review_due:%-d %b %Y}"
        return obj.review_state.label

    def preview_view(self, request, object_id):
        obj = get_object_or_404(self.preview_queryset(), pk=object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        response = self.render_preview(request, obj)
        response["X-Robots-Tag"] = "noindex"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["preview_url"] = self.preview_url(obj)
            if request.method == "GET" and obj.review_state is ReviewState.OVERDUE:
                messages.warning(
                    request,
                    f"This page's clinical review was due on {obj.next_review_due:%-d %B %Y}. Check the content is "
                    "still right, then update “Last reviewed” and “Next review due”.",
                )
            elif request.method == "GET" and obj.review_state is ReviewState.NEVER:
                messages.info(
                    request,
                    "No clinician has reviewed this page yet, so it shows only when it was last updated. When a "
                    "registered practitioner has checked it, enter their name, profession, AHPRA number and the date.",
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        claims = [*getattr(form, "claims", []), *(c for fs in formsets for c in getattr(fs, "claims", []))]
        if claims and form.instance.status != PublishStatus.PUBLISHED:
            messages.warning(
                request,
                f"Saved as a draft. Before you publish this page, reword {'; '.join(claims)}: "
                "health advertising law does not allow this wording.",
            )


@admin.register(Condition)
class ConditionAdmin(PublicPageAdmin):
    form = ConditionForm
    inlines = [ConditionSectionInline]
    list_display = ("title", "body_area", "status", "review_column", "updated_at", "preview_link")
    list_filter = ("status", "body_area", ReviewFilter)
    search_fields = ("title", "summary", "slug", "sections__heading", "sections__body")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("treatments", "related")
    list_select_related = ("body_area",)
    readonly_fields = ("diagram_preview",)
    fieldsets = [
        (None, {"fields": ("title", "slug", "summary", "body_area", "status")}),
        ("About the condition", {"fields": ("anatomy", "symptoms", "causes", "risk_factors")}),
        (
            "Diagram",
            {"fields": ("diagram_preview", "diagram_upload", "remove_diagram", "diagram_alt", "diagram_caption")},
        ),
        ("Links", {"fields": ("treatments", "related")}),
        REVIEW_FIELDSET,
    ]

    @admin.display(description="Diagram now")
    def diagram_preview(self, obj):
        if not obj.diagram:
            return "No diagram yet."
        return format_html('<div class="anatomy-figure">{}</div>', mark_safe(clean_svg(obj.diagram)))  # noqa: S308

    def preview_queryset(self):
        return views.condition_page_queryset()

    def render_preview(self, request, obj):
        return views.render_condition(request, obj, preview=True)


@admin.register(Treatment)
class TreatmentAdmin(PublicPageAdmin):
    form = TreatmentForm
    inlines = [TreatmentSectionInline]
    list_display = ("title", "status", "position", "review_column", "updated_at", "preview_link")
    list_editable = ("position",)
    list_filter = ("status", ReviewFilter)
    search_fields = ("title", "summary", "slug", "sections__heading", "sections__body")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = [
        (None, {"fields": ("title", "slug", "summary", "what_to_expect", "status", "position")}),
        REVIEW_FIELDSET,
    ]

    def preview_queryset(self):
        return views.treatment_page_queryset()

    def render_preview(self, request, obj):
        return views.render_treatment(request, obj, preview=True)


@admin.register(BodyArea)
class BodyAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "condition_count")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(condition_total=Count("conditions"))

    @admin.display(description="Conditions", ordering="condition_total")
    def condition_count(self, obj):
        return obj.condition_total


@admin.register(InformationPage)
class InformationPageAdmin(VersionAdmin):
    """The fees and first-visit pages' own words; the figures beside them (fees, HICAPS, payment
    methods, policies) are edited on the services, the location and the booking rules."""

    form = InformationPageForm
    inlines = [InformationSectionInline, FrequentQuestionInline]
    list_display = ("title", "slug", "updated_at", "view_link")
    readonly_fields = ("slug",)
    formfield_overrides = TEXT_BOXES

    @admin.display(description="Page")
    def view_link(self, obj):
        return format_html('<a href="/{}/">View</a>', obj.slug)

    def has_add_permission(self, request):
        return False  # the site has a place for each page; the content loader makes them

    def has_delete_permission(self, request, obj=None):
        return False
