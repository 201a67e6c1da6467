"""Properties of the credit model (docs/credit-model.md): bounded, monotonic, decaying,
deterministic and fully explained."""

import math
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from regsafe.practice.rules import (
    BASE,
    MODEL_VERSION,
    CreditEvent,
    EducationStatus,
    Evaluation,
    EventKind,
    Factor,
    Grade,
    PracticeRecord,
    compute,
    grade_of,
)

TODAY = date(2026, 11, 28)
days_ago = st.integers(0, 3650).map(lambda d: TODAY - timedelta(days=d))
scores = st.integers(1, 5)
evaluations = st.lists(
    st.builds(Evaluation, st.uuids().map(str), days_ago, scores, scores, scores, scores),
    max_size=12,
)
records = st.lists(
    st.builds(PracticeRecord, st.uuids().map(str), days_ago, st.booleans()), max_size=30
)
events = st.lists(
    st.builds(
        CreditEvent, st.uuids().map(str), days_ago, st.sampled_from(list(EventKind)), st.booleans()
    ),
    max_size=8,
)
education = st.one_of(
    st.none(),
    st.builds(EducationStatus, st.floats(1, 96), st.floats(0, 120), st.booleans()),
)


def test_a_newcomer_starts_at_the_base() -> None:
    score = compute(today=TODAY)
    assert score.value == BASE and score.grade == Grade.C and score.model_version == MODEL_VERSION


@given(evaluations, records, events, education)
def test_bounded_deterministic_and_explained(ev, rec, evt, edu) -> None:  # type: ignore[no-untyped-def]
    a = compute(today=TODAY, evaluations=ev, records=rec, events=evt, education=edu)
    b = compute(
        today=TODAY,
        evaluations=list(reversed(ev)),
        records=list(reversed(rec)),
        events=list(reversed(evt)),
        education=edu,
    )
    assert 0 <= a.value <= 1000
    assert a == b  # input order does not matter
    raw = math.fsum(c.points for c in a.contributions)
    assert a.value == round(min(max(raw, 0), 1000))  # every point is a contribution
    assert all(c.source_id for c in a.contributions if c.factor != Factor.BASE)
    assert a.grade == grade_of(a.value)


@given(
    evaluations,
    records,
    events,
    education,
    st.sampled_from([EventKind.COMMENDATION, EventKind.AWARD]),
    days_ago,
)
def test_monotonic_in_positive_events(ev, rec, evt, edu, kind, day) -> None:  # type: ignore[no-untyped-def]
    before = compute(today=TODAY, evaluations=ev, records=rec, events=evt, education=edu)
    after = compute(
        today=TODAY,
        evaluations=ev,
        records=rec,
        events=[*evt, CreditEvent("new", day, kind)],
        education=edu,
    )
    assert after.value >= before.value


@given(evaluations, records, events, education, days_ago)
def test_negative_events_never_raise_the_score(ev, rec, evt, edu, day) -> None:  # type: ignore[no-untyped-def]
    before = compute(today=TODAY, evaluations=ev, records=rec, events=evt, education=edu)
    after = compute(
        today=TODAY,
        evaluations=ev,
        records=rec,
        education=edu,
        events=[*evt, CreditEvent("new", day, EventKind.ADMINISTRATIVE_PENALTY)],
    )
    assert after.value <= before.value


@given(records)
def test_more_confirmed_work_never_lowers_the_score(rec) -> None:  # type: ignore[no-untyped-def]
    before = compute(today=TODAY, records=rec)
    after = compute(today=TODAY, records=[*rec, PracticeRecord("new", TODAY, True)])
    assert after.value >= before.value


def test_events_decay_over_time() -> None:
    fresh = compute(today=TODAY, events=[CreditEvent("p", TODAY, EventKind.FALSE_REPORT)])
    old = compute(
        today=TODAY + timedelta(days=3 * 365),
        events=[CreditEvent("p", TODAY, EventKind.FALSE_REPORT)],
    )
    older = compute(
        today=TODAY + timedelta(days=9 * 365),
        events=[CreditEvent("p", TODAY, EventKind.FALSE_REPORT)],
    )
    assert fresh.value == BASE - 300
    assert old.value == BASE - 150  # one half-life
    assert fresh.value < old.value < older.value < BASE


def test_recent_evaluations_weigh_more() -> None:
    good_recent = [
        Evaluation("a", TODAY, 5, 5, 5, 5),
        Evaluation("b", TODAY.replace(year=2019), 1, 1, 1, 1),
    ]
    good_old = [
        Evaluation("a", TODAY.replace(year=2019), 5, 5, 5, 5),
        Evaluation("b", TODAY, 1, 1, 1, 1),
    ]
    assert compute(today=TODAY, evaluations=good_recent).value > BASE
    assert compute(today=TODAY, evaluations=good_old).value < BASE


def test_rejected_disputes_and_future_events_do_not_count() -> None:
    ev = [
        CreditEvent("x", TODAY, EventKind.CERTIFICATE_LENDING, upheld=False),
        CreditEvent("y", TODAY + timedelta(days=1), EventKind.CERTIFICATE_LENDING),
    ]
    assert compute(today=TODAY, events=ev).value == BASE


def test_education_shortfall_after_the_cycle_costs_points() -> None:
    done = compute(today=TODAY, education=EducationStatus(48, 48, cycle_ended=True))
    half_running = compute(today=TODAY, education=EducationStatus(48, 24, cycle_ended=False))
    half_ended = compute(today=TODAY, education=EducationStatus(48, 24, cycle_ended=True))
    assert (done.value, half_running.value, half_ended.value) == (700, 650, 550)


def test_grades() -> None:
    assert [grade_of(v) for v in (1000, 800, 799, 650, 649, 450, 449, 0)] == [
        Grade.A,
        Grade.A,
        Grade.B,
        Grade.B,
        Grade.C,
        Grade.C,
        Grade.D,
        Grade.D,
    ]
