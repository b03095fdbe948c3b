"""The availability tests' clinic: one practitioner and one service at a Sydney location."""

import pytest

from tests.bookings.availability.slots import make_clinic


@pytest.fixture
def clinic(db):
    return make_clinic()
