"""Every field OCR reads can be confirmed: the registrant's confirmation sends the whole
table of read fields back, so a field the OCR gained (the 职业资格证书 as issued, the ID
card's back, the prose diploma) but confirmation refused made the document impossible
to confirm (未知字段)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from regsafe.ocr import synthetic
from regsafe.registration.documents import CONFIRMABLE
from regsafe.registration.rules import DocumentKind

LAYOUTS: dict[str, tuple[DocumentKind, Callable[[random.Random], synthetic.Sample]]] = {
    "ID card front": (DocumentKind.ID_CARD, synthetic.id_card),
    "ID card back": (DocumentKind.ID_CARD, synthetic.id_card_back),
    "labelled diploma": (DocumentKind.DIPLOMA, synthetic.diploma),
    "prose diploma": (DocumentKind.DIPLOMA, synthetic.diploma_prose),
    "labelled certificate": (DocumentKind.QUALIFICATION_CERTIFICATE, synthetic.certificate),
    "certificate as issued": (
        DocumentKind.QUALIFICATION_CERTIFICATE,
        synthetic.certificate_as_issued,
    ),
    "成绩合格证明": (DocumentKind.QUALIFICATION_CERTIFICATE, synthetic.pass_proof),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_field_a_layout_yields_is_confirmable(layout: str) -> None:
    kind, generate = LAYOUTS[layout]
    fields: set[str] = set()
    for seed in range(5):
        fields |= set(generate(random.Random(f"confirmable-{layout}-{seed}")).expected)
    assert fields, layout
    assert fields <= set(CONFIRMABLE[kind]), sorted(fields - set(CONFIRMABLE[kind]))
