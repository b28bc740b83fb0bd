"""Custom actions served by the rasa-sdk action server (`python -m rasa_sdk --actions actions`).

One small module per concern; the SDK discovers every Action subclass in the package.
"""
