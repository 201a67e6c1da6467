"""uploadConfirm: the one confirm verb of every upload slot (DESIGN.md §6). The slot's
purpose picks its domain's step (regsafe/upload_handlers.py); the target it attached to
comes back as a union."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from regsafe.core.clock import utcnow
from regsafe.core.errors import DomainError
from regsafe.core.upload_slots import Confirmation, SlotContext, UploadErrorCode, confirm
from regsafe.education.models import CourseUnit
from regsafe.graphql.core.errors import run_mutation
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import node_pk
from regsafe.graphql.core.uploads import UploadError, UploadSlotType, slot
from regsafe.graphql.education.types import CourseUnitType
from regsafe.graphql.practice.types import PracticeRecordType
from regsafe.graphql.registration.types import DocumentType_
from regsafe.practice.models import PracticeRecord
from regsafe.registration.models import Document
from regsafe.upload_handlers import HANDLERS

UploadTarget = Annotated[
    DocumentType_ | CourseUnitType | PracticeRecordType,
    strawberry.union(
        "UploadTarget",
        description=(
            "What a confirmed upload was attached to: the application document, the course "
            "unit (its material) or the practice record (its evidence)."
        ),
    ),
]


def _target(obj: object | None) -> DocumentType_ | CourseUnitType | PracticeRecordType | None:
    if isinstance(obj, Document):
        return DocumentType_.of(obj)
    if isinstance(obj, CourseUnit):
        return CourseUnitType.of(obj)
    if isinstance(obj, PracticeRecord):
        return PracticeRecordType.of(obj)
    return None


@strawberry.type(description="Result of uploadConfirm.")
class UploadConfirmPayload:
    upload: UploadSlotType | None = strawberry.field(
        description="The slot (CONFIRMED, or REFUSED/EXPIRED with errors); null when not found."
    )
    target: UploadTarget | None = strawberry.field(
        description=(
            "What the file was attached to; null for hours and credit evidence (named later "
            "by hoursSelfReport / creditEventEnter) and on errors."
        )
    )
    errors: list[UploadError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type
class UploadMutation:
    @strawberry.mutation(
        description=(
            "上传确认: after the PUT, the server checks the file (size, real type by content, "
            "SHA-256, pages) with its purpose's limits and runs the purpose's step: a "
            "document is confirmed and queued for OCR, a course material replaces the "
            "unit's, practice evidence is attached to its record, hours and credit "
            "evidence wait to be named by their mutation. Only the slot's owner confirms; "
            "a refused file leaves the slot REFUSED."
        ),
        extensions=requires(),
    )
    async def upload_confirm(
        self, info: strawberry.Info, id: relay.GlobalID
    ) -> UploadConfirmPayload:
        ctx = info.context
        store = ctx.runtime.store
        if store is None:
            raise RuntimeError("object store is not configured")

        async def act() -> Confirmation:
            pk = node_pk(id, "UploadSlot")
            if pk is None:
                raise DomainError(UploadErrorCode.NOT_FOUND, "上传不存在或无权访问", "id")
            return await confirm(
                SlotContext(ctx.session, store, ctx.viewer, ctx.settings, utcnow()),
                upload_id=pk,
                handlers=HANDLERS,
            )

        done, errs = await run_mutation(info, act)
        errors = errs or (done.errors if done else []) or []
        return UploadConfirmPayload(
            upload=slot(done.upload) if done else None,
            target=_target(done.target) if done else None,
            errors=[
                UploadError(field=e.field, code=UploadErrorCode(e.code.value), message=e.message)
                for e in errors
            ],
        )
