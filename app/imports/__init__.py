"""Bulk import of members and enrolments from a CSV or Excel file."""
