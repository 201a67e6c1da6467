"""The viewer scope type's pure rules: no province never means national."""

from __future__ import annotations

from regsafe.auth.roles import Role, Viewer
from regsafe.auth.scopes import RegionReach, ReviewQueue


def test_ministry_queue_reviewer_without_province_has_no_region_reach() -> None:
    v = Viewer(user_id=1, roles=frozenset({Role.PROVINCIAL_REVIEWER}), review_scope="MOHURD")
    assert v.scope.region.is_empty and not v.scope.region.covers("440305")
    assert v.scope.queue is not None and v.scope.queue.kind is ReviewQueue.MOHURD
    assert str(v.scope.region.sql(None)) == "false"


def test_provincial_reviewer_reaches_own_province_only() -> None:
    v = Viewer(user_id=1, roles=frozenset({Role.PROVINCIAL_REVIEWER}), province_code="440000")
    assert v.scope.region == RegionReach.provinces("44")
    assert v.scope.region.covers("440305") and not v.scope.region.covers("110105")
    assert v.scope.queue is not None and v.scope.queue.province_code == "440000"


def test_national_only_for_admin_and_ministry() -> None:
    assert Viewer(user_id=1, roles=frozenset({Role.ADMIN})).scope.region.national
    assert Viewer(user_id=1, roles=frozenset({Role.MINISTRY_REVIEWER})).scope.region.national
    assert Viewer(user_id=1, roles=frozenset({Role.ANALYST})).scope.region.is_empty
    assert Viewer().scope.region.is_empty and Viewer().scope.queue is None
