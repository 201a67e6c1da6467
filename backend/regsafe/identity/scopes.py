"""Row rules of the identity domain: which persons and employers a viewer may see, and
which regions they manage. Built on :class:`regsafe.auth.scopes.Scope`."""

from __future__ import annotations

from sqlalchemy import false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from regsafe.auth.roles import Role, Viewer
from regsafe.identity.models import Employer, Employment, EmploymentInvitation, Person


def person_scope(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition: the persons this viewer may see (the union over their roles).
    A reviewer of a ministry queue without a province reaches no person by region."""
    scope = viewer.scope
    if scope.region.national:
        return scope.region.sql(col(Person.region_code))
    terms: list[ColumnElement[bool]] = []
    if not scope.region.is_empty:
        terms.append(scope.region.sql(col(Person.region_code)))
    if viewer.has(Role.EMPLOYER_ADMIN) and scope.employer_id is not None:
        terms.append(
            col(Person.id).in_(
                select(Employment.person_id).where(
                    Employment.employer_id == scope.employer_id,
                    col(Employment.end_date).is_(None),
                )
            )
        )
    if viewer.has(Role.REGISTRANT) and scope.person_id is not None:
        terms.append(col(Person.id) == scope.person_id)
    return or_(*terms) if terms else false()


def staff_employer(viewer: Viewer) -> int | None:
    """The employer whose current staff this viewer sees as its unit admin (the employer
    term of :func:`person_scope`), or None."""
    if viewer.has(Role.EMPLOYER_ADMIN):
        return viewer.scope.employer_id
    return None


def person_visible(viewer: Viewer, person: Person, *, current_employer_id: int | None) -> bool:
    """The Python form of :func:`person_scope` for one loaded person: region reach, an
    employer admin's current staff (``current_employer_id``: the employer of the person's
    open employment, read only by that term), one's own person record. Rows about a
    person (registration, hours status, credit grade) go to exactly these viewers."""
    scope = viewer.scope
    if scope.region.covers(person.region_code):
        return True
    employer = staff_employer(viewer)
    if employer is not None and current_employer_id == employer:
        return True
    return (
        viewer.has(Role.REGISTRANT) and scope.person_id is not None and person.id == scope.person_id
    )


def person_ids_in_scope(viewer: Viewer) -> object:
    """Subquery of the ids of the persons this viewer may see."""
    return select(Person.id).where(person_scope(viewer))


def region_persons(viewer: Viewer, person_col: object) -> ColumnElement[bool]:
    """The viewer's region reach over a person-id column (no own/employer rows)."""
    region = viewer.scope.region
    if region.national or region.is_empty:
        return region.sql(None)
    return person_col.in_(  # type: ignore[attr-defined]
        select(Person.id).where(region.sql(col(Person.region_code)))
    )


def employer_scope(viewer: Viewer) -> ColumnElement[bool]:
    scope = viewer.scope
    if scope.region.national:
        return scope.region.sql(col(Employer.region_code))
    terms: list[ColumnElement[bool]] = []
    if not scope.region.is_empty:
        terms.append(scope.region.sql(col(Employer.region_code)))
    if scope.employer_id is not None:
        terms.append(col(Employer.id) == scope.employer_id)
    if scope.person_id is not None:
        terms.append(
            col(Employer.id).in_(
                select(Employment.employer_id).where(Employment.person_id == scope.person_id)
            )
        )
    return or_(*terms) if terms else false()


def invitation_scope(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition: the employment invitations (聘用邀请) this viewer may see: the
    inviting employer's admin, the invited person once registered, and reviewers and
    administrators over that person's region. An invitation to an unregistered number
    has no person, so no region reaches it (administrators see every row)."""
    scope = viewer.scope
    person_col = col(EmploymentInvitation.person_id)
    if scope.region.national:
        return scope.region.sql(person_col)
    terms: list[ColumnElement[bool]] = []
    if not scope.region.is_empty:
        terms.append(region_persons(viewer, person_col))
    if viewer.has(Role.EMPLOYER_ADMIN) and scope.employer_id is not None:
        terms.append(col(EmploymentInvitation.employer_id) == scope.employer_id)
    if viewer.has(Role.REGISTRANT) and scope.person_id is not None:
        terms.append(person_col == scope.person_id)
    return or_(*terms) if terms else false()


def can_manage_region(viewer: Viewer, region_code: str) -> bool:
    """Administrators everywhere; a provincial reviewer in their own province."""
    if viewer.has(Role.ADMIN):
        return True
    return viewer.has(Role.PROVINCIAL_REVIEWER) and viewer.scope.region.covers(region_code)


def person_in_reach(viewer: Viewer, person: Person) -> bool:
    """A person within the viewer's region reach (reviewers' and admins' power over
    persons). Empty reach (no province, no national role) covers nobody."""
    return viewer.scope.region.covers(person.region_code)
