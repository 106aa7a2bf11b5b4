"""Programmes, their rule-set versions, and enrolments."""
