"""Editing a programme's rule set in forms: a stored draft, checked by the parser, published as a version."""
