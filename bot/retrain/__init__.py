"""A better model, safely (issue 17): retrain with the reviewed examples, evaluate on the
held-out sets, put in service only a model that is not worse, roll back.

- `models.py`: `ModelVersion`, one row per model (in service, refused, failed, waiting...).
- `service.py`: the requests and the history, database only (the desk uses it, without Rasa).
- `compare.py`: the headline figures and the rule "not worse on any".
- `model_server.py`: the model in service over HTTP with an ETag, for Rasa's model pulling.
- `worker.py`: the Rasa side: trains in a temporary copy of the data, evaluates, decides.
"""
