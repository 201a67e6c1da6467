"""Policy around the credit model: grade floors and colours from settings, score ranges,
and the serious-dishonesty list periods."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regsafe.practice import rules
from regsafe.practice.rules import BlacklistPolicy, Grade, GradePolicy


def test_default_grade_policy_matches_the_model() -> None:
    policy = GradePolicy.parse("A:800,B:650,C:450", "A:蓝,B:黄,C:橙,D:红")
    for value in (0, 449, 450, 649, 650, 799, 800, 1000):
        assert policy.grade_of(value) == rules.grade_of(value)
    assert [policy.colour_of(g) for g in Grade] == ["蓝", "黄", "橙", "红"]


def test_grade_policy_is_validated() -> None:
    with pytest.raises(ValueError):
        GradePolicy.parse("A:800,B:650", "A:蓝,B:黄,C:橙,D:红")
    with pytest.raises(ValueError):
        GradePolicy.parse("A:800,B:650,C:450", "A:蓝,B:黄")
    custom = GradePolicy.parse("C:500,A:850,B:700", "A:蓝,B:黄,C:橙,D:红")
    assert custom.grade_of(849) == Grade.B and custom.grade_of(499) == Grade.D


def test_scores_out_of_range() -> None:
    ok = {"quality": 1, "timeliness": 5, "compliance": 3, "conduct": 4}
    assert rules.scores_out_of_range(ok) == []
    bad = {"quality": 0, "timeliness": 6, "compliance": 3, "conduct": -1}
    assert rules.scores_out_of_range(bad) == ["quality", "timeliness", "conduct"]


def test_blacklist_periods() -> None:
    policy = BlacklistPolicy(years=3, removal_after_months=12)
    assert policy.expires_on(date(2026, 1, 31)) == date(2029, 1, 31)
    assert policy.expires_on(date(2024, 2, 29)) == date(2027, 2, 28)
    assert policy.removal_opens_on(date(2026, 1, 31)) == date(2027, 1, 31)
    assert policy.is_current(date(2026, 1, 1), date(2029, 1, 1), False, date(2028, 12, 31))
    assert not policy.is_current(date(2026, 1, 1), date(2029, 1, 1), False, date(2029, 1, 1))
    assert not policy.is_current(date(2026, 1, 1), date(2029, 1, 1), True, date(2027, 1, 1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_removal_always_opens_inside_the_listing(listed: date) -> None:
    policy = BlacklistPolicy()
    assert listed < policy.removal_opens_on(listed) < policy.expires_on(listed)
