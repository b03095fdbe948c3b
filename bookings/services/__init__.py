"""Every write with rules goes through here: the public booking pages, the admin and commands
all call these same functions (`create.py`: making a booking; `change.py`: moving, cancelling
and editing one; `patients.py`: patient records; `questionnaire.py`: the pre-visit health questions)."""

from bookings.services.change import (
    booking_cancel,
    booking_reschedule,
    booking_send_new_link,
    booking_set_status,
    booking_update,
)
from bookings.services.create import ALREADY_BOOKED_MESSAGE, TAKEN_MESSAGE, booking_create, booking_create_with_patient
from bookings.services.patients import (
    patient_find_or_create,
    patient_merge,
    patient_update_from_booking,
    submitted_differences,
)
from bookings.services.questionnaire import (
    QuestionnaireClosed,
    questionnaire_closed_message,
    questionnaire_is_open,
    questionnaire_save_step,
    questionnaire_steps,
)

__all__ = [
    "ALREADY_BOOKED_MESSAGE",
    "TAKEN_MESSAGE",
    "booking_cancel",
    "booking_create",
    "booking_create_with_patient",
    "booking_reschedule",
    "booking_send_new_link",
    "booking_set_status",
    "booking_update",
    "QuestionnaireClosed",
    "patient_find_or_create",
    "patient_merge",
    "questionnaire_closed_message",
    "questionnaire_is_open",
    "questionnaire_save_step",
    "questionnaire_steps",
    "patient_update_from_booking",
    "submitted_differences",
]
