"""Sessions in the database, as Django keeps them, each save waiting its turn to write on SQLite
(`soletherapy.write_turn`): a booking in progress saves the patient's answers to the session at
each step, beside the bookings being confirmed."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from soletherapy.write_turn import write_turn


class SessionStore(DatabaseSessionStore):
    def save(self, must_create=False):
        with write_turn():
            super().save(must_create=must_create)
