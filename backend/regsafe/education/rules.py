"""Pure rules of continuing education (no I/O): heartbeat crediting, exam papers and
grading, and the cycle requirement with its forecast. DOMAIN.md "Continuing education".
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from regsafe.core.clock import zh_date

# Version of the rules that recognise hours; written on every hour record so a later
# change of the rules can tell which records it made.
HOURS_RULE_VERSION = "hours-v1"
EXTERNAL_RULE_VERSION = "import-v1"
SELF_REPORT_RULE_VERSION = "self-report-v1"


# --- Heartbeats -----------------------------------------------------------------------


class BeatProblem(StrEnum):
    OUT_OF_ORDER = "OUT_OF_ORDER"  # sequence not after the last accepted one (replay)
    TOO_FAST = "TOO_FAST"  # sooner than the minimum interval after the last beat


@dataclass(frozen=True)
class HeartbeatPolicy:
    min_interval: timedelta = timedelta(seconds=10)
    # A longer gap is a pause or a reconnect: the beat starts a new segment and the gap
    # itself earns nothing.
    max_gap: timedelta = timedelta(seconds=60)

    @property
    def client_interval_seconds(self) -> int:
        """How often the player should beat: comfortably between the two bounds."""
        lo = self.min_interval.total_seconds()
        hi = self.max_gap.total_seconds()
        return max(1, math.ceil(min(lo * 2, (lo + hi) / 2)))


@dataclass(frozen=True)
class ProgressState:
    covered_ms: int  # milliseconds: whole seconds would lose a fraction on every beat
    last_sequence: int
    last_beat_at: datetime | None


@dataclass(frozen=True)
class BeatOutcome:
    state: ProgressState
    credited_ms: int
    problem: BeatProblem | None = None


def apply_heartbeat(
    state: ProgressState,
    *,
    sequence: int,
    now: datetime,
    credited_until: datetime | None,
    duration_seconds: int,
    policy: HeartbeatPolicy,
) -> BeatOutcome:
    """Credit the wall-clock time since the previous beat of this unit, but never time
    already credited to this learner elsewhere (``credited_until``, shared by every unit
    and course), never more than ``max_gap`` and never beyond the unit's duration.

    A rejected beat changes nothing, so an honest player loses nothing by a stray
    duplicate: its next beat is credited with the whole interval."""
    if sequence <= state.last_sequence:
        return BeatOutcome(state, 0, BeatProblem.OUT_OF_ORDER)
    last = state.last_beat_at
    if last is not None and now - last < policy.min_interval:
        return BeatOutcome(state, 0, BeatProblem.TOO_FAST)
    credited = 0
    if last is not None and now - last <= policy.max_gap:
        start = max(last, credited_until) if credited_until else last
        if now > start:
            credited = (now - start) // timedelta(milliseconds=1)
    credited = max(0, min(credited, duration_seconds * 1000 - state.covered_ms))
    return BeatOutcome(ProgressState(state.covered_ms + credited, sequence, now), credited, None)


def unit_complete(covered_ms: int, duration_seconds: int) -> bool:
    return covered_ms >= duration_seconds * 1000


# --- Exams ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BankQuestion:
    id: int
    kind: str
    option_count: int
    answer: tuple[int, ...]
    points: int = 1


def draw_paper(question_ids: Sequence[int], count: int, seed: int) -> list[int]:
    """A paper of ``count`` distinct questions in a random order. The same bank and seed
    give the same paper, so an attempt can be reproduced from its recorded seed."""
    pool = sorted(question_ids)
    if count > len(pool):
        raise ValueError(f"the bank holds {len(pool)} questions, the paper needs {count}")
    return random.Random(seed).sample(pool, count)


class AnswerProblem(StrEnum):
    NOT_IN_PAPER = "NOT_IN_PAPER"
    BAD_CHOICE = "BAD_CHOICE"


def check_answer(question: BankQuestion, choices: Sequence[int]) -> AnswerProblem | None:
    """Single choice and true/false take exactly one option; multiple choice one or more."""
    if len(set(choices)) != len(choices):
        return AnswerProblem.BAD_CHOICE
    if any(c < 0 or c >= question.option_count for c in choices):
        return AnswerProblem.BAD_CHOICE
    if question.kind == "MULTIPLE":
        return None if choices else AnswerProblem.BAD_CHOICE
    return None if len(choices) == 1 else AnswerProblem.BAD_CHOICE


@dataclass(frozen=True)
class Grade:
    score: int
    max_score: int
    percent: int
    passed: bool
    correct: dict[int, bool]


def grade(
    paper: Sequence[BankQuestion], answers: Mapping[int, Sequence[int]], pass_mark: int
) -> Grade:
    """All or nothing per question (a multiple-choice answer is right only when exactly
    the right options are chosen); unanswered questions score 0."""
    correct = {q.id: sorted(answers.get(q.id, ())) == sorted(q.answer) for q in paper}
    score = sum(q.points for q in paper if correct[q.id])
    max_score = sum(q.points for q in paper)
    percent = math.floor(score * 100 / max_score) if max_score else 0
    return Grade(score, max_score, percent, percent >= pass_mark, correct)


def answers_from_json(raw: Mapping[str, object]) -> dict[int, list[int]]:
    return {int(k): [int(c) for c in v] for k, v in raw.items() if isinstance(v, list)}


def answers_to_json(answers: Mapping[int, Sequence[int]]) -> dict[str, list[int]]:
    return {str(k): sorted(v) for k, v in sorted(answers.items())}


# --- Cycle requirement ----------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    hours: Decimal = Decimal(48)
    professional_share: Fraction = Fraction(2, 3)

    @property
    def min_professional(self) -> Decimal:
        return Decimal(
            math.ceil(
                self.hours * self.professional_share.numerator / self.professional_share.denominator
            )
        )


@dataclass(frozen=True)
class RequirementPolicy:
    """Requirement per province and cycle start year. Keys of ``overrides``: "44" (a
    province, every year), "44:2025" (a province, cycles starting that year), "*:2025"."""

    default: Requirement = field(default_factory=Requirement)
    overrides: Mapping[str, Requirement] = field(default_factory=dict)

    def for_cycle(self, province_code: str | None, cycle_start: date) -> Requirement:
        p = (province_code or "")[:2]
        for key in (f"{p}:{cycle_start.year}", p, f"*:{cycle_start.year}"):
            if key in self.overrides:
                return self.overrides[key]
        return self.default

    @classmethod
    def parse(
        cls, default_hours: float, default_share: str, overrides_json: str
    ) -> RequirementPolicy:
        """Settings: hours, share ("2/3"), and JSON {"44:2025": {"hours": 60, "share": "2/3"}}."""
        default = Requirement(Decimal(str(default_hours)), Fraction(default_share))
        raw = json.loads(overrides_json or "{}")
        overrides = {
            str(k): Requirement(
                Decimal(str(v.get("hours", default_hours))), Fraction(v.get("share", default_share))
            )
            for k, v in raw.items()
        }
        return cls(default, overrides)


@dataclass(frozen=True)
class Cycle:
    """A registration cycle: its own validity period, both ends inclusive."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


class Outlook(StrEnum):
    MET = "MET"  # 已达到要求
    ON_TRACK = "ON_TRACK"  # at the current pace, met before the cycle ends
    AT_RISK = "AT_RISK"  # at the current pace, not met in time
    NO_PROGRESS = "NO_PROGRESS"  # no counted hours yet: no pace to project
    ENDED_SHORT = "ENDED_SHORT"  # the cycle is over and the requirement was not met


@dataclass(frozen=True)
class RequirementStatus:
    cycle: Cycle
    required: Decimal
    min_professional: Decimal
    earned_general: Decimal
    earned_professional: Decimal
    counted: Decimal  # what counts toward the total: 公需 only up to required − 专业下限
    shortfall: Decimal
    professional_shortfall: Decimal
    outlook: Outlook
    forecast_date: date | None  # when the pace reaches the requirement

    @property
    def met(self) -> bool:
        return self.shortfall == 0


def _half(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def requirement_status(
    *,
    cycle: Cycle,
    requirement: Requirement,
    earned_general: Decimal,
    earned_professional: Decimal,
    today: date,
) -> RequirementStatus:
    """Required, earned, shortfall and a forecast at the current pace.

    The total must reach ``hours`` and professional hours at least ``min_professional``:
    公需 hours count only up to ``hours − min_professional``, which gives one shortfall
    covering both conditions."""
    required = requirement.hours
    min_prof = requirement.min_professional
    general_cap = max(required - min_prof, Decimal(0))
    counted = earned_professional + min(earned_general, general_cap)
    shortfall = max(required - counted, Decimal(0))
    prof_short = max(min_prof - earned_professional, Decimal(0))
    forecast: date | None = None
    if shortfall == 0:
        outlook = Outlook.MET
    elif today > cycle.end:
        outlook = Outlook.ENDED_SHORT
    elif counted <= 0:
        outlook = Outlook.NO_PROGRESS
    else:
        elapsed = max((min(today, cycle.end) - cycle.start).days + 1, 1)
        per_day = counted / Decimal(elapsed)
        days_needed = math.ceil(shortfall / per_day)
        forecast = today + timedelta(days=days_needed)
        outlook = Outlook.ON_TRACK if forecast <= cycle.end else Outlook.AT_RISK
    return RequirementStatus(
        cycle=cycle,
        required=required,
        min_professional=min_prof,
        earned_general=_half(earned_general),
        earned_professional=_half(earned_professional),
        counted=_half(counted),
        shortfall=_half(shortfall),
        professional_shortfall=_half(prof_short),
        outlook=outlook,
        forecast_date=forecast,
    )


def counts_as_professional(
    subject_kind: str, record_specialty: str | None, cycle_specialty: str
) -> bool:
    """专业科目 hours count as professional for the engineer's own specialty (or a course
    for every specialty); professional hours of another specialty count as 公需."""
    return subject_kind == "PROFESSIONAL" and record_specialty in (None, cycle_specialty)


def fmt_hours(value: Decimal) -> str:
    """48, 2.5: no trailing zeros, never an exponent."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text


def explain(status: RequirementStatus) -> str:
    """One sentence for registrants and reviewers (zh-CN)."""
    c = status.cycle
    h = fmt_hours
    period = f"{zh_date(c.start)}至{zh_date(c.end)}（含）"
    earned = (
        f"已获学时：专业{h(status.earned_professional)}、公需{h(status.earned_general)}，"
        f"计入{h(status.counted)}"
    )
    need = f"要求{h(status.required)}学时（专业不少于{h(status.min_professional)}）"
    if status.met:
        return f"统计期间{period}，{earned}，{need}，已达到要求"
    tail = f"尚差{h(status.shortfall)}学时"
    if status.professional_shortfall:
        tail += f"（其中专业尚差{h(status.professional_shortfall)}）"
    return f"统计期间{period}，{earned}，{need}，{tail}"
