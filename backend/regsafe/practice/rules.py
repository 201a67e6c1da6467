"""The credit score of a registered engineer (信用评价), model ``credit-v1``.

Pure functions only: the same inputs always give the same score, and every point is a
``Contribution`` that names its source. The formula and the reasons for each weight are
in docs/credit-model.md; change them only together with a new MODEL_VERSION.

score = clamp(BASE + evaluations + activity + education + events, 0, 1000)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MODEL_VERSION = "credit-v1"
BASE = 600
MIN_SCORE, MAX_SCORE = 0, 1000

# Evaluations: the recency-weighted mean of (average dimension score - 3) scaled to ±200.
EVALUATION_SPAN = 200
EVALUATION_HALF_LIFE_DAYS = 730
# Activity: confirmed practice records in the last 3 years, with diminishing returns.
ACTIVITY_CAP = 100
ACTIVITY_WINDOW_DAYS = 3 * 365
ACTIVITY_SATURATION = 10  # ~63% of the cap at 10 records, ~86% at 20
# Continuing education: share of the cycle requirement earned, up to +100; a shortfall
# after the cycle ended costs up to -100.
EDUCATION_CAP = 100
# Credit events decay exponentially: half the effect after this many days.
EVENT_HALF_LIFE_DAYS = 3 * 365


class Factor(StrEnum):
    BASE = "BASE"
    EVALUATION = "EVALUATION"
    ACTIVITY = "ACTIVITY"
    EDUCATION = "EDUCATION"
    EVENT = "EVENT"


class EventKind(StrEnum):
    """信用事件 with their undecayed points."""

    COMMENDATION = "COMMENDATION"  # 表彰奖励
    AWARD = "AWARD"  # 获奖
    ADMINISTRATIVE_PENALTY = "ADMINISTRATIVE_PENALTY"  # 行政处罚
    FALSE_REPORT = "FALSE_REPORT"  # 出具虚假报告
    CERTIFICATE_LENDING = "CERTIFICATE_LENDING"  # 挂证/挂靠
    MISSED_EDUCATION = "MISSED_EDUCATION"  # 未完成继续教育
    COMPLAINT_UPHELD = "COMPLAINT_UPHELD"  # 投诉属实


EVENT_POINTS: dict[EventKind, int] = {
    EventKind.COMMENDATION: 60,
    EventKind.AWARD: 40,
    EventKind.ADMINISTRATIVE_PENALTY: -150,
    EventKind.FALSE_REPORT: -300,
    EventKind.CERTIFICATE_LENDING: -400,
    EventKind.MISSED_EDUCATION: -80,
    EventKind.COMPLAINT_UPHELD: -60,
}


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


# Lower bounds, highest first (policy; provinces may map to 蓝/黄/橙/红).
GRADE_FLOORS: tuple[tuple[Grade, int], ...] = ((Grade.A, 800), (Grade.B, 650), (Grade.C, 450))
PROVINCIAL_COLOURS = {Grade.A: "蓝", Grade.B: "黄", Grade.C: "橙", Grade.D: "红"}


@dataclass(frozen=True)
class Evaluation:
    """An employer's evaluation of one practice record: four dimensions, 1-5 each."""

    source_id: str
    day: date
    quality: int
    timeliness: int
    compliance: int
    conduct: int

    @property
    def average(self) -> float:
        return (self.quality + self.timeliness + self.compliance + self.conduct) / 4


@dataclass(frozen=True)
class PracticeRecord:
    source_id: str
    day: date
    confirmed: bool


@dataclass(frozen=True)
class CreditEvent:
    source_id: str
    day: date
    kind: EventKind
    upheld: bool = True  # a disputed event that was rejected on review does not count


@dataclass(frozen=True)
class EducationStatus:
    required_hours: float
    earned_hours: float
    cycle_ended: bool
    source_id: str = "education"


@dataclass(frozen=True)
class Contribution:
    factor: Factor
    points: float
    source_id: str | None
    explanation: str


@dataclass(frozen=True)
class CreditScore:
    value: int
    grade: Grade
    model_version: str
    contributions: tuple[Contribution, ...]


def decay(days: int, half_life: int) -> float:
    """Weight of something ``days`` old: 1 today, 0.5 after one half-life."""
    return 0.5 ** (max(days, 0) / half_life)


def grade_of(value: int) -> Grade:
    for grade, floor in GRADE_FLOORS:
        if value >= floor:
            return grade
    return Grade.D


def _evaluations(evaluations: list[Evaluation], today: date) -> list[Contribution]:
    if not evaluations:
        return []
    # a fixed order, so floating-point sums do not depend on how inputs arrive
    ordered = sorted(evaluations, key=lambda e: (e.day, e.source_id))
    weights = [decay((today - e.day).days, EVALUATION_HALF_LIFE_DAYS) for e in ordered]
    total = math.fsum(weights)
    out = []
    for e, w in zip(ordered, weights, strict=True):
        # each evaluation's share of the weighted mean, so the parts add up to the whole
        points = EVALUATION_SPAN * (e.average - 3) / 2 * (w / total)
        out.append(
            Contribution(
                Factor.EVALUATION,
                points,
                e.source_id,
                f"评价均分{e.average:.2f}（权重{w / total:.2f}）",
            )
        )
    return out


def _activity(records: list[PracticeRecord], today: date) -> list[Contribution]:
    recent = sorted(
        (r for r in records if r.confirmed and 0 <= (today - r.day).days <= ACTIVITY_WINDOW_DAYS),
        key=lambda r: (r.day, r.source_id),
    )
    out = []
    previous = 0.0
    for n, r in enumerate(recent, start=1):
        # the n-th record adds the increase of the saturating curve it causes
        level = ACTIVITY_CAP * (1 - math.exp(-n / ACTIVITY_SATURATION))
        out.append(
            Contribution(
                Factor.ACTIVITY, level - previous, r.source_id, f"近三年第{n}项已确认执业记录"
            )
        )
        previous = level
    return out


def _education(status: EducationStatus | None) -> list[Contribution]:
    if status is None or status.required_hours <= 0:
        return []
    share = min(status.earned_hours / status.required_hours, 1.0)
    if status.cycle_ended and share < 1.0:
        points = -EDUCATION_CAP * (1 - share)
        text = f"注册周期已结束，继续教育完成{share:.0%}"
    else:
        points = EDUCATION_CAP * share
        text = f"继续教育完成{share:.0%}"
    return [Contribution(Factor.EDUCATION, points, status.source_id, text)]


def _events(events: list[CreditEvent], today: date) -> list[Contribution]:
    out = []
    for ev in sorted(events, key=lambda e: (e.day, e.source_id)):
        if not ev.upheld or ev.day > today:
            continue
        w = decay((today - ev.day).days, EVENT_HALF_LIFE_DAYS)
        out.append(
            Contribution(
                Factor.EVENT,
                EVENT_POINTS[ev.kind] * w,
                ev.source_id,
                f"{ev.kind.value}（时间衰减后{w:.0%}）",
            )
        )
    return out


def compute(
    *,
    today: date,
    evaluations: Sequence[Evaluation] = (),
    records: Sequence[PracticeRecord] = (),
    events: Sequence[CreditEvent] = (),
    education: EducationStatus | None = None,
) -> CreditScore:
    parts = [Contribution(Factor.BASE, BASE, None, "基础分")]
    parts += _evaluations(list(evaluations), today)
    parts += _activity(list(records), today)
    parts += _education(education)
    parts += _events(list(events), today)
    raw = math.fsum(p.points for p in parts)
    value = round(min(max(raw, MIN_SCORE), MAX_SCORE))
    return CreditScore(value, grade_of(value), MODEL_VERSION, tuple(parts))


# --- Policy around the model (grades, colours, list periods, scores) ------------------


@dataclass(frozen=True)
class GradePolicy:
    """Grade floors and the provincial colour of each grade (settings, not the model)."""

    floors: tuple[tuple[Grade, int], ...] = GRADE_FLOORS
    colours: tuple[tuple[Grade, str], ...] = tuple(PROVINCIAL_COLOURS.items())

    @classmethod
    def parse(cls, floors: str, colours: str) -> GradePolicy:
        """``"A:800,B:650,C:450"`` and ``"A:蓝,B:黄,C:橙,D:红"``; raises ValueError."""
        parsed = []
        for item in floors.split(","):
            grade, _, value = item.strip().partition(":")
            parsed.append((Grade(grade.strip()), int(value)))
        parsed.sort(key=lambda gv: -gv[1])
        if [g for g, _ in parsed] != [Grade.A, Grade.B, Grade.C]:
            raise ValueError("grade floors must give A > B > C")
        named = []
        for item in colours.split(","):
            grade, _, colour = item.strip().partition(":")
            named.append((Grade(grade.strip()), colour.strip()))
        if {g for g, _ in named} != set(Grade):
            raise ValueError("every grade needs a colour")
        return cls(tuple(parsed), tuple(named))

    def grade_of(self, value: int) -> Grade:
        for grade, floor in self.floors:
            if value >= floor:
                return grade
        return Grade.D

    def colour_of(self, grade: Grade) -> str:
        return dict(self.colours)[grade]


SCORE_DIMENSIONS = ("quality", "timeliness", "compliance", "conduct")
SCORE_MIN, SCORE_MAX = 1, 5


def scores_out_of_range(scores: dict[str, int]) -> list[str]:
    """The dimensions whose score is not a whole number from 1 to 5."""
    return [
        name
        for name in SCORE_DIMENSIONS
        if not isinstance(scores.get(name), int) or not SCORE_MIN <= scores[name] <= SCORE_MAX
    ]


@dataclass(frozen=True)
class BlacklistPolicy:
    """失信名单 periods (应急管理部令第11号 and provincial rules)."""

    years: int = 3
    removal_after_months: int = 12

    def expires_on(self, listed_on: date) -> date:
        return _add_months(listed_on, 12 * self.years)

    def removal_opens_on(self, listed_on: date) -> date:
        return _add_months(listed_on, self.removal_after_months)

    def is_current(self, listed_on: date, expires_on: date, removed: bool, today: date) -> bool:
        return not removed and listed_on <= today < expires_on


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    days = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return date(year, month, min(d.day, days[month - 1]))


def regrade(score: CreditScore, policy: GradePolicy) -> CreditScore:
    """The same score graded by the configured floors."""
    return CreditScore(
        score.value, policy.grade_of(score.value), score.model_version, score.contributions
    )
