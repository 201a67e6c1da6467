"""Which domain finishes each purpose's upload: the one place the purposes of
:mod:`regsafe.core.upload_slots` are wired to their domain's step (as :mod:`regsafe.models`
collects the tables), so core imports no domain and no domain imports another's."""

from __future__ import annotations

from regsafe.core.db import raw_connection
from regsafe.core.upload_slots import Handlers, SlotContext, Upload, UploadHandler, UploadPurpose
from regsafe.core.uploads import FrozenUpload
from regsafe.education import hours
from regsafe.education import service as education
from regsafe.practice import service as practice
from regsafe.registration import documents
from regsafe.registration import tasks as registration_tasks
from regsafe.registration.models import Document, OcrStatus


async def _document_confirmed(ctx: SlotContext, upload: Upload, frozen: FrozenUpload) -> Document:
    doc = await documents.complete_upload(ctx, upload, frozen)
    if doc.ocr_status == OcrStatus.PENDING and doc.id is not None:
        # In the same transaction: the OCR job exists if and only if the document does.
        await registration_tasks.defer_ocr(await raw_connection(ctx.session), doc.id)
    return doc


HANDLERS: Handlers = {
    UploadPurpose.APPLICATION_DOCUMENT: UploadHandler(
        documents.prepare_upload, _document_confirmed
    ),
    UploadPurpose.COURSE_MATERIAL: UploadHandler(
        education.prepare_material, education.complete_material
    ),
    UploadPurpose.HOURS_EVIDENCE: UploadHandler(hours.prepare_evidence),
    UploadPurpose.PRACTICE_EVIDENCE: UploadHandler(
        practice.prepare_evidence, practice.attach_evidence
    ),
    UploadPurpose.CREDIT_EVIDENCE: UploadHandler(practice.prepare_credit_evidence),
}
