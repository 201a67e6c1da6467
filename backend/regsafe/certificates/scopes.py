"""Row rules of certificates: the holder, their employer's admin, and reviewers of the
certificate's province — the province of the certificate's employer, the same rule that
sets an application's ``province_code`` (and the number's province) — ministry reviewers
and admins nationally. A reviewer without a province sees no certificate."""

from __future__ import annotations

from sqlalchemy import false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from regsafe.auth.roles import Role, Viewer
from regsafe.certificates.models import Certificate
from regsafe.identity.models import Employer

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)


def reviewer_certificates(viewer: Viewer) -> ColumnElement[bool]:
    """The certificates within a reviewer's (or admin's) region reach."""
    region = viewer.scope.region
    if not viewer.has(*REVIEWERS) or region.is_empty:
        return false()
    if region.national:
        return region.sql(None)
    return col(Certificate.employer_id).in_(
        select(Employer.id).where(region.sql(col(Employer.region_code)))
    )


def certificate_scope(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition: the certificates this viewer may see in full (the public only ever
    gets the verification view)."""
    terms: list[ColumnElement[bool]] = []
    if viewer.has(*REVIEWERS) and not viewer.scope.region.is_empty:
        terms.append(reviewer_certificates(viewer))
    if viewer.person_id is not None:
        terms.append(col(Certificate.person_id) == viewer.person_id)
    if viewer.has(Role.EMPLOYER_ADMIN) and viewer.employer_id is not None:
        terms.append(col(Certificate.employer_id) == viewer.employer_id)
    return or_(*terms) if terms else false()
