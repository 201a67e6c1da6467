"""Root query fields of the identity domain."""

from __future__ import annotations

import strawberry
from sqlmodel import col

from regsafe.auth.roles import Role
from regsafe.graphql.core.errors import BadUserInput
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import Connection, node_pk, paginate
from regsafe.identity import service
from regsafe.identity.models import Employer, Person
from regsafe.identity.service import EmployerFilter, PersonFilter

from .inputs import EmployerFilterInput, PersonFilterInput
from .types import EmployerType, PersonType

PEOPLE_READERS = (
    Role.REGISTRANT,
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
        f = filter or PersonFilterInput()
        employer_id = node_pk(f.employer_id, "Employer")
        if f.employer_id is not None and employer_id is None:
            raise BadUserInput("employerId 不是单位ID", "INVALID_ID")
        domain_filter = PersonFilter(
            name_prefix=f.name_prefix,
            id_number=f.id_number,
            region_code=f.region_code,
            specialty=f.specialty,
            employer_id=employer_id,
        )
        stmt = service.person_query(info.context.viewer, domain_filter, info.context.runtime.cipher)
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
