"""Dataloaders of the registration domain: one SQL statement per type per request level."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlmodel import col, select
from strawberry.dataloader import DataLoader

from regsafe.auth.models import User
from regsafe.registration.models import (
    Application,
    ApplicationEvent,
    Document,
    Qualification,
    Registration,
    RegistrationStatus,
    UploadStatus,
)

if TYPE_CHECKING:
    from regsafe.graphql.context import Context


class RegistrationLoaders:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.documents_by_application: DataLoader[int, list[Document]] = DataLoader(self._documents)
        self.events_by_application: DataLoader[int, list[ApplicationEvent]] = DataLoader(
            self._events
        )
        self.registration_by_id: DataLoader[int, Registration | None] = DataLoader(
            self._registrations
        )
        self.active_registration_by_person: DataLoader[int, Registration | None] = DataLoader(
            self._active_registrations
        )
        self.qualifications_by_person: DataLoader[int, list[Qualification]] = DataLoader(
            self._qualifications
        )
        self.user_name_by_id: DataLoader[int, str | None] = DataLoader(self._user_names)
        # Unscoped: for decisions about a row the viewer already sees (a document's
        # application, to tell whether its reviewer may see it unmasked), not for output.
        self.application_by_id: DataLoader[int, Application | None] = DataLoader(self._applications)

    async def _documents(self, ids: Sequence[int]) -> list[list[Document]]:
        rows = await self._ctx.rows(
            select(Document)
            .where(
                col(Document.application_id).in_(ids),
                col(Document.status).in_(
                    (UploadStatus.CONFIRMED.value, UploadStatus.UPLOADING.value)
                ),
            )
            .order_by(col(Document.id))
        )
        grouped: dict[int, list[Document]] = defaultdict(list)
        for d in rows:
            grouped[d.application_id].append(d)
        return [grouped.get(i, []) for i in ids]

    async def _events(self, ids: Sequence[int]) -> list[list[ApplicationEvent]]:
        rows = await self._ctx.rows(
            select(ApplicationEvent)
            .where(col(ApplicationEvent.application_id).in_(ids))
            .order_by(col(ApplicationEvent.id))
        )
        grouped: dict[int, list[ApplicationEvent]] = defaultdict(list)
        for e in rows:
            grouped[e.application_id].append(e)
        return [grouped.get(i, []) for i in ids]

    async def _applications(self, ids: Sequence[int]) -> list[Application | None]:
        rows = await self._ctx.rows(select(Application).where(col(Application.id).in_(ids)))
        found = {a.id: a for a in rows}
        return [found.get(i) for i in ids]

    async def _registrations(self, ids: Sequence[int]) -> list[Registration | None]:
        rows = await self._ctx.rows(select(Registration).where(col(Registration.id).in_(ids)))
        found = {r.id: r for r in rows}
        return [found.get(i) for i in ids]

    async def _active_registrations(self, ids: Sequence[int]) -> list[Registration | None]:
        rows = await self._ctx.rows(
            select(Registration).where(
                col(Registration.person_id).in_(ids),
                col(Registration.status) == RegistrationStatus.ACTIVE.value,
            )
        )
        found = {r.person_id: r for r in rows}
        return [found.get(i) for i in ids]

    async def _qualifications(self, ids: Sequence[int]) -> list[list[Qualification]]:
        rows = await self._ctx.rows(
            select(Qualification).where(col(Qualification.person_id).in_(ids))
        )
        grouped: dict[int, list[Qualification]] = defaultdict(list)
        for q in rows:
            grouped[q.person_id].append(q)
        return [grouped.get(i, []) for i in ids]

    async def _user_names(self, ids: Sequence[int]) -> list[str | None]:
        rows = await self._ctx.rows(select(User.id, User.display_name).where(col(User.id).in_(ids)))
        found = {uid: name for uid, name in rows}
        return [found.get(i) for i in ids]
