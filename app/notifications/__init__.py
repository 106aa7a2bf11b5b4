"""In-app notifications (with an e-mail copy through the mail module)."""
