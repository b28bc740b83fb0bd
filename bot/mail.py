"""One e-mail through the city's SMTP server (SMTP_* settings): the desk's ticket
notifications (bot/desk/notify.py) and the conversation holder's (bot/conversations/hold.py)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from bot.settings import Settings


def send_email(settings: Settings, to: list[str], subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
