"""Models of the logbook feature."""
