"""Issued documents, stored for good (issue 14): rendered once, served as stored bytes."""
