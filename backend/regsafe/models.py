"""Imports every domain's tables so the metadata is complete (alembic, tests)."""

from regsafe.audit.models import AuditEvent
from regsafe.auth.models import LoginThrottle, RefreshToken, User
from regsafe.identity.models import Employer, Employment, Person

__all__ = [
    "AuditEvent",
    "Employer",
    "Employment",
    "LoginThrottle",
    "Person",
    "RefreshToken",
    "User",
]
