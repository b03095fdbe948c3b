from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from conditions.markdown import RendersMarkdown


class PublishStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublishStatus.PUBLISHED)


class BodyArea(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Treatment(RendersMarkdown):
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=160, help_text="One or two sentences; also the page's search description.")
    what_to_expect = models.TextField(blank=True, help_text="Markdown.")
    what_to_expect_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=PublishStatus, default=PublishStatus.DRAFT)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()
    markdown_fields = {"what_to_expect": "what_to_expect_html"}

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("conditions:treatment_detail", kwargs={"slug": self.slug})


class Condition(models.Model):
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=160, help_text="One or two sentences; also the page's search description.")
    body_area = models.ForeignKey(BodyArea, on_delete=models.PROTECT, related_name="conditions")
    anatomy = models.CharField(max_length=200, blank=True, help_text="The body structure involved, in a few words.")
    symptoms = models.TextField(blank=True, help_text="One symptom per line.")
    causes = models.TextField(blank=True, help_text="One cause per line.")
    risk_factors = models.TextField(blank=True, help_text="One risk factor per line.")
    # A drawing cleaned by conditions.diagrams on the way in (the admin takes a file upload).
    diagram = models.TextField("anatomy diagram", blank=True, editable=False)
    diagram_alt = models.CharField(
        "what the diagram shows",
        max_length=600,
        blank=True,
        help_text="For people who cannot see the picture: what it shows, in a few plain sentences.",
    )
    diagram_caption = models.CharField("diagram caption", max_length=200, blank=True)
    treatments = models.ManyToManyField(Treatment, blank=True, related_name="conditions")
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    status = models.CharField(max_length=10, choices=PublishStatus, default=PublishStatus.DRAFT)
    reviewed_by_name = models.CharField("reviewed by", max_length=120)
    reviewed_by_profession = models.CharField(
        "reviewer's profession",
        max_length=120,
        blank=True,
        help_text="For example Podiatrist. Leave blank when a team, not one person, reviewed the page.",
    )
    last_reviewed = models.DateField()
    next_review_due = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["body_area__position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_review_due__gt=models.F("last_reviewed")),
                name="condition_review_due_after_last_review",
                violation_error_message="The next review must be after the last review.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("conditions:condition_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.diagram:
            missing = {
                "diagram_alt": "Say what the diagram shows, for people who cannot see it.",
                "diagram_caption": "Give the diagram a caption.",
            }
            errors = {field: message for field, message in missing.items() if not getattr(self, field).strip()}
            if errors:
                raise ValidationError(errors)

    def diagram_section(self, sections) -> object | None:
        """The section the diagram sits in: the one about anatomy, else the first."""
        if not self.diagram or not sections:
            return None
        return next((section for section in sections if section.anchor == "anatomy"), sections[0])

    @property
    def review_overdue(self) -> bool:
        return self.next_review_due < timezone.localdate()

    @staticmethod
    def default_review_dates():
        today = timezone.localdate()
        return today, today + timedelta(days=365)

    def symptom_list(self):
        return _lines(self.symptoms)

    def cause_list(self):
        return _lines(self.causes)

    def risk_factor_list(self):
        return _lines(self.risk_factors)


def _lines(text: str) -> list[str]:
    return [line.strip(" -*\t") for line in text.splitlines() if line.strip(" -*\t")]


class Section(RendersMarkdown):
    position = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=120)
    body = models.TextField(help_text="Markdown: paragraphs, lists, bold and links.")
    body_html = models.TextField(blank=True, editable=False)

    markdown_fields = {"body": "body_html"}

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return self.heading

    @property
    def anchor(self) -> str:
        return slugify(self.heading) or f"section-{self.pk}"


class ConditionSection(Section):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="sections")

    class Meta(Section.Meta):
        pass


class TreatmentSection(Section):
    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="sections")

    class Meta(Section.Meta):
        pass


class InformationPage(models.Model):
    """A page of practical information for patients (fees and rebates, the first visit): text
    staff edit, which the site's own figures (fees, hours, policies) are shown beside."""

    slug = models.SlugField(max_length=60, unique=True, help_text="Which page this is: fees or new-patients.")
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=160, help_text="One or two sentences; also the page's search description.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "information page"

    def __str__(self):
        return self.title


class InformationSection(Section):
    page = models.ForeignKey(InformationPage, on_delete=models.CASCADE, related_name="sections")

    class Meta(Section.Meta):
        pass


class FrequentQuestion(RendersMarkdown):
    page = models.ForeignKey(InformationPage, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    question = models.CharField(max_length=200)
    answer = models.TextField(help_text="Markdown: paragraphs, lists, bold and links.")
    answer_html = models.TextField(blank=True, editable=False)

    markdown_fields = {"answer": "answer_html"}

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "frequently asked question"

    def __str__(self):
        return self.question
