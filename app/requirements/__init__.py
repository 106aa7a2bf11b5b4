"""Competence requirements as data: rule sets, their evaluation, and progress."""
