"""Models of the learning feature."""
