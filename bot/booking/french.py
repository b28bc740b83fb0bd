"""French dates moved to bot/texts/french.py (the texts' helper); this name stays for older imports."""

from bot.texts.french import DAYS, MONTHS, french_datetime, french_day, french_time  # noqa: F401
