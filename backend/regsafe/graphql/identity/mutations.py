"""Mutations of the identity domain: persons, employers, employments."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.db import raw_connection
from regsafe.core.errors import DomainError
from regsafe.graphql.core.errors import run_mutation
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import node_pk
from regsafe.identity import service
from regsafe.identity.errors import IdentityErrorCode
from regsafe.identity.service import (
    AgePolicy,
    EmployerInput,
    EmployerPatch,
    PersonInput,
    PersonPatch,
)
from regsafe.identity.tasks import defer_verify_person

from .inputs import (
    EmployerCreateInput,
    EmployerUpdateInput,
    EmploymentStartInput,
    PersonCreateInput,
    PersonUpdateInput,
)
from .types import EmployerType, EmploymentType, IdentityError, PersonType

MANAGERS = (Role.ADMIN, Role.PROVINCIAL_REVIEWER)


def _errors(errs: list[DomainError]) -> list[IdentityError]:
    return [
        IdentityError(field=e.field, code=IdentityErrorCode(e.code.value), message=e.message)
        for e in errs
    ]


def _pk(gid: relay.GlobalID, type_name: str, field: str) -> int:
    pk = node_pk(gid, type_name)
    if pk is None:
        raise DomainError(IdentityErrorCode.NOT_FOUND, "ID 无效", field)
    return pk


@strawberry.type(description="Result of personCreate.")
class PersonCreatePayload:
    person: PersonType | None = strawberry.field(
        description="The person; null when errors is not empty."
    )
    errors: list[IdentityError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of personUpdate.")
class PersonUpdatePayload:
    person: PersonType | None = strawberry.field(
        description="The person; null when errors is not empty."
    )
    errors: list[IdentityError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of employerCreate.")
class EmployerCreatePayload:
    employer: EmployerType | None = strawberry.field(
        description="The employer; null when errors is not empty."
    )
    errors: list[IdentityError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of employerUpdate.")
class EmployerUpdatePayload:
    employer: EmployerType | None = strawberry.field(
        description="The employer; null when errors is not empty."
    )
    errors: list[IdentityError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of employmentStart / employmentEnd.")
class EmploymentPayload:
    employment: EmploymentType | None = strawberry.field(
        description="The employment; null when errors is not empty."
    )
    errors: list[IdentityError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(
        description="人员登记: create a person; identity verification is queued with it.",
        extensions=requires(*MANAGERS),
    )
    async def person_create(
        self, info: strawberry.Info, input: PersonCreateInput
    ) -> PersonCreatePayload:
        ctx = info.context
        settings = ctx.settings

        async def act() -> PersonType:
            person = await service.create_person(
                ctx.session,
                data=PersonInput(
                    name=input.name,
                    id_number=input.id_number,
                    region_code=input.region_code,
                    phone=input.phone,
                    education=input.education,
                    specialty=input.specialty,
                ),
                viewer=ctx.viewer,
                cipher=ctx.runtime.cipher,
                today=today_shanghai(),
                ages=AgePolicy(settings.min_age, settings.max_age),
                request_id=ctx.request_id,
            )
            assert person.id is not None
            await defer_verify_person(await raw_connection(ctx.session), person.id)
            return PersonType.of(person)

        person, errors = await run_mutation(info, act)
        return PersonCreatePayload(person=person, errors=_errors(errors))

    @strawberry.mutation(
        description="修改人员信息. Registrants may change their own phone and education.",
        extensions=requires(*MANAGERS, Role.REGISTRANT),
    )
    async def person_update(
        self, info: strawberry.Info, id: relay.GlobalID, input: PersonUpdateInput
    ) -> PersonUpdatePayload:
        ctx = info.context

        async def act() -> PersonType:
            person = await service.update_person(
                ctx.session,
                person_id=_pk(id, "Person", "id"),
                patch=PersonPatch(
                    name=input.name,
                    region_code=input.region_code,
                    phone=input.phone,
                    education=input.education,
                    specialty=input.specialty,
                    expected_version=input.expected_version,
                ),
                viewer=ctx.viewer,
                cipher=ctx.runtime.cipher,
                now=utcnow(),
                request_id=ctx.request_id,
            )
            return PersonType.of(person)

        person, errors = await run_mutation(info, act)
        return PersonUpdatePayload(person=person, errors=_errors(errors))

    @strawberry.mutation(
        description=(
            "单位登记. A failed credit-code check character is a warning reviewers may accept."
        ),
        extensions=requires(*MANAGERS),
    )
    async def employer_create(
        self, info: strawberry.Info, input: EmployerCreateInput
    ) -> EmployerCreatePayload:
        ctx = info.context

        async def act() -> EmployerType:
            employer = await service.create_employer(
                ctx.session,
                data=EmployerInput(
                    name=input.name,
                    credit_code=input.credit_code,
                    kind=input.kind,
                    industry=input.industry,
                    region_code=input.region_code,
                    accept_checksum_warning=input.accept_checksum_warning,
                ),
                viewer=ctx.viewer,
                request_id=ctx.request_id,
            )
            return EmployerType.of(employer)

        employer, errors = await run_mutation(info, act)
        return EmployerCreatePayload(employer=employer, errors=_errors(errors))

    @strawberry.mutation(
        description="修改单位信息 (the employer's own admin, or a manager of its region).",
        extensions=requires(*MANAGERS, Role.EMPLOYER_ADMIN),
    )
    async def employer_update(
        self, info: strawberry.Info, id: relay.GlobalID, input: EmployerUpdateInput
    ) -> EmployerUpdatePayload:
        ctx = info.context

        async def act() -> EmployerType:
            employer = await service.update_employer(
                ctx.session,
                employer_id=_pk(id, "Employer", "id"),
                patch=EmployerPatch(
                    name=input.name,
                    kind=input.kind,
                    industry=input.industry,
                    region_code=input.region_code,
                    expected_version=input.expected_version,
                ),
                viewer=ctx.viewer,
                now=utcnow(),
                request_id=ctx.request_id,
            )
            return EmployerType.of(employer)

        employer, errors = await run_mutation(info, act)
        return EmployerUpdatePayload(employer=employer, errors=_errors(errors))

    @strawberry.mutation(
        description="登记聘用: one open employment per person (one engineer, one employer).",
        extensions=requires(*MANAGERS, Role.EMPLOYER_ADMIN),
    )
    async def employment_start(
        self, info: strawberry.Info, input: EmploymentStartInput
    ) -> EmploymentPayload:
        ctx = info.context

        async def act() -> EmploymentType:
            employment = await service.start_employment(
                ctx.session,
                person_id=(_pk(input.person_id, "Person", "personId") if input.person_id else None),
                id_number=input.id_number,
                cipher=ctx.runtime.cipher,
                employer_id=_pk(input.employer_id, "Employer", "employerId"),
                start_date=input.start_date,
                social_insurance=input.social_insurance,
                viewer=ctx.viewer,
                today=today_shanghai(),
                request_id=ctx.request_id,
            )
            return EmploymentType.of(employment)

        employment, errors = await run_mutation(info, act)
        return EmploymentPayload(employment=employment, errors=_errors(errors))

    @strawberry.mutation(
        description="结束聘用",
        extensions=requires(*MANAGERS, Role.EMPLOYER_ADMIN),
    )
    async def employment_end(
        self, info: strawberry.Info, id: relay.GlobalID, end_date: date
    ) -> EmploymentPayload:
        ctx = info.context

        async def act() -> EmploymentType:
            employment = await service.end_employment(
                ctx.session,
                employment_id=_pk(id, "Employment", "id"),
                end_date=end_date,
                viewer=ctx.viewer,
                request_id=ctx.request_id,
            )
            return EmploymentType.of(employment)

        employment, errors = await run_mutation(info, act)
        return EmploymentPayload(employment=employment, errors=_errors(errors))
