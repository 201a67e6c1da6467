"""Registration rules: materials, state machine, statutory clocks, routing, eligibility."""

from datetime import UTC, date, datetime, timedelta

import pytest

from regsafe.identity.models import Specialty
from regsafe.registration.rules import (
    TERMINAL,
    TRANSITIONS,
    Action,
    ApplicationKind,
    CheckResult,
    DocumentKind,
    Facts,
    IllegalTransition,
    ReviewScope,
    Status,
    check_eligibility,
    deadlines,
    missing_documents,
    next_status,
    preliminary_scope,
    registration_end,
)

K = ApplicationKind


def test_every_kind_declares_materials_and_renewal_needs_education_proof() -> None:
    for kind in ApplicationKind:
        assert missing_documents(kind, set()), kind
    assert DocumentKind.EDUCATION_PROOF in missing_documents(K.RENEWAL, set())
    assert DocumentKind.CONTRACT_TERMINATION in missing_documents(K.CHANGE, set())
    present = {DocumentKind.APPLICATION_FORM, DocumentKind.ID_CARD}
    assert missing_documents(K.INITIAL, present) == [
        DocumentKind.QUALIFICATION_CERTIFICATE,
        DocumentKind.LABOUR_CONTRACT,
    ]


def test_the_happy_path_with_one_correction_round() -> None:
    s = Status.DRAFT
    for action in (Action.SUBMIT, Action.START_PRELIMINARY):
        s = next_status(s, action, kind=K.INITIAL)
    s = next_status(s, Action.RETURN, kind=K.INITIAL, items=["劳动合同缺少盖章"])
    assert s == Status.RETURNED_FOR_CORRECTION
    for action in (
        Action.SUBMIT,
        Action.START_PRELIMINARY,
        Action.PASS_PRELIMINARY,
        Action.APPROVE,
    ):
        s = next_status(s, action, kind=K.INITIAL)
    assert s == Status.APPROVED


def test_terminal_states_accept_nothing() -> None:
    for status in TERMINAL:
        for action in Action:
            with pytest.raises(IllegalTransition):
                next_status(status, action, kind=K.RENEWAL, reason="r", items=["i"])


def test_illegal_shortcuts_are_refused() -> None:
    with pytest.raises(IllegalTransition):
        next_status(Status.DRAFT, Action.APPROVE, kind=K.INITIAL)
    with pytest.raises(IllegalTransition):
        next_status(Status.SUBMITTED, Action.PASS_PRELIMINARY, kind=K.INITIAL)
    assert (Status.DRAFT, Action.DEEM_APPROVED) not in TRANSITIONS


def test_refusal_needs_a_reason_and_return_needs_items() -> None:
    with pytest.raises(ValueError, match="reason"):
        next_status(Status.FINAL_REVIEW, Action.REJECT, kind=K.INITIAL, reason="  ")
    with pytest.raises(ValueError, match="items"):
        next_status(Status.PRELIMINARY_REVIEW, Action.RETURN, kind=K.INITIAL, items=[])


def test_only_renewals_are_deemed_approved() -> None:
    assert next_status(Status.FINAL_REVIEW, Action.DEEM_APPROVED, kind=K.RENEWAL) == (
        Status.DEEMED_APPROVED
    )
    with pytest.raises(IllegalTransition):
        next_status(Status.FINAL_REVIEW, Action.DEEM_APPROVED, kind=K.INITIAL)


def test_statutory_clocks_and_breaches() -> None:
    t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    now = t0 + timedelta(days=22)
    clocks = {
        d.stage: d
        for d in deadlines(
            submitted_at=t0,
            preliminary_started_at=t0 + timedelta(days=6),
            final_started_at=None,
            approved_at=None,
            now=now,
        )
    }
    assert clocks["COMPLETENESS"].breached  # started preliminary on day 6 > 5
    assert clocks["PRELIMINARY"].due == t0 + timedelta(days=20)
    assert clocks["PRELIMINARY"].breached  # still open on day 22
    assert "FINAL" not in clocks


def test_routing_sends_construction_and_road_transport_to_their_ministries() -> None:
    assert preliminary_scope(Specialty.CONSTRUCTION) == ReviewScope.MOHURD
    assert preliminary_scope(Specialty.ROAD_TRANSPORT) == ReviewScope.MOT
    assert preliminary_scope(Specialty.CHEMICAL) == ReviewScope.PROVINCE
    assert preliminary_scope(Specialty.CONSTRUCTION, routing={}) == ReviewScope.PROVINCE


def _facts(**kw: object) -> Facts:
    base: dict[str, object] = {
        "kind": K.INITIAL,
        "today": date(2026, 11, 28),
        "birth_date": date(1980, 1, 1),
        "specialty": Specialty.CHEMICAL,
        "qualification_specialties": frozenset({Specialty.CHEMICAL}),
        "qualification_date": date(2023, 6, 1),
    }
    base.update(kw)
    return Facts(**base)  # type: ignore[arg-type]


def _result(checks: list, code: str) -> CheckResult:  # type: ignore[type-arg]
    return next(c.result for c in checks if c.code == code)


def test_eligibility_age_qualification_and_initial_window() -> None:
    ok = check_eligibility(_facts())
    assert {c.code: c.result for c in ok} == {
        "AGE": CheckResult.PASS,
        "QUALIFICATION": CheckResult.PASS,
        "INITIAL_WINDOW": CheckResult.PASS,
    }
    assert _result(check_eligibility(_facts(birth_date=date(1955, 1, 1))), "AGE") == (
        CheckResult.FAIL
    )
    wrong = check_eligibility(_facts(specialty=Specialty.COAL_MINE))
    assert _result(wrong, "QUALIFICATION") == CheckResult.FAIL
    late = check_eligibility(_facts(qualification_date=date(2020, 1, 1)))
    assert _result(late, "INITIAL_WINDOW") == CheckResult.FAIL
    late_kind = check_eligibility(_facts(kind=K.LATE_INITIAL, qualification_date=date(2020, 1, 1)))
    assert _result(late_kind, "INITIAL_WINDOW") == CheckResult.PASS


def test_renewal_window_opens_a_year_before_expiry() -> None:
    def window(expires: date) -> CheckResult:
        return _result(
            check_eligibility(_facts(kind=K.RENEWAL, registration_expires=expires)),
            "RENEWAL_WINDOW",
        )

    assert window(date(2028, 6, 1)) == CheckResult.FAIL  # too early
    assert window(date(2027, 6, 1)) == CheckResult.PASS
    assert window(date(2027, 1, 15)) == CheckResult.WARN  # under 3 months left
    assert window(date(2026, 11, 1)) == CheckResult.FAIL  # expired: re-register


def test_a_registration_ends_the_day_before_its_anniversary() -> None:
    # DOMAIN.md: both ends count; from 2026-12-03 the registration is valid until
    # 2031-12-02, and a renewal continues from the next day for another five years.
    assert registration_end(date(2026, 12, 3), 5) == date(2031, 12, 2)
    assert registration_end(date(2031, 12, 3), 5) == date(2036, 12, 2)
    assert registration_end(date(2027, 1, 1), 5) == date(2031, 12, 31)
    # 29 February: the anniversary in a common year is 1 March, so the 28th is the last day
    assert registration_end(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert registration_end(date(2028, 2, 29), 4) == date(2032, 2, 28)
