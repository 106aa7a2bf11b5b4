"""Models of the vignettes feature."""
