"""The one upload-slot type every domain's upload request returns (DESIGN.md §6), its
enums and the errors of uploadConfirm. The confirm verb itself is in
``graphql/uploads.py``, beside the union of the targets it can attach to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from regsafe.core.clock import utcnow
from regsafe.core.upload_slots import (
    SlotStatus,
    Upload,
    UploadErrorCode,
    UploadPurpose,
    effective_status,
    put_url,
    upload_scope,
)
from regsafe.graphql.core.relay import visible_nodes

strawberry.enum(
    UploadPurpose,
    name="UploadPurpose",
    description=(
        "上传用途: APPLICATION_DOCUMENT 申请材料, COURSE_MATERIAL 课件, HOURS_EVIDENCE "
        "学时证明, PRACTICE_EVIDENCE 执业记录证明材料, CREDIT_EVIDENCE 信用事件证明材料"
    ),
)
strawberry.enum(
    SlotStatus,
    name="UploadSlotStatus",
    description=(
        "上传状态: PENDING 待上传 (PUT, then uploadConfirm), CONFIRMED 已确认, REFUSED 未通过"
        "检查, EXPIRED 已过期, USED 已使用 (evidence taken by its mutation)"
    ),
)
strawberry.enum(
    UploadErrorCode,
    name="UploadErrorCode",
    description="Why uploadConfirm failed (the slot, the file's checks, or the target's state).",
)


@strawberry.type(description="A problem with an upload that the user can fix (上传错误).")
class UploadError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    code: UploadErrorCode = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="Explanation for the user, in Chinese.")


@strawberry.type(
    name="UploadSlot",
    description=(
        "上传凭证: one file the viewer may upload. PUT the bytes to url (with the "
        "Content-Type header contentType), then call uploadConfirm(id). Visible to its "
        "owner and administrators."
    ),
)
class UploadSlotType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[Upload]

    @classmethod
    def of(cls, u: Upload) -> UploadSlotType:
        assert u.id is not None
        return cls(id=u.id, model=u)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[UploadSlotType | None]:
        return await visible_nodes(
            info, node_ids, Upload, upload_scope(info.context.viewer), cls.of
        )

    @strawberry.field(description="上传用途")
    def purpose(self) -> UploadPurpose:
        return UploadPurpose(self.model.purpose)

    @strawberry.field(
        description=(
            "Presigned PUT URL for the bytes, valid until expiresAt; null unless the slot "
            "is PENDING and unexpired, and for anyone but its owner."
        )
    )
    async def url(self, info: strawberry.Info) -> str | None:
        store = info.context.runtime.store
        if store is None or info.context.viewer.user_id != self.model.owner_user_id:
            return None
        return await put_url(store, self.model, now=utcnow())

    @strawberry.field(description="The Content-Type header the PUT must send (the declared type).")
    def content_type(self) -> str:
        return self.model.declared_type

    @strawberry.field(description="The largest file this purpose takes (bytes).")
    def max_bytes(self) -> int:
        return self.model.max_bytes

    @strawberry.field(description="申报大小 (bytes): what arrives must be exactly this size.")
    def declared_size(self) -> int:
        return self.model.declared_size

    @strawberry.field(description="原文件名, where the purpose keeps one.")
    def filename(self) -> str | None:
        return self.model.filename

    @strawberry.field(description="The URL and the unconfirmed slot expire at this time.")
    def expires_at(self) -> datetime:
        return self.model.expires_at

    @strawberry.field(description="上传状态 (PENDING past expiresAt reads EXPIRED).")
    def status(self) -> SlotStatus:
        return effective_status(self.model, utcnow())

    @strawberry.field(description="Why the confirmation refused it (status REFUSED).")
    def refusal(self) -> UploadErrorCode | None:
        return UploadErrorCode(self.model.refusal) if self.model.refusal else None

    @strawberry.field(description="文件大小 (bytes) as received, once confirmed.")
    def size(self) -> int | None:
        return self.model.size

    @strawberry.field(description="SHA-256 of the bytes (hex), once confirmed.")
    def sha256(self) -> str | None:
        return self.model.sha256

    @strawberry.field(description="The real type, sniffed from the bytes, once confirmed.")
    def media_type(self) -> str | None:
        return self.model.media_type

    @strawberry.field(description="页数 (PDF), once confirmed.")
    def pages(self) -> int | None:
        return self.model.pages

    @strawberry.field(description="When the slot was opened.")
    def created_at(self) -> datetime | None:
        return self.model.created_at

    @strawberry.field(description="When uploadConfirm accepted the bytes.")
    def confirmed_at(self) -> datetime | None:
        return self.model.confirmed_at

    @strawberry.field(description="When the evidence was used by its mutation.")
    def used_at(self) -> datetime | None:
        return self.model.used_at


def slot(upload: Upload | None) -> UploadSlotType | None:
    return UploadSlotType.of(upload) if upload is not None else None
