"""The web chat widget: the REST input channel Rasa serves it through
(channel.py), and the small web process that serves the widget's files,
its configuration and a demo city page (app.py, `python -m bot serve web`)."""
