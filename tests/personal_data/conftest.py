"""An issued certificate, as the certificate tests make it."""

from tests.certificates.conftest import certificate, ready  # noqa: F401
