"""The landing page each person sees after logging in."""
