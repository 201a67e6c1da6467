"""Mutations of the identity domain: persons, employers, employments, invitations."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date, datetime
from typing import Protocol

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry import relay

from regsafe.auth.roles import Role, Viewer
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.db import raw_connection
from regsafe.core.errors import DomainError
from regsafe.core.settings import Settings
from regsafe.graphql.core.errors import run_mutation
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import node_pk
from regsafe.identity import invitations, service
from regsafe.identity.errors import IdentityErrorCode
from regsafe.identity.invitations import InvitationPolicy
from regsafe.identity.models import EmploymentInvitation
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
    EmploymentInviteInput,
    EmploymentStartInput,
    PersonCreateInput,
    PersonUpdateInput,
)
from .types import (
    EmployerType,
    EmploymentInvitationType,
    EmploymentType,
    IdentityError,
    PersonType,
)

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


@strawberry.type(
    description="Result of employmentInvite and of answering an invitation (聘用邀请)."
)
class EmploymentInvitationPayload:
    invitation: EmploymentInvitationType | None = strawberry.field(
        description="The invitation; null when errors is not empty."
    )
    errors: list[IdentityError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


def _policy(settings: Settings) -> InvitationPolicy:
    return InvitationPolicy(
        days=settings.employment_invitation_days,
        per_day=settings.employment_invitations_per_day,
    )


class _Answer(Protocol):
    def __call__(
        self,
        session: AsyncSession,
        *,
        invitation_id: int,
        viewer: Viewer,
        now: datetime,
        request_id: str | None = None,
    ) -> Awaitable[EmploymentInvitation]: ...


async def _answer(
    info: strawberry.Info, gid: relay.GlobalID, answer: _Answer
) -> EmploymentInvitationPayload:
    ctx = info.context

    async def act() -> EmploymentInvitationType:
        invitation = await answer(
            ctx.session,
            invitation_id=_pk(gid, "EmploymentInvitation", "id"),
            viewer=ctx.viewer,
            now=utcnow(),
            request_id=ctx.request_id,
        )
        return EmploymentInvitationType.of(invitation)

    invitation, errors = await run_mutation(info, act)
    return EmploymentInvitationPayload(invitation=invitation, errors=_errors(errors))


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
        description=(
            "登记聘用 directly: administrators, and provincial reviewers for employers and "
            "persons of their province. One open employment per person (one engineer, one "
            "employer). Employers invite instead (employmentInvite)."
        ),
        extensions=requires(*MANAGERS),
    )
    async def employment_start(
        self, info: strawberry.Info, input: EmploymentStartInput
    ) -> EmploymentPayload:
        ctx = info.context

        async def act() -> EmploymentType:
            employment = await service.start_employment(
                ctx.session,
                person_id=_pk(input.person_id, "Person", "personId"),
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
        description=(
            "发出聘用邀请: the employer's admin invites the holder of an ID number. The "
            "answer is the same for every well-formed number (an invitation, PENDING), "
            "registered or not, employed elsewhere or not; a repeat returns the open "
            "invitation. The employment starts when the person accepts."
        ),
        extensions=requires(Role.EMPLOYER_ADMIN),
    )
    async def employment_invite(
        self, info: strawberry.Info, input: EmploymentInviteInput
    ) -> EmploymentInvitationPayload:
        ctx = info.context
        settings = ctx.settings

        async def act() -> EmploymentInvitationType:
            invitation = await invitations.invite(
                ctx.session,
                viewer=ctx.viewer,
                id_number=input.id_number,
                starts_on=input.starts_on,
                social_insurance=input.social_insurance,
                cipher=ctx.runtime.cipher,
                policy=_policy(settings),
                now=utcnow(),
                request_id=ctx.request_id,
            )
            return EmploymentInvitationType.of(invitation)

        invitation, errors = await run_mutation(info, act)
        return EmploymentInvitationPayload(invitation=invitation, errors=_errors(errors))

    @strawberry.mutation(
        description=(
            "接受聘用邀请: the invited person accepts and the employment starts (refused "
            "with EMPLOYMENT_OVERLAP while another employment is open)."
        ),
        extensions=requires(Role.REGISTRANT),
    )
    async def employment_invitation_accept(
        self, info: strawberry.Info, id: relay.GlobalID
    ) -> EmploymentInvitationPayload:
        return await _answer(info, id, invitations.accept)

    @strawberry.mutation(
        description="拒绝聘用邀请: the invited person declines.",
        extensions=requires(Role.REGISTRANT),
    )
    async def employment_invitation_decline(
        self, info: strawberry.Info, id: relay.GlobalID
    ) -> EmploymentInvitationPayload:
        return await _answer(info, id, invitations.decline)

    @strawberry.mutation(
        description=(
            "代为确认聘用邀请: a provincial reviewer of the person's province (or an "
            "administrator) confirms on the person's behalf; the employment starts."
        ),
        extensions=requires(*MANAGERS),
    )
    async def employment_invitation_confirm(
        self, info: strawberry.Info, id: relay.GlobalID
    ) -> EmploymentInvitationPayload:
        return await _answer(info, id, invitations.confirm)

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
