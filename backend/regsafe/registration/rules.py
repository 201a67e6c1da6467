"""Pure rules of registration (注册): kinds and their materials, the review state machine,
statutory clocks, routing and eligibility. Sources: DOMAIN.md "Registration"
(应急〔2019〕8号; 原国家安监总局令第11号 amended by 第63号). No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from regsafe.auth.scopes import ReviewQueue
from regsafe.identity.models import Specialty


class ApplicationKind(StrEnum):
    INITIAL = "INITIAL"  # 初始注册
    RENEWAL = "RENEWAL"  # 延续注册
    CHANGE = "CHANGE"  # 变更注册 (employer or specialty)
    REREGISTER = "REREGISTER"  # 重新注册 (after lapse)
    LATE_INITIAL = "LATE_INITIAL"  # 逾期初始注册 (> 5 years after the qualification)
    CANCELLATION = "CANCELLATION"  # 注销注册
    REISSUE = "REISSUE"  # 补证


class DocumentKind(StrEnum):
    APPLICATION_FORM = "APPLICATION_FORM"  # 申请表
    ID_CARD = "ID_CARD"  # 身份证
    QUALIFICATION_CERTIFICATE = "QUALIFICATION_CERTIFICATE"  # 职业资格证书
    DIPLOMA = "DIPLOMA"  # 学历证书
    LABOUR_CONTRACT = "LABOUR_CONTRACT"  # 劳动合同或聘用文件
    PREVIOUS_REGISTRATION = "PREVIOUS_REGISTRATION"  # 原注册证书
    PERFORMANCE_CERTIFICATE = "PERFORMANCE_CERTIFICATE"  # 履职证明
    EDUCATION_PROOF = "EDUCATION_PROOF"  # 继续教育证明
    CONTRACT_TERMINATION = "CONTRACT_TERMINATION"  # 与原单位解除劳动关系证明
    LOSS_STATEMENT = "LOSS_STATEMENT"  # 遗失声明


DOCUMENT_NAMES: dict[DocumentKind, str] = {
    DocumentKind.APPLICATION_FORM: "注册申请表",
    DocumentKind.ID_CARD: "身份证（人像面）",
    DocumentKind.QUALIFICATION_CERTIFICATE: "职业资格证书",
    DocumentKind.DIPLOMA: "学历证书",
    DocumentKind.LABOUR_CONTRACT: "劳动合同或聘用文件",
    DocumentKind.PREVIOUS_REGISTRATION: "原注册证书",
    DocumentKind.PERFORMANCE_CERTIFICATE: "聘用单位履职证明",
    DocumentKind.EDUCATION_PROOF: "继续教育证明",
    DocumentKind.CONTRACT_TERMINATION: "与原单位解除劳动关系证明",
    DocumentKind.LOSS_STATEMENT: "遗失声明",
}

# Document kinds whose key fields OCR extracts.
OCR_KINDS = frozenset(
    {DocumentKind.ID_CARD, DocumentKind.DIPLOMA, DocumentKind.QUALIFICATION_CERTIFICATE}
)

_BASE = (
    DocumentKind.APPLICATION_FORM,
    DocumentKind.ID_CARD,
    DocumentKind.QUALIFICATION_CERTIFICATE,
    DocumentKind.LABOUR_CONTRACT,
)
_RENEWAL_EXTRA = (
    DocumentKind.PREVIOUS_REGISTRATION,
    DocumentKind.PERFORMANCE_CERTIFICATE,
    DocumentKind.EDUCATION_PROOF,
)

REQUIRED_DOCUMENTS: dict[ApplicationKind, tuple[DocumentKind, ...]] = {
    ApplicationKind.INITIAL: _BASE,
    ApplicationKind.LATE_INITIAL: (*_BASE, DocumentKind.EDUCATION_PROOF),
    ApplicationKind.RENEWAL: (*_BASE, *_RENEWAL_EXTRA),
    ApplicationKind.REREGISTER: (*_BASE, DocumentKind.EDUCATION_PROOF),
    ApplicationKind.CHANGE: (
        *_BASE,
        DocumentKind.PREVIOUS_REGISTRATION,
        DocumentKind.CONTRACT_TERMINATION,
    ),
    ApplicationKind.CANCELLATION: (DocumentKind.APPLICATION_FORM, DocumentKind.ID_CARD),
    ApplicationKind.REISSUE: (
        DocumentKind.APPLICATION_FORM,
        DocumentKind.ID_CARD,
        DocumentKind.LOSS_STATEMENT,
    ),
}


def missing_documents(kind: ApplicationKind, present: set[DocumentKind]) -> list[DocumentKind]:
    """What must still be uploaded, in the order the regulation lists it."""
    return [d for d in REQUIRED_DOCUMENTS[kind] if d not in present]


# --- the review state machine ----------------------------------------------------------


class Status(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    PRELIMINARY_REVIEW = "PRELIMINARY_REVIEW"  # 初审
    RETURNED_FOR_CORRECTION = "RETURNED_FOR_CORRECTION"  # 退回补正
    FINAL_REVIEW = "FINAL_REVIEW"  # 终审
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"
    DEEMED_APPROVED = "DEEMED_APPROVED"  # renewal undecided at expiry (11号令)


STATUS_NAMES: dict[Status, str] = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "已提交",
    Status.PRELIMINARY_REVIEW: "初审中",
    Status.RETURNED_FOR_CORRECTION: "退回补正",
    Status.FINAL_REVIEW: "终审中",
    Status.APPROVED: "准予注册",
    Status.REJECTED: "不予注册",
    Status.WITHDRAWN: "已撤回",
    Status.DEEMED_APPROVED: "视为准予延续",
}


class Action(StrEnum):
    SUBMIT = "SUBMIT"
    START_PRELIMINARY = "START_PRELIMINARY"
    RETURN = "RETURN"
    PASS_PRELIMINARY = "PASS_PRELIMINARY"
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    WITHDRAW = "WITHDRAW"
    DEEM_APPROVED = "DEEM_APPROVED"


TERMINAL = frozenset({Status.APPROVED, Status.REJECTED, Status.WITHDRAWN, Status.DEEMED_APPROVED})

TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.RETURNED_FOR_CORRECTION, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.START_PRELIMINARY): Status.PRELIMINARY_REVIEW,
    (Status.PRELIMINARY_REVIEW, Action.RETURN): Status.RETURNED_FOR_CORRECTION,
    (Status.PRELIMINARY_REVIEW, Action.PASS_PRELIMINARY): Status.FINAL_REVIEW,
    (Status.PRELIMINARY_REVIEW, Action.REJECT): Status.REJECTED,
    (Status.FINAL_REVIEW, Action.APPROVE): Status.APPROVED,
    (Status.FINAL_REVIEW, Action.REJECT): Status.REJECTED,
    (Status.FINAL_REVIEW, Action.RETURN): Status.RETURNED_FOR_CORRECTION,
    **{
        (s, Action.WITHDRAW): Status.WITHDRAWN
        for s in (
            Status.DRAFT,
            Status.SUBMITTED,
            Status.PRELIMINARY_REVIEW,
            Status.RETURNED_FOR_CORRECTION,
            Status.FINAL_REVIEW,
        )
    },
    **{
        (s, Action.DEEM_APPROVED): Status.DEEMED_APPROVED
        for s in (Status.SUBMITTED, Status.PRELIMINARY_REVIEW, Status.FINAL_REVIEW)
    },
}


class IllegalTransition(ValueError):
    def __init__(self, status: Status, action: Action) -> None:
        super().__init__(f"cannot {action} an application that is {status}")
        self.status = status
        self.action = action


def next_status(
    status: Status,
    action: Action,
    *,
    kind: ApplicationKind,
    reason: str | None = None,
    items: list[str] | None = None,
) -> Status:
    """The status after an action, or IllegalTransition. Refusals need a written reason
    and a return must list every missing or wrong item at once (11号令)."""
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise IllegalTransition(status, action)
    if action == Action.DEEM_APPROVED and kind != ApplicationKind.RENEWAL:
        raise IllegalTransition(status, action)
    if action == Action.REJECT and not (reason and reason.strip()):
        raise ValueError("reason required")
    if action == Action.RETURN and not items:
        raise ValueError("items required")
    return target


# --- statutory clocks ------------------------------------------------------------------


@dataclass(frozen=True)
class ClockPolicy:
    """Days allowed per stage (11号令 defaults; policy settings per province)."""

    completeness_days: int = 5  # list all missing materials at once
    preliminary_days: int = 20
    final_days: int = 20
    issue_days: int = 10


@dataclass(frozen=True)
class Deadline:
    stage: str
    due: datetime
    breached: bool

    def remaining(self, now: datetime) -> timedelta:
        return self.due - now


def deadlines(
    *,
    submitted_at: datetime | None,
    preliminary_started_at: datetime | None,
    final_started_at: datetime | None,
    approved_at: datetime | None,
    now: datetime,
    policy: ClockPolicy = ClockPolicy(),
) -> list[Deadline]:
    """Every clock that is running or was due, with whether it was breached."""
    out: list[Deadline] = []

    def clock(stage: str, start: datetime | None, days: int, done: datetime | None) -> None:
        if start is None:
            return
        due = start + timedelta(days=days)
        out.append(Deadline(stage, due, (done or now) > due))

    clock("COMPLETENESS", submitted_at, policy.completeness_days, preliminary_started_at)
    clock("PRELIMINARY", submitted_at, policy.preliminary_days, final_started_at)
    clock("FINAL", final_started_at, policy.final_days, approved_at)
    clock("ISSUE", approved_at, policy.issue_days, None)
    return out


# --- routing ---------------------------------------------------------------------------


# 初审归属: the province's emergency-management department, 住房和城乡建设部 (construction)
# or 交通运输部 (road transport). One enum with the viewer's review queue (auth/scopes.py),
# so an application's queue and a reviewer's queue cannot drift apart.
ReviewScope = ReviewQueue


DEFAULT_ROUTING: dict[Specialty, ReviewScope] = {
    Specialty.CONSTRUCTION: ReviewScope.MOHURD,
    Specialty.ROAD_TRANSPORT: ReviewScope.MOT,
}


def preliminary_scope(
    specialty: Specialty, routing: dict[Specialty, ReviewScope] | None = None
) -> ReviewScope:
    return (routing if routing is not None else DEFAULT_ROUTING).get(
        specialty, ReviewScope.PROVINCE
    )


# --- eligibility -----------------------------------------------------------------------


class CheckResult(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    WARN = "WARN"
    UNAVAILABLE = "UNAVAILABLE"  # the source of truth cannot answer yet: never a pass


@dataclass(frozen=True)
class Check:
    code: str
    result: CheckResult
    explanation: str


@dataclass(frozen=True)
class EligibilityPolicy:
    max_age: int = 70
    initial_within_years: int = 5
    validity_years: int = 5
    renewal_opens_months: int = 12


@dataclass(frozen=True)
class Facts:
    """What eligibility looks at, gathered by the service."""

    kind: ApplicationKind
    today: date
    birth_date: date
    specialty: Specialty
    qualification_specialties: frozenset[Specialty] = field(default_factory=frozenset)
    qualification_date: date | None = None
    registration_expires: date | None = None


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def registration_end(valid_from: date, years: int) -> date:
    """The last valid day of a registration starting ``valid_from``: both ends count, so
    the day before the anniversary (DOMAIN.md: from 2026-12-03 until 2031-12-02; from
    29 February until the 28th, the day before 1 March)."""
    try:
        anniversary = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February in a common year: the anniversary is 1 March
        anniversary = date(valid_from.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def check_eligibility(f: Facts, policy: EligibilityPolicy = EligibilityPolicy()) -> list[Check]:
    checks: list[Check] = []
    age = (
        f.today.year
        - f.birth_date.year
        - ((f.today.month, f.today.day) < (f.birth_date.month, f.birth_date.day))
    )
    checks.append(
        Check(
            "AGE",
            CheckResult.PASS if age <= policy.max_age else CheckResult.FAIL,
            f"年龄{age}岁（上限{policy.max_age}岁）",
        )
    )
    if f.kind in (ApplicationKind.CANCELLATION, ApplicationKind.REISSUE):
        return checks
    holds = f.specialty in f.qualification_specialties
    checks.append(
        Check(
            "QUALIFICATION",
            CheckResult.PASS if holds else CheckResult.FAIL,
            "持有该专业类别的职业资格证书" if holds else "未查到该专业类别的职业资格证书",
        )
    )
    if f.kind in (ApplicationKind.INITIAL, ApplicationKind.LATE_INITIAL) and f.qualification_date:
        limit = add_years(f.qualification_date, policy.initial_within_years)
        late = f.today > limit
        if f.kind == ApplicationKind.INITIAL:
            checks.append(
                Check(
                    "INITIAL_WINDOW",
                    CheckResult.FAIL if late else CheckResult.PASS,
                    f"取得资格后{policy.initial_within_years}年内（截至{limit}）申请初始注册"
                    + ("；已逾期，应按逾期初始注册申请" if late else ""),
                )
            )
        else:
            checks.append(
                Check(
                    "INITIAL_WINDOW",
                    CheckResult.PASS if late else CheckResult.FAIL,
                    "逾期初始注册" if late else f"未逾期（截至{limit}），应按初始注册申请",
                )
            )
    if f.kind == ApplicationKind.RENEWAL:
        if f.registration_expires is None:
            checks.append(Check("RENEWAL_WINDOW", CheckResult.FAIL, "没有可延续的注册"))
        else:
            opens = f.registration_expires - timedelta(
                days=round(policy.renewal_opens_months * 30.44)
            )
            if f.today < opens:
                result, text = CheckResult.FAIL, f"延续注册自{opens}起可申请"
            elif f.today > f.registration_expires:
                result, text = CheckResult.FAIL, "注册已过期，应申请重新注册"
            elif f.registration_expires - f.today < timedelta(days=91):
                result, text = CheckResult.WARN, "距注册到期不足3个月，应尽快申请"
            else:
                result, text = (
                    CheckResult.PASS,
                    f"在延续注册申请期内（到期日{f.registration_expires}）",
                )
            checks.append(Check("RENEWAL_WINDOW", result, text))
    return checks


def parse_routing(spec: str) -> dict[Specialty, ReviewScope]:
    """``"CONSTRUCTION:MOHURD,ROAD_TRANSPORT:MOT"`` → routing table (policy setting)."""
    table: dict[Specialty, ReviewScope] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        specialty, _, scope = part.partition(":")
        table[Specialty(specialty.strip())] = ReviewScope(scope.strip())
    return table


# --- the running clock of a queue ------------------------------------------------------


class DeadlineStatus(StrEnum):
    ON_TIME = "ON_TIME"
    DUE_SOON = "DUE_SOON"  # within DUE_SOON_DAYS
    BREACHED = "BREACHED"


DUE_SOON_DAYS = 3


def running_due(
    status: Status,
    *,
    submitted_at: datetime | None,
    final_started_at: datetime | None,
    policy: ClockPolicy,
) -> datetime | None:
    """The deadline a reviewer's queue sorts by: the clock that runs in this status."""
    if status == Status.SUBMITTED and submitted_at:
        return submitted_at + timedelta(days=policy.completeness_days)
    if status == Status.PRELIMINARY_REVIEW and submitted_at:
        return submitted_at + timedelta(days=policy.preliminary_days)
    if status == Status.FINAL_REVIEW and final_started_at:
        return final_started_at + timedelta(days=policy.final_days)
    return None


def deadline_status(due: datetime | None, now: datetime) -> DeadlineStatus | None:
    if due is None:
        return None
    if now > due:
        return DeadlineStatus.BREACHED
    if due - now <= timedelta(days=DUE_SOON_DAYS):
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TIME


# --- OCR, form and person: what a reviewer must look at ---------------------------------

# (document kind, OCR field) → which form or person value it should agree with.
COMPARED_FIELDS: tuple[tuple[DocumentKind, str, str], ...] = (
    (DocumentKind.ID_CARD, "name", "person.name"),
    (DocumentKind.ID_CARD, "id_number", "person.id_number"),
    (DocumentKind.ID_CARD, "gender", "person.gender"),
    (DocumentKind.ID_CARD, "birth_date", "person.birth_date"),
    (DocumentKind.QUALIFICATION_CERTIFICATE, "name", "person.name"),
    (DocumentKind.QUALIFICATION_CERTIFICATE, "id_number", "person.id_number"),
    (DocumentKind.QUALIFICATION_CERTIFICATE, "certificate_number", "form.qualification_number"),
    (DocumentKind.QUALIFICATION_CERTIFICATE, "issue_date", "form.qualification_date"),
    (DocumentKind.QUALIFICATION_CERTIFICATE, "specialty", "application.specialty"),
    (DocumentKind.DIPLOMA, "name", "person.name"),
    (DocumentKind.DIPLOMA, "school", "form.school"),
    (DocumentKind.DIPLOMA, "certificate_number", "form.diploma_number"),
    (DocumentKind.DIPLOMA, "level", "form.education"),
)


@dataclass(frozen=True)
class FieldComparison:
    document_kind: DocumentKind
    field: str
    ocr_value: str | None  # what OCR read (None: not read)
    confirmed_value: str | None  # what the registrant confirmed or corrected
    expected_source: str  # "person.name", "form.qualification_number", …
    expected_value: str | None
    agrees: bool | None  # None when there is nothing to compare


def _same(a: str | None, b: str | None) -> bool | None:
    if not a or not b:
        return None
    return "".join(a.split()).upper() == "".join(b.split()).upper()


def compare_fields(
    documents: list[tuple[DocumentKind, dict[str, str], dict[str, str]]],
    known: dict[str, str | None],
) -> list[FieldComparison]:
    """For each OCR-read document (kind, OCR values, confirmed values) and each compared
    field: the OCR value, the registrant's confirmation and the value on record. A field
    disagrees when either the OCR value or the confirmed value differs from the record,
    or the registrant changed what OCR read."""
    out: list[FieldComparison] = []
    for kind, ocr, confirmed in documents:
        for doc_kind, name, source in COMPARED_FIELDS:
            if doc_kind != kind:
                continue
            read, final, expected = ocr.get(name), confirmed.get(name), known.get(source)
            verdicts = [v for v in (_same(read, expected), _same(final, expected)) if v is not None]
            corrected = _same(read, final)
            if corrected is False:
                verdicts.append(False)
            out.append(
                FieldComparison(
                    kind, name, read, final, source, expected, all(verdicts) if verdicts else None
                )
            )
    return out


def known_values(
    *,
    name: str,
    id_number: str,
    gender: str,
    birth_date: date,
    form: dict[str, Any],
    specialty: str,
) -> dict[str, str | None]:
    """The record side of ``compare_fields``: the person and what the application says
    (the reviewer's comparison table and the submission check read the same values)."""
    return {
        "person.name": name,
        "person.id_number": id_number,
        "person.gender": gender,
        "person.birth_date": birth_date.isoformat(),
        "form.qualification_number": form.get("qualification_number"),
        "form.qualification_date": form.get("qualification_date"),
        "form.school": form.get("school"),
        "form.diploma_number": form.get("diploma_number"),
        "form.education": form.get("education"),
        "application.specialty": specialty,
    }


# Whose ID card it is: an uploaded card whose name or number is not the applicant's is
# someone else's (or misread), so submission waits until it is replaced or explained.
IDENTITY_FIELDS = frozenset({(DocumentKind.ID_CARD, "name"), (DocumentKind.ID_CARD, "id_number")})


def identity_mismatches(comparisons: list[FieldComparison]) -> list[FieldComparison]:
    """The ID card's name and number comparisons that disagree with the applicant (as
    read by OCR, as confirmed, or changed by the registrant from what OCR read)."""
    return [
        c
        for c in comparisons
        if (c.document_kind, c.field) in IDENTITY_FIELDS and c.agrees is False
    ]


# An application is decided within the review time limits (初审 and 终审, 20 working days
# each at most); an ID card expiring inside this window is flagged as well.
ID_CARD_DECISION_WINDOW = timedelta(days=60)


def id_card_validity_flag(period: str | None, *, today: date) -> Check | None:
    """A WARN flag when the ID card's 有效期限 (OCR ``valid_period``, ``start/end`` or
    ``start/长期``) has ended or ends before the application can be decided; None when
    it is valid long enough, 长期, or was not read."""
    if not period or "/" not in period:
        return None
    end = period.split("/", 1)[1]
    if end == "长期":
        return None
    try:
        until = date.fromisoformat(end)
    except ValueError:
        return None
    if until < today:
        return Check(
            "ID_CARD_EXPIRED",
            CheckResult.WARN,
            f"身份证已过有效期（{until.isoformat()}），请上传有效身份证",
        )
    if until < today + ID_CARD_DECISION_WINDOW:
        return Check(
            "ID_CARD_EXPIRES_SOON",
            CheckResult.WARN,
            f"身份证将于 {until.isoformat()} 到期，可能早于审核完成",
        )
    return None


# 签发机关 of the ID card's back against the ID number's area code (issue 13): a soft signal.
# The area code is where the number was first issued; a card re-issued after the 户籍 moved
# names the new place's police, so a mismatch is a reason to look, never to refuse.
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})


_REGION_NAMES: list[tuple[str, str]] = []  # built once, on first use


def _region_names() -> list[tuple[str, str]]:
    """(name as printed in an authority, its code prefix: 4 digits for a city, 2 for a
    province), longest name first. From the project's GB/T 2260 tables (the seeder's)."""
    if _REGION_NAMES:
        return _REGION_NAMES
    from regsafe.seeding.names import CITIES, PROVINCE_SHORT, PROVINCES

    names: dict[str, str] = {}
    for code, name in CITIES.items():  # first: 北京市 is the city 1101 more than the province
        names.setdefault(name, code)
        short = name.removesuffix("市")
        if len(short) >= 2:
            names.setdefault(short, code)
    for table in (PROVINCES, PROVINCE_SHORT):
        for code, name in table.items():
            names.setdefault(name, code)
    _REGION_NAMES.extend(sorted(names.items(), key=lambda item: -len(item[0])))
    return _REGION_NAMES


def authority_region(authority: str) -> str | None:
    """The code prefix of the place an authority names (广州市公安局天河分局 → 4401,
    四川省公安厅 → 51), the city when it names one; None when it names no known place."""
    text = "".join(authority.split())
    found = [(text.find(name), code) for name, code in _region_names() if name in text]
    if not found:
        return None
    cities = [(pos, code) for pos, code in found if len(code) == 4]
    return min(cities or found)[1]


def region_name(code: str) -> str:
    from regsafe.seeding.names import CITIES, PROVINCES

    province = PROVINCES.get(code[:2], code[:2])
    city = CITIES.get(code[:4]) if len(code) >= 4 else None
    if city is None or code[:2] in _MUNICIPALITIES:
        return province
    return province + city


def id_card_authority_flag(authority: str | None, id_number: str | None) -> Check | None:
    """A WARN flag when the ID card's 签发机关 (OCR ``issuing_authority``) names a
    place other than the one the ID number's area code (its first six digits) belongs
    to: another province, or within a province another city whose code is known. None
    when either is missing, the authority names no known place, or the code's city is
    unknown (retired codes are not an error, DOMAIN.md)."""
    if not authority or not id_number or len(id_number) < 6 or not id_number[:6].isdigit():
        return None
    place = authority_region(authority)
    if place is None:
        return None
    from regsafe.seeding.names import CITIES

    area = id_number[:6]
    if place[:2] != area[:2]:
        differs = True
    elif len(place) == 2 or area[:2] in _MUNICIPALITIES or area[:4] not in CITIES:
        differs = False  # same province, and no city to compare
    else:
        differs = place != area[:4]
    if not differs:
        return None
    return Check(
        "ID_CARD_AUTHORITY_MISMATCH",
        CheckResult.WARN,
        f"身份证签发机关“{authority}”在{region_name(place)}，身份证号码地区码 {area} "
        f"属于{region_name(area)}：可能因户籍迁移换证，请核对证件",
    )
