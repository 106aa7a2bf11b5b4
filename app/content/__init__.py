"""Loading and checking the content folders (curriculum/ and case_vignettes/)."""
