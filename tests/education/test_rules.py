"""Pure rules of continuing education: heartbeat crediting, papers and grading, the cycle
requirement and its forecast."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from regsafe.education import rules
from regsafe.education.rules import (
    BankQuestion,
    BeatProblem,
    Cycle,
    HeartbeatPolicy,
    Outlook,
    ProgressState,
    Requirement,
    RequirementPolicy,
    apply_heartbeat,
    draw_paper,
    grade,
    requirement_status,
)

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
POLICY = HeartbeatPolicy(min_interval=timedelta(seconds=10), max_gap=timedelta(seconds=60))
FRESH = ProgressState(0, 0, None)


def beat(state: ProgressState, seq: int, at: float, clock: datetime | None = None, dur: int = 3600):
    return apply_heartbeat(
        state,
        sequence=seq,
        now=T0 + timedelta(seconds=at),
        credited_until=clock,
        duration_seconds=dur,
        policy=POLICY,
    )


def test_the_first_beat_starts_the_clock_and_credits_nothing() -> None:
    out = beat(FRESH, 1, 0)
    assert out.problem is None and out.credited_ms == 0
    assert out.state.last_beat_at == T0 and out.state.last_sequence == 1


def test_time_between_beats_is_credited() -> None:
    s = beat(FRESH, 1, 0).state
    out = beat(s, 2, 30)
    assert out.credited_ms == 30_000 and out.state.covered_ms == 30_000


def test_replayed_or_older_sequence_is_refused_and_changes_nothing() -> None:
    s = beat(beat(FRESH, 1, 0).state, 5, 30).state
    for seq in (5, 4, 1):
        out = beat(s, seq, 60)
        assert out.problem == BeatProblem.OUT_OF_ORDER
        assert out.state == s and out.credited_ms == 0


def test_too_fast_is_refused_and_the_next_beat_gets_the_whole_interval() -> None:
    s = beat(FRESH, 1, 0).state
    fast = beat(s, 2, 3)
    assert fast.problem == BeatProblem.TOO_FAST and fast.state == s
    assert beat(s, 3, 20).credited_ms == 20_000


def test_a_pause_longer_than_the_gap_earns_nothing_then_counting_resumes() -> None:
    s = beat(beat(FRESH, 1, 0).state, 2, 30).state
    after_pause = beat(s, 3, 30 + 600)
    assert after_pause.problem is None and after_pause.credited_ms == 0
    assert after_pause.state.covered_ms == 30_000
    assert beat(after_pause.state, 4, 30 + 600 + 25).credited_ms == 25_000


def test_time_already_credited_elsewhere_is_not_credited_again() -> None:
    s = beat(FRESH, 1, 0).state
    # another unit (or tab) was credited up to t=25: only 25..30 remains for this one
    out = beat(s, 2, 30, clock=T0 + timedelta(seconds=25))
    assert out.credited_ms == 5_000


def test_credit_stops_at_the_unit_duration() -> None:
    s = beat(FRESH, 1, 0, dur=40).state
    s = beat(s, 2, 30, dur=40).state
    out = beat(s, 3, 60, dur=40)
    assert out.credited_ms == 10_000 and out.state.covered_ms == 40_000
    assert rules.unit_complete(out.state.covered_ms, 40)


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(st.integers(-3, 40), st.floats(0, 120, allow_nan=False)), min_size=1, max_size=40
    )
)
def test_credited_time_never_exceeds_wall_clock_time(beats: list[tuple[int, float]]) -> None:
    """Whatever sequences and timings a client sends (replays, bursts, pauses), the
    credited total is at most the time between the first and last accepted beat."""
    state, now, clock = FRESH, 0.0, None
    first: float | None = None
    for seq, gap in beats:
        now += gap
        out = beat(state, seq, now, clock=clock)
        if out.problem is None:
            first = now if first is None else first
            if out.credited_ms:
                clock = T0 + timedelta(seconds=now)
            state = out.state
    span = 0.0 if first is None else now - first
    assert state.covered_ms <= span * 1000 + 1


def test_client_interval_sits_between_the_bounds() -> None:
    p = HeartbeatPolicy(min_interval=timedelta(seconds=10), max_gap=timedelta(seconds=60))
    assert 10 <= p.client_interval_seconds < 60
    tiny = HeartbeatPolicy(min_interval=timedelta(seconds=1), max_gap=timedelta(seconds=10))
    assert 1 <= tiny.client_interval_seconds < 10


def test_the_same_seed_draws_the_same_paper_and_other_seeds_differ() -> None:
    bank = list(range(100, 140))
    a = draw_paper(bank, 10, seed=42)
    assert a == draw_paper(list(reversed(bank)), 10, seed=42)
    assert len(set(a)) == 10 and set(a) <= set(bank)
    assert any(draw_paper(bank, 10, seed=s) != a for s in range(43, 50))


def test_grading_is_all_or_nothing_per_question() -> None:
    paper = [
        BankQuestion(1, "SINGLE", 4, (2,), 2),
        BankQuestion(2, "MULTIPLE", 5, (0, 1, 3), 3),
        BankQuestion(3, "TRUE_FALSE", 2, (1,), 5),
    ]
    g = grade(paper, {1: [2], 2: [0, 1], 3: [1]}, pass_mark=60)
    assert g.correct == {1: True, 2: False, 3: True}
    assert (g.score, g.max_score, g.percent, g.passed) == (7, 10, 70, True)
    assert not grade(paper, {2: [3, 1, 0]}, pass_mark=60).passed  # 3/10


def test_answer_shapes_are_checked() -> None:
    single = BankQuestion(1, "SINGLE", 4, (0,))
    multiple = BankQuestion(2, "MULTIPLE", 4, (0, 1))
    assert rules.check_answer(single, [1]) is None
    assert rules.check_answer(single, [0, 1]) == rules.AnswerProblem.BAD_CHOICE
    assert rules.check_answer(single, [4]) == rules.AnswerProblem.BAD_CHOICE
    assert rules.check_answer(multiple, []) == rules.AnswerProblem.BAD_CHOICE
    assert rules.check_answer(multiple, [1, 1]) == rules.AnswerProblem.BAD_CHOICE
    assert rules.check_answer(multiple, [3, 0]) is None


CYCLE = Cycle(date(2024, 3, 1), date(2029, 2, 28))
DEFAULT = Requirement()


def status(general: int, professional: int, today: date = date(2026, 3, 1)):
    return requirement_status(
        cycle=CYCLE,
        requirement=DEFAULT,
        earned_general=Decimal(general),
        earned_professional=Decimal(professional),
        today=today,
    )


def test_default_requirement_is_48_with_32_professional() -> None:
    assert DEFAULT.hours == 48 and DEFAULT.min_professional == 32


def test_general_hours_count_only_up_to_the_general_allowance() -> None:
    s = status(40, 10)
    assert s.counted == 26 and s.shortfall == 22 and s.professional_shortfall == 22
    assert not s.met
    met = status(16, 32)
    assert met.met and met.outlook == Outlook.MET and met.shortfall == 0


@given(st.integers(0, 80), st.integers(0, 80))
def test_shortfall_covers_both_conditions(general: int, professional: int) -> None:
    s = status(general, professional)
    assert s.shortfall == max(48 - general - professional, 32 - professional, 0)
    assert s.met == (general + professional >= 48 and professional >= 32)


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 10))
def test_more_hours_never_increase_the_shortfall(g: int, p: int, extra: int) -> None:
    assert status(g + extra, p).shortfall <= status(g, p).shortfall
    assert status(g, p + extra).shortfall <= status(g, p).shortfall


def test_forecast_projects_the_current_pace() -> None:
    # two years in (731 days incl. both ends) with 24 counted: 24/731 per day
    s = status(8, 16, today=date(2026, 2, 28))
    assert s.outlook == Outlook.ON_TRACK and s.forecast_date is not None
    assert date(2028, 2, 27) <= s.forecast_date <= date(2028, 3, 2)
    slow = status(0, 2, today=date(2026, 2, 28))
    assert slow.outlook == Outlook.AT_RISK and slow.forecast_date and slow.forecast_date > CYCLE.end
    assert status(0, 0).outlook == Outlook.NO_PROGRESS
    assert status(0, 10, today=date(2029, 3, 1)).outlook == Outlook.ENDED_SHORT


def test_policy_overrides_by_province_and_cycle_year() -> None:
    p = RequirementPolicy.parse(
        48,
        "2/3",
        '{"44": {"hours": 60}, "44:2025": {"hours": 72, "share": "3/4"}, "*:2030": {"hours": 40}}',
    )
    assert p.for_cycle("440305", date(2024, 1, 1)).hours == 60
    r = p.for_cycle("440305", date(2025, 6, 1))
    assert r.hours == 72 and r.professional_share == Fraction(3, 4) and r.min_professional == 54
    assert p.for_cycle("110105", date(2030, 1, 1)).hours == 40
    assert p.for_cycle("110105", date(2026, 1, 1)).hours == 48


def test_professional_hours_of_another_specialty_count_as_general() -> None:
    assert rules.counts_as_professional("PROFESSIONAL", "CHEMICAL", "CHEMICAL")
    assert rules.counts_as_professional("PROFESSIONAL", None, "CHEMICAL")
    assert not rules.counts_as_professional("PROFESSIONAL", "COAL_MINE", "CHEMICAL")
    assert not rules.counts_as_professional("GENERAL", None, "CHEMICAL")


def test_explanation_names_the_exact_period_and_the_gap() -> None:
    text = rules.explain(status(10, 20))
    assert "2024年3月1日至2029年2月28日（含）" in text
    assert "尚差18学时" in text and "专业尚差12" in text
