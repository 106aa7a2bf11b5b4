"""The application for accreditation, the panel that reviews it, and status levels."""
