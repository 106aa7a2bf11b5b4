"""Dated profile facts rule sets read: society membership periods, qualifications, exams."""
