"""The forms of the content admin: wording health advertising law forbids is refused on
published pages, a condition's diagram is taken as an SVG upload and cleaned, and line endings
are kept as typed so the revision history shows only real edits."""

from django import forms
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.text import slugify

from conditions.compliance import describe_claims, find_forbidden_claims
from conditions.diagrams import MAX_BYTES, DiagramRefused, clean_svg
from conditions.models import Condition, InformationPage, PublishStatus, Treatment


class PlainLineEndingsField(forms.CharField):
    """Browsers send a text box's line breaks as CRLF. Stored as LF, text nobody touched stays
    unchanged, so the revision history lists only the fields that were really edited."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


REVIEW_FIELDS = (
    "reviewed_by_name",
    "reviewed_by_profession",
    "reviewer_ahpra_number",
    "last_reviewed",
    "next_review_due",
)
TEXT_BOXES = {models.TextField: {"form_class": PlainLineEndingsField}}

CLAIMS_HELP = "Health advertising law does not allow this on a published page: reword it, or save the page as a draft."


class ComplianceForm(forms.ModelForm):
    """Refuses to publish wording that health advertising law forbids; drafts keep it, so the
    admin can warn instead (see `claims`)."""

    checked_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned_data = super().clean()
        self.claims = []
        # Pages without a status (information pages) are always published.
        publishing = "status" not in self.fields or cleaned_data.get("status") == PublishStatus.PUBLISHED
        for name in self.checked_fields:
            phrases = find_forbidden_claims(cleaned_data.get(name) or "")
            if not phrases:
                continue
            where = str(self.fields[name].label).lower()
            self.claims.append(f"{describe_claims(phrases)} in the {where}")
            if publishing:
                self.add_error(name, f"The {where} contains {describe_claims(phrases)}. {CLAIMS_HELP}")
        return cleaned_data


class ConditionForm(ComplianceForm):
    checked_fields = ("title", "summary", "anatomy", "symptoms", "causes", "risk_factors", "diagram_caption")

    diagram_upload = forms.FileField(
        label="New diagram",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".svg,image/svg+xml"}),
        help_text=(
            f"An SVG drawing under {MAX_BYTES // 1000} KB, with a viewBox, width and height, and its labels as "
            "text. Scripts, links, images and styles are not allowed (export with presentation attributes). "
            "The site's high-contrast colours apply to shapes with the classes bone, muscle, tendon, pain "
            "and leader."
        ),
    )
    remove_diagram = forms.BooleanField(label="Remove the diagram", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "related" in self.fields:
            # A page is never "related" to itself.
            self.fields["related"].queryset = self.fields["related"].queryset.exclude(pk=self.instance.pk)

    def clean_diagram_upload(self):
        upload = self.cleaned_data.get("diagram_upload")
        if not upload:
            return ""
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is too big: a diagram must be under {MAX_BYTES // 1000} KB.")
        try:
            return clean_svg(upload.read())
        except DiagramRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal

    def clean(self):
        cleaned_data = super().clean()
        # Set before the model's own checks run, so a new diagram needs its text alternative.
        if cleaned_data.get("diagram_upload"):
            self.instance.diagram = cleaned_data["diagram_upload"]
        elif cleaned_data.get("remove_diagram"):
            self.instance.diagram = ""
        return cleaned_data

    class Meta:
        model = Condition
        fields = [
            "title", "slug", "summary", "body_area", "status", "anatomy", "symptoms", "causes", "risk_factors",
            "diagram_alt", "diagram_caption", "treatments", "related", *REVIEW_FIELDS,
        ]  # fmt: skip
        # Sentences, not single words: text boxes that show all of them.
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "anatomy": forms.Textarea(attrs={"rows": 2}),
            "diagram_alt": forms.Textarea(attrs={"rows": 4}),
            "diagram_caption": forms.Textarea(attrs={"rows": 2}),
        }


class TreatmentForm(ComplianceForm):
    checked_fields = ("title", "summary", "what_to_expect")

    class Meta:
        model = Treatment
        fields = ("title", "slug", "summary", "what_to_expect", "status", "position", *REVIEW_FIELDS)
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}


class SectionFormSet(BaseInlineFormSet):
    """Section checks need the page's new status, which the admin has already put on
    `self.instance` from the submitted form by the time the formsets are validated."""

    # The fields checked for wording: (field, how the message names it); the first titles the row.
    checked = (("heading", "heading"), ("body", "text"))
    kind = "section"

    def clean(self):
        super().clean()
        self.claims = []
        problems = []
        anchors = {}
        publishing = getattr(self.instance, "status", PublishStatus.PUBLISHED) == PublishStatus.PUBLISHED
        title_field = self.checked[0][0]
        for form in self.forms:
            heading = form.cleaned_data.get(title_field) if hasattr(form, "cleaned_data") else None
            if not heading or self._should_delete_form(form):
                continue
            # Headings become the page's link targets (#what-is-it), so each must be different.
            anchor = slugify(heading)
            if anchor and anchor in anchors:
                form.add_error(
                    title_field,
                    f"Another {self.kind} is also called “{anchors[anchor]}”: "
                    f"give each one its own {self.checked[0][1]}.",
                )
            anchors[anchor] = heading
            for name, where in self.checked:
                phrases = find_forbidden_claims(form.cleaned_data.get(name) or "")
                if not phrases:
                    continue
                claim = f"{describe_claims(phrases)} in the {where} of {self.kind} “{heading}”"
                self.claims.append(claim)
                if publishing:
                    problems.append(claim)
                    form.add_error(name, f"This {where} contains {describe_claims(phrases)}. {CLAIMS_HELP}")
        if problems:
            raise forms.ValidationError(
                "This page cannot be published while its sections contain wording that health advertising law "
                f"does not allow: {'; '.join(problems)}."
            )


class QuestionFormSet(SectionFormSet):
    checked = (("question", "question"), ("answer", "answer"))
    kind = "question"


class InformationPageForm(ComplianceForm):
    checked_fields = ("title", "summary")

    class Meta:
        model = InformationPage
        fields = ("title", "slug", "summary")
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}
