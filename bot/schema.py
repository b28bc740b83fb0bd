"""Imports every module that declares tables, so `Base.metadata` is complete
(for Alembic and for tests that build a fresh database)."""

from __future__ import annotations

from bot import residents  # noqa: F401
from bot.answers import models as answers_models  # noqa: F401
from bot.booking import models as booking_models  # noqa: F401
from bot.conversations import models as conversation_models  # noqa: F401
from bot.db import Base
from bot.desk import calendar_feeds  # noqa: F401
from bot.places import models as places_models  # noqa: F401
from bot.retrain import models as retrain_models  # noqa: F401
from bot.review import models as review_models  # noqa: F401
from bot.sms import models as sms_models  # noqa: F401
from bot.staff import models as staff_models  # noqa: F401
from bot.tickets import models as tickets_models  # noqa: F401
from bot.voice import models as voice_models  # noqa: F401
from bot.waitlist import models as waitlist_models  # noqa: F401
from bot.web import deliveries as web_deliveries  # noqa: F401
from bot.webhooks import models as webhook_models  # noqa: F401

metadata = Base.metadata
