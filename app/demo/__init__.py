"""Demo data: a society with people at every stage, so each feature can be seen working."""
