"""Files kept in the database, so no app server holds state on its own disk (issue 14)."""
