"""The change history the audited models keep (django-simple-history), with its manager's class
made once instead of on every use.

The library makes the class of a record's `history` manager afresh (`Manager.from_queryset`,
which inspects every queryset method) each time `record.history` is read, and it reads it for
every history row it writes: a confirmed booking writes two (the patient's and the booking's),
about half a millisecond each. The class is the same every time, so it is made once per model's
manager and queryset classes.
"""

from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


class KeptHistoryManager(HistoryManager):
    _made: dict = {}

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        key = (cls, queryset_class, class_name)
        if (made := cls._made.get(key)) is None:
            made = cls._made[key] = super().from_queryset(queryset_class, class_name)
        return made


def audited_history(**options) -> HistoricalRecords:
    """`HistoricalRecords(...)`, with the kept manager."""
    return HistoricalRecords(history_manager=KeptHistoryManager, **options)
