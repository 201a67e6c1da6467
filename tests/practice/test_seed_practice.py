"""`regsafe seed` gives the second demo registrant practice records, an evaluation, a
commendation and a credit score that traces to them; seeding twice adds nothing."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from sqlalchemy import text

from regsafe.core.crypto import FieldCipher
from regsafe.core.db import Database
from regsafe.core.migrate import upgrade_head
from regsafe.core.settings import Settings
from regsafe.seed import seed

_KEY = base64.b64encode(bytes(range(32))).decode()


async def test_demo_practice_and_score(postgres: Any) -> None:
    url: str = postgres.new_database("seed_practice")
    upgrade_head(url)
    cipher = FieldCipher.from_settings(
        Settings(data_keys=f"k1:{_KEY}", data_key_id="k1", blind_index_key=_KEY, secret_key=_KEY)
    )
    db = Database.from_url(url, pool_size=2, max_overflow=0)
    try:
        await seed(db, cipher, people=60, today=date(2026, 11, 28))
        await seed(db, cipher, people=0, today=date(2026, 11, 28))
        async with db.session() as s:
            statuses = (
                await s.exec(  # type: ignore[call-overload]
                    text("SELECT status FROM practice_record ORDER BY id")
                )
            ).all()
            score = (
                await s.exec(  # type: ignore[call-overload]
                    text(
                        "SELECT s.contributions FROM credit_score s"
                        " JOIN app_user u ON u.person_id = s.person_id"
                        " WHERE u.username = 'registrant2'"
                    )
                )
            ).one()
        assert [r[0] for r in statuses] == ["CONFIRMED", "SUBMITTED"]
        factors = {c["factor"] for c in score[0]}
        assert {"BASE", "EVALUATION", "ACTIVITY", "EVENT", "EDUCATION"} <= factors
    finally:
        await db.dispose()
