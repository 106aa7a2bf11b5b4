"""The learning feature."""
