import pytest

from conditions.compliance import find_forbidden_claims


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Orthotics can cure heel pain.", ["cure"]),
        ("Dry needling cures tight calves.", ["cures"]),
        ("Most people are cured in weeks.", ["cured"]),
        ("CURE YOUR KNEE PAIN", ["CURE"]),
        ("Results guaranteed.", ["guaranteed"]),
        ("Our guarantee to you.", ["guarantee"]),
        ("100% of patients improve.", ["100%"]),
        ("It works 100 per cent of the time.", ["100 per cent"]),
        ("A permanent fix for sore knees.", ["permanent fix"]),
        ("A miracle insole.", ["miracle"]),
        ("Try it risk-free.", ["risk-free"]),
        ("The treatment is painless.", ["painless"]),
        ("Read our testimonials.", ["testimonials"]),
        ("Patients say the team is great.", ["Patients say"]),
        ("Rated 5 stars by runners.", ["5 stars"]),
        ("A five-star clinic.", ["five-star"]),
        ('"This clinic changed my life!" – Sam', ['"This clinic changed my life!"']),
        ("“I recommend them to all my friends,” said Jo.", ["“I recommend them to all my friends,”"]),
        ("A guaranteed cure, 100% painless.", ["guaranteed", "cure", "100%", "painless"]),
        ("Jane says: best clinic ever, fixed my knee!", ["Jane says:", "best clinic", "fixed my"]),
        ("You will be pain-free forever.", ["pain-free", "forever"]),
        ("The number one podiatry clinic in town.", ["number one"]),
        ("Orthotics that c-u-r-e heel pain.", ["c-u-r-e"]),
        ("We c u r e knees.", ["c u r e"]),
        ("G.U.A.R.A.N.T.E.E.D results", ["G.U.A.R.A.N.T.E.E.D"]),
        ("Results 100 % of the time.", ["100 %"]),
        ("Works 100  percent.", ["100  percent"]),
    ],
)
def test_wording_that_health_advertising_law_forbids_is_flagged(text, flagged):
    assert find_forbidden_claims(text) == flagged


@pytest.mark.parametrize(
    "text",
    [
        "Your details are kept secure.",
        "We procure orthotics from an Australian lab.",
        "A pedicure is not a podiatry treatment.",
        "The aim is to ease your pain and lower the chance of it coming back.",
        "You may feel pain less often as you get stronger.",
        "Some people call it “runner’s knee”.",
        "Your podiatrist will say which stretches suit you.",
        "We will explain what we found and what is best for you to try first.",
        "Around 1,100% more steps",  # not "100%" on its own
        "A c u p u n c t u r e needle",  # spelt out, but another word
        "Care comes first: call us.",
        "",
    ],
)
def test_ordinary_clinical_wording_is_not_flagged(text):
    assert find_forbidden_claims(text) == []


def test_a_phrase_used_twice_is_reported_once():
    assert find_forbidden_claims("Cure it. Then cure it again.") == ["Cure"]


def test_the_clinics_own_published_copy_passes(clinic_content):
    from conditions.models import Condition, Treatment

    texts = [
        text
        for page in [*Condition.objects.prefetch_related("sections"), *Treatment.objects.prefetch_related("sections")]
        for text in [page.title, page.summary, *(s.heading + "\n" + s.body for s in page.sections.all())]
    ]

    assert [find_forbidden_claims(text) for text in texts if find_forbidden_claims(text)] == []
