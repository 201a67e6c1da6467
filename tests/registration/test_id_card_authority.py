"""The ID card back's 签发机关 against the ID number's area code (issue 13): a soft
signal for the reviewer, never a refusal."""

from __future__ import annotations

import pytest

from regsafe.registration.rules import (
    CheckResult,
    authority_region,
    id_card_authority_flag,
)

GUANGZHOU_TIANHE = "44010619850312123X"  # 440106 天河区, 广州市 (check digit irrelevant here)
SHENZHEN_NANSHAN = "440305198503121234"
BEIJING_CHAOYANG = "11010519491231002X"
CHENGDU_WUHOU = "510107199001011234"


@pytest.mark.parametrize(
    ("authority", "region"),
    [
        ("广州市公安局天河分局", "4401"),
        ("深圳市公安局福田分局", "4403"),
        ("北京市公安局朝阳分局", "1101"),
        ("四川省公安厅", "51"),
        ("成都市公安局武侯区分局", "5101"),
        ("某某县公安局", None),
    ],
)
def test_the_place_an_authority_names(authority: str, region: str | None) -> None:
    assert authority_region(authority) == region


@pytest.mark.parametrize(
    ("authority", "id_number"),
    [
        ("广州市公安局天河分局", GUANGZHOU_TIANHE),
        ("广州市公安局越秀分局", GUANGZHOU_TIANHE),  # another district of the same city
        ("深圳市公安局南山分局", SHENZHEN_NANSHAN),
        ("北京市公安局海淀分局", BEIJING_CHAOYANG),  # a municipality: the province is the city
        ("广东省公安厅", SHENZHEN_NANSHAN),  # a province-level issuer
        ("某某县公安局", GUANGZHOU_TIANHE),  # names no known place: nothing to say
        ("广州市公安局天河分局", "445102198503121234"),  # 潮州: a city not in the table
        (None, GUANGZHOU_TIANHE),
        ("广州市公安局天河分局", None),
        ("广州市公安局天河分局", "44"),
    ],
)
def test_an_authority_that_fits_or_cannot_be_judged_raises_nothing(
    authority: str | None, id_number: str | None
) -> None:
    assert id_card_authority_flag(authority, id_number) is None


@pytest.mark.parametrize(
    ("authority", "id_number", "words"),
    [
        ("深圳市公安局福田分局", GUANGZHOU_TIANHE, ("广东省深圳市", "广东省广州市", "440106")),
        ("广州市公安局天河分局", CHENGDU_WUHOU, ("广东省广州市", "四川省成都市", "510107")),
        ("上海市公安局徐汇分局", BEIJING_CHAOYANG, ("上海市", "北京市", "110105")),
    ],
)
def test_an_authority_of_another_city_or_province_is_flagged(
    authority: str, id_number: str, words: tuple[str, ...]
) -> None:
    flag = id_card_authority_flag(authority, id_number)
    assert flag is not None
    assert flag.code == "ID_CARD_AUTHORITY_MISMATCH" and flag.result is CheckResult.WARN
    for word in words:
        assert word in flag.explanation, flag.explanation
