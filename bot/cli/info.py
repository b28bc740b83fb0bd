"""`python -m bot info`: where to talk to the running assistant."""
from __future__ import annotations

from bot.settings import get_settings


def main(argv: list[str]) -> int:
    s = get_settings()
    rest = f"http://localhost:{s.rasa_port}/webhooks/rest/webhook"
    print(
        "\n".join(
            [
                "",
                f"  {s.service_name} is starting (Ctrl-C stops everything).",
                f"  Talk to it over REST:  curl -s {rest} -d '{{\"sender\": \"moi\", \"message\": \"Bonjour\"}}'",
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
