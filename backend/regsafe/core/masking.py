"""One masking rule for personal data in every output (DOMAIN.md "Personal data in output").

The disclosure level is decided once, by :func:`disclosure`, from the viewer and the
subject; every output path (GraphQL, QR payload, PDF, VC, /verify JSON, CSV, logs) then
calls the one function of the field it prints:

======================  ===============================  ====================  ==========
field                   FULL                             MASKED                PUBLIC
======================  ===============================  ====================  ==========
ID number               11010519491231002X               110105********002X    1****************X
name                    张三                             张三                   张*
phone                   13812345678                      138****5678           (none)
address                 full                             (none)                (none)
birth date / age        full                             (none)                (none)
gender                  full                             full (*)              (none)
======================  ===============================  ====================  ==========

(*) the 17th digit, which gives the gender, is visible in the masked ID number anyway.
The masked ID number hides exactly the birth date, so the birth date and the age to the
day are shown only at FULL: a masked value is never returned beside what unmasks it.
FULL goes to the person themself, a reviewer assigned to their case and administrators;
callers audit every FULL read of another person's data.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # core stays below auth: the type only
    from regsafe.auth.roles import Viewer


class Disclosure(StrEnum):
    FULL = "FULL"
    MASKED = "MASKED"
    PUBLIC = "PUBLIC"


class PersonalField(StrEnum):
    """Kinds of personal value; each has exactly one masking function below."""

    ID_NUMBER = "ID_NUMBER"
    NAME = "NAME"
    PHONE = "PHONE"
    ADDRESS = "ADDRESS"
    BIRTH_DATE = "BIRTH_DATE"
    AGE = "AGE"
    GENDER = "GENDER"
    BLIND_INDEX = "BLIND_INDEX"


def disclosure(
    viewer: Viewer | None,
    *,
    subject_person_id: int | None,
    assigned_reviewer: bool = False,
) -> Disclosure:
    """The one decision: FULL for the person, an assigned reviewer and admins; PUBLIC for
    anonymous viewers; MASKED for every other signed-in viewer who may see the row."""
    # Anonymous: no user, no role. Internal callers (jobs, the seed) carry roles only.
    if viewer is None or (viewer.user_id is None and not viewer.roles and not viewer.person_id):
        return Disclosure.PUBLIC
    if viewer.is_admin or assigned_reviewer:
        return Disclosure.FULL
    if subject_person_id is not None and viewer.person_id == subject_person_id:
        return Disclosure.FULL
    return Disclosure.MASKED


def id_number(value: str | None, level: Disclosure) -> str | None:
    if value is None:
        return None
    if level is Disclosure.FULL:
        return value
    if level is Disclosure.MASKED:
        if len(value) < 11:
            return "*" * len(value)
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) < 3:
        return "*" * len(value)
    return value[:1] + "*" * (len(value) - 2) + value[-1:]


# What may be an ID number inside free text: a run of 15 to 19 digits (ASCII or
# full-width), the last one possibly X. Wider than a valid number on purpose: the text
# that needs it (a CSV line echoed back in an import's error report) holds numbers that
# failed validation, one digit short or long, or with a wrong check digit.
_ID_LIKE = re.compile(r"(?<![0-9０-９])[0-9０-９]{14,18}[0-9０-９XxＸｘ](?![0-9０-９XxＸｘ])")


def id_numbers_in_text(text: str, level: Disclosure) -> str:
    """``text`` with every ID-number-like run masked by :func:`id_number` (the one rule),
    for free text that may quote one: raw lines of an uploaded file, messages."""
    if level is Disclosure.FULL:
        return text
    return _ID_LIKE.sub(lambda m: id_number(m.group(0), level) or "", text)


def name(value: str | None, level: Disclosure) -> str | None:
    if value is None:
        return None
    if level is not Disclosure.PUBLIC:
        return value
    text = value.strip()
    return text[:1] + "*" * (len(text) - 1) if len(text) > 1 else text


def phone(value: str | None, level: Disclosure) -> str | None:
    if value is None or level is Disclosure.FULL:
        return value
    if level is Disclosure.PUBLIC:
        return None
    return value[:3] + "****" + value[-4:] if len(value) >= 7 else "*" * len(value)


def address(value: str | None, level: Disclosure) -> str | None:
    return value if level is Disclosure.FULL else None


def birth_date(value: date | None, level: Disclosure) -> date | None:
    """Derived from the ID number: shown only where the ID number is shown in full."""
    return value if level is Disclosure.FULL else None


def age(value: int | None, level: Disclosure) -> int | None:
    return value if level is Disclosure.FULL else None


def gender(value: str | None, level: Disclosure) -> str | None:
    return None if level is Disclosure.PUBLIC else value


def text_field(field_name: str, value: str | None, level: Disclosure) -> str | None:
    """A named value of a document (OCR or confirmed field): masked by its field kind."""
    kind = DOCUMENT_FIELDS.get(field_name)
    if kind is None or value is None:
        return value
    if kind is PersonalField.ID_NUMBER:
        return id_number(value, level)
    if kind is PersonalField.NAME:
        return name(value, level)
    if kind is PersonalField.BIRTH_DATE or kind is PersonalField.ADDRESS:
        return value if level is Disclosure.FULL else None
    if kind is PersonalField.GENDER:
        return gender(value, level)
    return value


# Document (OCR / confirmed) field names that hold personal data.
DOCUMENT_FIELDS: dict[str, PersonalField] = {
    "id_number": PersonalField.ID_NUMBER,
    "name": PersonalField.NAME,
    "birth_date": PersonalField.BIRTH_DATE,
    "address": PersonalField.ADDRESS,
    # The ID card's back: the issuing police office names the district of residence.
    "issuing_authority": PersonalField.ADDRESS,
    "gender": PersonalField.GENDER,
}

# Every GraphQL field that carries personal data, with the function that masks it.
# tests/core/test_masking.py scans schema.graphql: a new personal field not listed here
# fails the build.
GRAPHQL_FIELDS: dict[str, PersonalField] = {
    "Person.name": PersonalField.NAME,
    "Person.gender": PersonalField.GENDER,
    "Person.birthDate": PersonalField.BIRTH_DATE,
    "Person.idNumber": PersonalField.ID_NUMBER,
    "Person.idNumberMasked": PersonalField.ID_NUMBER,
    "Person.phone": PersonalField.PHONE,
    "Person.phoneMasked": PersonalField.PHONE,
    "Application.applicantIdNumber": PersonalField.ID_NUMBER,
    "Certificate.holderNameMasked": PersonalField.NAME,
    "Certificate.idNumberMasked": PersonalField.ID_NUMBER,
    "CertificateVerification.holderNameMasked": PersonalField.NAME,
    "CertificateVerification.idNumberMasked": PersonalField.ID_NUMBER,
    "TranscriptVerification.holderName": PersonalField.NAME,
    # Names shown only to signed-in viewers inside their scope (MASKED keeps the name).
    "BlacklistEntry.personName": PersonalField.NAME,
    "CreditDispute.personName": PersonalField.NAME,
    "CreditEvent.personName": PersonalField.NAME,
    "HourRecord.personName": PersonalField.NAME,
    "PracticeRecord.personName": PersonalField.NAME,
    "PracticeRecord.projectLeadName": PersonalField.NAME,
}
