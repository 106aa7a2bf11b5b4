"""The vignettes feature."""
