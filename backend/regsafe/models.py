"""Imports every domain's tables so the metadata is complete (alembic, tests)."""

from regsafe.audit.models import AuditEvent
from regsafe.auth.models import LoginThrottle, RefreshToken, User
from regsafe.identity.models import Employer, Employment, Person
from regsafe.registration.models import (
    Application,
    ApplicationEvent,
    Document,
    Qualification,
    Registration,
)

__all__ = [
    "Application",
    "ApplicationEvent",
    "AuditEvent",
    "Document",
    "Employer",
    "Employment",
    "LoginThrottle",
    "Person",
    "Qualification",
    "RefreshToken",
    "Registration",
    "User",
]
