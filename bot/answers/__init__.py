"""Living answers: the assistant's responses kept in the database, edited in the desk.

The repository's domain files (bot/domain/*.yml) seed the database (`seed`); Rasa
serves what the database holds through a NaturalLanguageGenerator (`nlg`), so an
answer edited in the desk or with `python -m bot answers set` is what the next
resident gets, on every Rasa process; `export` writes the database's answers back
to the domain files for git. Every change is an `AnswerVersion` (`store`), every
text is checked before it is saved (`checks`).
"""
