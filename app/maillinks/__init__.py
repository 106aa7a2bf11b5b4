"""One-time e-mailed links that let a verifier act on one item without logging in."""
