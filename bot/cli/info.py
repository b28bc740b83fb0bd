"""`python -m bot info`: where to talk to the running assistant."""

from __future__ import annotations

from bot.settings import get_settings


def main(argv: list[str]) -> int:
    s = get_settings()
    web = f"http://localhost:{s.rasa_port}/webhooks/web/webhook"
    sender = "web:00000000-0000-4000-8000-000000000001"
    print(
        "\n".join(
            [
                "",
                f"  {s.service_name} is starting (Ctrl-C stops everything).",
                f'  Talk to it over HTTP: curl -s {web} -d \'{{"sender": "{sender}", "message": "Bonjour"}}\'',
                "  Or in the terminal:   make shell",
                f"  Web widget demo page: http://localhost:{s.web_port}/",
                f"  Conseillers' desk:    http://localhost:{s.desk_port}/ (first account: python -m bot users create)",
                f"  Database: {s.database_url}",
                f"  SMS: {'Twilio' if s.twilio_enabled else 'local outbox (no Twilio credentials)'}"
                " (python -m bot sms)",
                "  Phone line:           python -m bot call (as Twilio calls /webhooks/twilio_voice/webhook)",
                "",
            ]
        )
    )
    return 0
