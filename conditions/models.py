from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from conditions.markdown import RendersMarkdown
from conditions.registration import ahpra_number_validator


class PublishStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublishStatus.PUBLISHED)


class ReviewState(models.TextChoices):
    NEVER = "never", "Never reviewed"
    OVERDUE = "overdue", "Review overdue"
    CURRENT = "current", "Reviewed"


class ReviewedQuerySet(PublishableQuerySet):
    def never_reviewed(self):
        return self.filter(last_reviewed__isnull=True)

    def review_overdue(self):
        return self.filter(next_review_due__lt=timezone.localdate())

    def review_current(self):
        return self.filter(next_review_due__gte=timezone.localdate())


class ClinicalReview(models.Model):
    """A page of health information says who checked it only when a named, registered clinician
    did: the content loader leaves these blank, and the page then shows only when it was updated."""

    reviewed_by_name = models.CharField(
        "reviewed by", max_length=120, blank=True, help_text="The reviewer's full name."
    )
    reviewed_by_profession = models.CharField(
        "reviewer's profession", max_length=120, blank=True, help_text="For example Podiatrist."
    )
    reviewer_ahpra_number = models.CharField(
        "reviewer's AHPRA registration number",
        max_length=13,
        blank=True,
        validators=[ahpra_number_validator],
        help_text="For example POD0001234567. Shown with a link to the public register.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(
        null=True, blank=True, help_text="Left blank, it is set a year after the last review."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_reviewed__isnull=True)
                | (
                    ~models.Q(reviewed_by_name="")
                    & ~models.Q(reviewed_by_profession="")
                    & ~models.Q(reviewer_ahpra_number="")
                    & models.Q(next_review_due__gt=models.F("last_reviewed"))
                ),
                name="%(class)s_review_names_a_registered_reviewer",
                violation_error_message="A review needs the reviewer's name, profession and AHPRA number, and a "
                "next review after the last one.",
            )
        ]

    REVIEW_FIELDS = ("reviewed_by_name", "reviewed_by_profession", "reviewer_ahpra_number", "last_reviewed")

    def clean(self):
        super().clean()
        given = [name for name in self.REVIEW_FIELDS if getattr(self, name)]
        if not given:
            self.next_review_due = None
            return
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = self.last_reviewed + timedelta(days=365)
        errors = {
            name: f"Enter the {self._meta.get_field(name).verbose_name} as well, or leave the whole review blank."
            for name in self.REVIEW_FIELDS
            if not getattr(self, name)
        }
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = "A review date cannot be in the future."
        if self.last_reviewed and self.next_review_due and self.next_review_due <= self.last_reviewed:
            errors["next_review_due"] = "The next review must be after the last review."
        if errors:
            raise ValidationError(errors)

    @property
    def review_state(self) -> ReviewState:
        if not self.last_reviewed:
            return ReviewState.NEVER
        if self.next_review_due < timezone.localdate():
            return ReviewState.OVERDUE
        return ReviewState.CURRENT

    @property
    def is_reviewed(self) -> bool:
        return self.review_state is not ReviewState.NEVER

    @property
    def review_overdue(self) -> bool:
        return self.review_state is ReviewState.OVERDUE


class BodyArea(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Treatment(RendersMarkdown, ClinicalReview):
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=160, help_text="One or two sentences; also the page's search description.")
    what_to_expect = models.TextField(blank=True, help_text="Markdown.")
    what_to_expect_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=PublishStatus, default=PublishStatus.DRAFT)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewedQuerySet.as_manager()
    markdown_fields = {"what_to_expect": "what_to_expect_html"}

    class Meta(ClinicalReview.Meta):
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("conditions:treatment_detail", kwargs={"slug": self.slug})


class Condition(ClinicalReview):
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
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewedQuerySet.as_manager()

    class Meta(ClinicalReview.Meta):
        ordering = ["body_area__position", "title"]

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
