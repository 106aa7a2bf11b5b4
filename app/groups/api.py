"""API operations of groups and sessions (filled in below)."""
