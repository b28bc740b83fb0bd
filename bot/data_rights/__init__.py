"""The residents' data rights, over every table: erasure of one person, the access
export, the retention purge, and what stays of a record once anonymised.

Above the channels and the domain packages (it reaches into all their tables);
the building blocks it uses (hashing, redaction, screening) stay in bot/privacy,
which imports none of them.
"""

from __future__ import annotations

# The tables these modules reach point at places, conseillers and desk users (relationships and
# foreign keys by name): their mapped classes are loaded here, so the mappers configure in any
# process (bot.schema, which loads every table, sits above the desk).
from bot.places import models as _places_models  # noqa: F401
from bot.staff import models as _staff_models  # noqa: F401
