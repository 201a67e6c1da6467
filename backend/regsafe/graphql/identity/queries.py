"""Root query fields of the identity domain."""

from __future__ import annotations

import strawberry
from sqlmodel import col

from regsafe.auth.roles import Role
from regsafe.core.clock import utcnow
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import Connection, paginate
from regsafe.identity import invitations, service
from regsafe.identity.models import Employer, EmploymentInvitation, Person
from regsafe.identity.service import EmployerFilter

from .enums import InvitationStatusEnum
from .inputs import (
    EmployerFilterInput,
    EmploymentInvitationFilterInput,
    PersonFilterInput,
    person_filter,
)
from .types import EmployerType, EmploymentInvitationType, PersonType

PEOPLE_READERS = (
    Role.REGISTRANT,
    Role.EMPLOYER_ADMIN,
    Role.PROVINCIAL_REVIEWER,
    Role.MINISTRY_REVIEWER,
    Role.ADMIN,
)
INVITATION_READERS = (
    Role.EMPLOYER_ADMIN,
    Role.PROVINCIAL_REVIEWER,
    Role.MINISTRY_REVIEWER,
    Role.ADMIN,
)


@strawberry.type
class IdentityQuery:
    @strawberry.field(
        description="人员查询: persons the viewer may see, filtered.",
        extensions=requires(*PEOPLE_READERS),
    )
    async def persons(
        self,
        info: strawberry.Info,
        filter: PersonFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PersonType]:
        stmt = service.person_query(
            info.context.viewer, person_filter(filter), info.context.runtime.cipher
        )
        return await paginate(
            info,
            stmt,
            key=col(Person.id),
            convert=PersonType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="单位查询: employers the viewer may see, filtered.",
        extensions=requires(*PEOPLE_READERS),
    )
    async def employers(
        self,
        info: strawberry.Info,
        filter: EmployerFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[EmployerType]:
        f = filter or EmployerFilterInput()
        domain_filter = EmployerFilter(
            name_prefix=f.name_prefix,
            credit_code=f.credit_code,
            region_code=f.region_code,
            kind=f.kind,
        )
        stmt = service.employer_query(info.context.viewer, domain_filter)
        return await paginate(
            info,
            stmt,
            key=col(Employer.id),
            convert=EmployerType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description=(
            "聘用邀请: an employer's own invitations (to unregistered numbers too, which "
            "stay PENDING until they expire), and reviewers' and administrators' over the "
            "persons of their region."
        ),
        extensions=requires(*INVITATION_READERS),
    )
    async def employment_invitations(
        self,
        info: strawberry.Info,
        filter: EmploymentInvitationFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[EmploymentInvitationType]:
        f = filter or EmploymentInvitationFilterInput()
        stmt = invitations.invitation_query(info.context.viewer, now=utcnow(), status=f.status)
        return await paginate(
            info,
            stmt,
            key=col(EmploymentInvitation.id),
            convert=EmploymentInvitationType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="我的聘用邀请: invitations addressed to the signed-in person.",
        extensions=requires(Role.REGISTRANT),
    )
    async def my_employment_invitations(
        self,
        info: strawberry.Info,
        status: InvitationStatusEnum | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[EmploymentInvitationType]:
        stmt = invitations.invitation_query(
            info.context.viewer, now=utcnow(), status=status, addressed_to_viewer=True
        )
        return await paginate(
            info,
            stmt,
            key=col(EmploymentInvitation.id),
            convert=EmploymentInvitationType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )
