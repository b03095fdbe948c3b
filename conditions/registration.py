"""Health practitioner registration in Australia: the AHPRA number's form and the public register
where anyone can check it."""

from django.core.validators import RegexValidator

AHPRA_REGISTER = "https://www.ahpra.gov.au/Registration/Registers-of-Practitioners.aspx"

ahpra_number_validator = RegexValidator(
    r"^[A-Z]{3}[0-9]{10}$", "An AHPRA registration number is three capital letters and ten digits, e.g. POD0001234567."
)
