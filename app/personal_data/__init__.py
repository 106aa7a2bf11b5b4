"""Data-subject rights: a person's copy of their data, erasure on request, retention."""
