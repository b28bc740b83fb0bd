"""Learning from residents: the messages the assistant did not understand, reviewed and labelled.

`models.ReviewItem` is the one table: a redacted message that fell back, was declined, was
clarified then "autre chose", got "Non" to "Cette réponse vous aide ?", or was answered with a
small margin; the desk's review inbox labels it; labelled items become training data
(`python -m bot nlu export-reviewed`) and feed a retrain (`python -m bot retrain`).
"""
