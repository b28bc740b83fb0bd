"""The residents' data rights, over every table: erasure of one person, the access
export, the retention purge, and what stays of a record once anonymised.

Above the channels and the domain packages (it reaches into all their tables);
the building blocks it uses (hashing, redaction, screening) stay in bot/privacy,
which imports none of them.
"""
