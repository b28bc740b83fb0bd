"""The handoff core: the one writer of appointments and tickets (see bot/handoff/service.py).

    from bot import handoff
    handoff.book(session, resident, slot); handoff.cancel(session, appointment, by=..., actor=...)
"""
from bot.handoff.service import *  # noqa: F401,F403
from bot.handoff.service import __all__  # noqa: F401
