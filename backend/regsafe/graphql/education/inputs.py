"""GraphQL inputs of the continuing-education domain."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import relay

from regsafe.education.models import QuestionKind, SubjectKind, UnitKind
from regsafe.identity.models import Specialty

from . import enums as _enums  # noqa: F401


@strawberry.input(description="课程单元")
class CourseUnitInput:
    title: str = strawberry.field(description="单元名称")
    kind: UnitKind = strawberry.field(description="单元类型")
    duration_seconds: int = strawberry.field(description="时长（秒）")
    starts_at: datetime | None = strawberry.field(default=None, description="直播开始时间")


@strawberry.input(description="课程 (create or update).")
class CourseInput:
    code: str = strawberry.field(description="课程编号 (unique per provider).")
    title: str = strawberry.field(description="课程名称")
    subject_kind: SubjectKind = strawberry.field(description="科目类型")
    hours: float = strawberry.field(description="学时 (multiple of 0.5).")
    opens_on: date = strawberry.field(description="开放日期")
    closes_on: date = strawberry.field(description="结束日期 (inclusive).")
    specialty: Specialty | None = strawberry.field(
        default=None, description="专业类别 (null: every specialty)."
    )
    description: str = strawberry.field(default="", description="课程简介")
    capacity: int | None = strawberry.field(default=None, description="名额 (null: unlimited).")
    units: list[CourseUnitInput] = strawberry.field(
        default_factory=list, description="单元 in order (drafts only)."
    )
    exam_question_count: int = strawberry.field(default=0, description="试卷题数 (0: no exam).")
    exam_minutes: int = strawberry.field(default=30, description="考试时长（分钟）")
    exam_max_attempts: int = strawberry.field(default=3, description="考试次数上限")
    pass_mark: int = strawberry.field(default=60, description="及格线（百分制）")


@strawberry.input(description="题库中的一题")
class QuestionInput:
    kind: QuestionKind = strawberry.field(description="题型")
    stem: str = strawberry.field(description="题干")
    options: list[str] = strawberry.field(
        default_factory=list, description="选项 (TRUE_FALSE: ignored, 正确/错误)."
    )
    answer: list[int] = strawberry.field(description="正确选项 (0-based; TRUE_FALSE: 0 正确).")
    points: int = strawberry.field(default=1, description="分值")


@strawberry.input(description="An answer to one question of the paper.")
class AnswerInput:
    question_id: relay.GlobalID = strawberry.field(description="PaperQuestion.id")
    choices: list[int] = strawberry.field(description="Chosen options (0-based).")


@strawberry.input(description="课程目录筛选")
class CourseFilter:
    specialty: Specialty | None = strawberry.field(
        default=None, description="Courses of this specialty and those for every specialty."
    )
    subject_kind: SubjectKind | None = strawberry.field(default=None, description="科目类型")
    provider_id: relay.GlobalID | None = strawberry.field(default=None, description="培训机构")
    open: bool | None = strawberry.field(
        default=None, description="true: open today; false: not open (closed or not yet)."
    )
    mine: bool | None = strawberry.field(
        default=None, description="Trainers: only my provider's courses (drafts included)."
    )
    title_contains: str | None = strawberry.field(default=None, description="名称包含")


@strawberry.input(description="个人申报学时")
class SelfReportInput:
    course_title: str = strawberry.field(description="课程/培训名称")
    provider_name: str = strawberry.field(description="培训机构")
    subject_kind: SubjectKind = strawberry.field(description="科目类型")
    hours: float = strawberry.field(description="学时")
    completed_on: date = strawberry.field(description="完成日期")
    evidence_upload_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description=(
            "证明材料: an UploadSlot of hoursEvidenceUploadRequest, CONFIRMED by uploadConfirm "
            "(required; one report uses it up)."
        ),
    )
    specialty: Specialty | None = strawberry.field(default=None, description="专业类别")
    reference: str | None = strawberry.field(default=None, description="证书/证明编号")
