"""The handoff core: the one writer of appointments and tickets (see bot/handoff/service.py).

from bot import handoff
handoff.book(session, resident, slot); handoff.cancel(session, appointment, by=..., actor=...)
handoff.book_for_resident(session, resident, slot, request, prescriber)  # a partner books (prescription.py)
"""

from bot.handoff.prescription import Prescriber, Prescription, book_for_resident  # noqa: F401
from bot.handoff.service import *  # noqa: F401,F403
from bot.handoff.service import __all__ as _service_all

__all__ = [*_service_all, "Prescriber", "Prescription", "book_for_resident"]
