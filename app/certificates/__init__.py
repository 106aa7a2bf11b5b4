"""Certificates: issuing, the PDF, public verification, revocation and the signed credential."""
