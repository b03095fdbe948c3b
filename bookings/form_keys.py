"""A booking form's key has two halves. The public one names the form in the review page's
address (so it can be in browser history and proxy logs); the secret one lives only in the
session of the browser that filled the form. A repeated Confirm from that session gets its
booking back; a replay of the public half from anywhere else does not."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.utils.crypto import constant_time_compare


@dataclass(frozen=True)
class FormKey:
    key: uuid.UUID
    secret: str

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(24)

    @property
    def secret_hash(self) -> str:
        return hashlib.sha256(self.secret.encode()).hexdigest()

    def made(self, booking) -> bool:
        return bool(booking.idempotency_secret_hash) and constant_time_compare(
            booking.idempotency_secret_hash, self.secret_hash
        )
