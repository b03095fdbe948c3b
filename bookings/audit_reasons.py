"""How the audit history names a change a patient made themselves, online: no staff member made
it, so the history says the patient did, by the booking's reference (never their name)."""


def patient_online(what: str, booking) -> str:
    return f"{what} online by the patient (booking {booking.reference})"
