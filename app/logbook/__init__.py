"""The logbook feature."""
