"""The `persons` query: who sees whom, every filter, and keyset pagination."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from regsafe.core.clock import today_shanghai
from regsafe.core.runtime import Runtime
from regsafe.identity import service
from regsafe.identity.service import AgePolicy, PersonInput
from tests.graphql.identity.helpers import (
    MAX_BIGINT,
    NAMES,
    PERSON_CREATE,
    PERSONS,
    Login,
    codes,
    cursor_of,
    employer_gid,
    full_id_number,
    gid,
    names_of,
    person_gid,
)
from tests.plugins.api import Api
from tests.plugins.identity import SYSTEM, World, make_id_number

# One request, one exact-name filter per world person: counts that ignore any other rows.
VISIBLE = "{ %s }" % " ".join(
    f'{key}: persons(filter: {{namePrefix: "{name}"}}) {{ totalCount edges {{ node {{ id }} }} }}'
    for key, name in NAMES.items()
)

ALL = {"zhang", "li", "wang", "zhao"}


async def visible_keys(api: Api, world: World) -> set[str]:
    data = await api.gql(VISIBLE)
    seen = set()
    for key in NAMES:
        conn = data[key]
        assert conn["totalCount"] == len(conn["edges"])
        if conn["totalCount"]:
            assert [e["node"]["id"] for e in conn["edges"]] == [person_gid(world, key)]
            seen.add(key)
    return seen


# --- who sees whom -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("admin", ALL),
        ("ministry", ALL),
        ("gd_reviewer", {"zhang", "li", "wang"}),
        ("bj_reviewer", {"zhao"}),
        ("chem_admin", {"zhang", "li"}),
        ("zhang", {"zhang"}),
        ("zhao", {"zhao"}),
    ],
)
async def test_each_role_sees_exactly_its_people(
    world: World, login_as: Login, user: str, expected: set[str]
) -> None:
    # given a signed-in user of this role
    api = await login_as(user)

    # when they count each world person by name
    seen = await visible_keys(api, world)

    # then they see exactly the people of their scope
    assert seen == expected


async def test_admin_unfiltered_total_covers_the_whole_world(world: World, login_as: Login) -> None:
    # given the admin
    admin = await login_as("admin")

    # when they list everyone
    data = await admin.gql(PERSONS, {"first": 100})

    # then every world person is there and the total matches the edges
    ids = {e["node"]["id"] for e in data["persons"]["edges"]}
    assert {person_gid(world, k) for k in ALL} <= ids
    assert data["persons"]["totalCount"] == len(ids)


@pytest.mark.parametrize("user", ["trainer", "analyst"])
async def test_roles_without_people_access_are_forbidden(
    world: World, login_as: Login, user: str
) -> None:
    # given a trainer or an analyst
    api = await login_as(user)

    # when they ask for persons
    resp = await api.post(PERSONS, {"first": 5})

    # then the field fails with FORBIDDEN and no data leaks
    body = resp.json()
    assert codes(body["errors"]) == ["FORBIDDEN"]
    assert body["data"] is None


async def test_anonymous_is_unauthenticated(api: Api, world: World) -> None:
    # given no token; when persons is asked for
    body = (await api.post(PERSONS, {"first": 5})).json()

    # then UNAUTHENTICATED, no data
    assert codes(body["errors"]) == ["UNAUTHENTICATED"]
    assert body["data"] is None


async def test_garbage_token_is_token_invalid_not_anonymous(api: Api, world: World) -> None:
    # given a bearer token that is not a token; when persons is asked for
    body = (await api.post(PERSONS, {"first": 5}, token="not-a-jwt")).json()

    # then the problem with the token is named
    assert codes(body["errors"]) == ["TOKEN_INVALID"]
    assert body["data"] is None


# --- filters --------------------------------------------------------------------------------


async def test_name_prefix(world: World, login_as: Login) -> None:
    # given the admin
    admin = await login_as("admin")

    # then a one-character prefix, a full name and padding all find 张伟 only
    assert await names_of(admin, {"namePrefix": "张"}) == {"张伟"}
    assert await names_of(admin, {"namePrefix": "张伟"}) == {"张伟"}
    assert await names_of(admin, {"namePrefix": "  张伟 "}) == {"张伟"}
    # and a prefix is a prefix: the second character alone matches nobody
    assert await names_of(admin, {"namePrefix": "伟"}) == set()


@pytest.mark.parametrize("pattern", ["%", "_", "张%", "_伟"])
async def test_name_prefix_wildcards_are_literal(
    world: World, login_as: Login, pattern: str
) -> None:
    # given the admin, who sees everyone
    admin = await login_as("admin")

    # when the prefix holds LIKE wildcards
    data = await admin.gql(PERSONS, {"f": {"namePrefix": pattern}, "first": 100})

    # then they are matched literally: no name starts with them
    assert data["persons"]["totalCount"] == 0


async def test_id_number_exact_and_normalized(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given zhang's ID number, and the admin
    idn = full_id_number(runtime, world, "zhang")
    admin = await login_as("admin")

    # then the exact number, and the number with spaces, find zhang and only zhang
    for variant in (idn, f" {idn[:6]} {idn[6:14]} {idn[14:]} "):
        data = await admin.gql(PERSONS, {"f": {"idNumber": variant}, "first": 5})
        assert data["persons"]["totalCount"] == 1
        assert data["persons"]["edges"][0]["node"]["id"] == person_gid(world, "zhang")
    # and a number differing only in the check character finds nobody
    other = idn[:17] + ("0" if idn[17] != "0" else "1")
    data = await admin.gql(PERSONS, {"f": {"idNumber": other}, "first": 5})
    assert data["persons"]["totalCount"] == 0


async def test_id_number_with_lowercase_x_is_found(world: World, login_as: Login) -> None:
    # given a person whose ID number ends in X
    idn = make_id_number("440305", date(1988, 8, 8), 8)
    assert idn.endswith("X")
    reviewer = await login_as("gd_reviewer")
    created = await reviewer.gql(
        PERSON_CREATE, {"input": {"name": "谢晓", "idNumber": idn, "regionCode": "440305"}}
    )
    assert created["personCreate"]["errors"] == []

    # when searched with a lowercase x
    data = await reviewer.gql(PERSONS, {"f": {"idNumber": idn.lower()}, "first": 5})

    # then that person is found
    assert [e["node"]["name"] for e in data["persons"]["edges"]] == ["谢晓"]


async def test_id_number_search_stays_inside_the_viewers_scope(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given the Guangdong reviewer, who cannot see zhao (Beijing)
    reviewer = await login_as("gd_reviewer")

    # when they search zhao's exact ID number
    idn = full_id_number(runtime, world, "zhao")
    data = await reviewer.gql(PERSONS, {"f": {"idNumber": idn}, "first": 5})

    # then nothing comes back: the search does not reveal that zhao exists
    assert data["persons"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("440000", {"张伟", "李娜", "王芳"}),  # the province
        ("440300", {"张伟", "王芳"}),  # 深圳市
        ("440305", {"张伟"}),  # 南山区
        ("440100", {"李娜"}),  # 广州市
        ("110000", {"赵强"}),
        ("120000", set()),
    ],
)
async def test_region_code_filter_widens_by_trailing_zeros(
    world: World, login_as: Login, region: str, expected: set[str]
) -> None:
    admin = await login_as("admin")
    assert await names_of(admin, {"regionCode": region}) == expected


@pytest.mark.parametrize("pattern", ["%", "44_3"])
async def test_region_code_filter_treats_wildcards_literally(
    world: World, login_as: Login, pattern: str
) -> None:
    # given the admin; when the region filter holds LIKE wildcards
    admin = await login_as("admin")
    resp = await admin.post(PERSONS, {"f": {"regionCode": pattern}, "first": 100})
    body = resp.json()

    # then either the filter is refused as bad input, or it matches nobody (no region code
    # contains % or _) -- it must not act as a pattern that matches real people
    if body.get("errors"):
        assert codes(body["errors"])[0] in ("BAD_USER_INPUT", "REGION_INVALID")
    else:
        names = {e["node"]["name"] for e in body["data"]["persons"]["edges"]}
        assert names.isdisjoint(set(NAMES.values())), names


async def test_specialty_filter(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    assert await names_of(admin, {"specialty": "CHEMICAL"}) == {"张伟", "李娜"}
    assert await names_of(admin, {"specialty": "CONSTRUCTION"}) == {"王芳", "赵强"}
    assert await names_of(admin, {"specialty": "COAL_MINE"}) == set()


async def test_employer_filter(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    assert await names_of(admin, {"employerId": employer_gid(world, "chem")}) == {"张伟", "李娜"}
    assert await names_of(admin, {"employerId": employer_gid(world, "agency")}) == {"王芳"}
    assert await names_of(admin, {"employerId": employer_gid(world, "beijing")}) == {"赵强"}
    # filters combine with AND
    both = {"employerId": employer_gid(world, "chem"), "regionCode": "440300"}
    assert await names_of(admin, both) == {"张伟"}


async def test_filters_never_widen_the_scope(world: World, login_as: Login) -> None:
    # given reviewers of one province
    gd = await login_as("gd_reviewer")
    bj = await login_as("bj_reviewer")

    # then filtering for the other province's data returns nothing
    assert await names_of(gd, {"regionCode": "110000"}) == set()
    assert await names_of(gd, {"employerId": employer_gid(world, "beijing")}) == set()
    assert await names_of(bj, {"employerId": employer_gid(world, "chem")}) == set()


async def test_employer_filter_with_a_person_id_is_bad_input(world: World, login_as: Login) -> None:
    # given the admin; when employerId is the global id of a person
    admin = await login_as("admin")
    body = (
        await admin.post(PERSONS, {"f": {"employerId": person_gid(world, "zhang")}, "first": 5})
    ).json()

    # then a top-level INVALID_ID error, no data
    assert codes(body["errors"]) == ["INVALID_ID"]
    assert body["data"] is None


async def test_employer_filter_with_an_out_of_range_id_is_not_a_server_error(
    world: World, login_as: Login
) -> None:
    # given an Employer global id whose number does not fit a bigint
    admin = await login_as("admin")
    huge = gid("Employer", MAX_BIGINT + 1)

    # when it is used as a filter
    body = (await admin.post(PERSONS, {"f": {"employerId": huge}, "first": 5})).json()

    # then it is the client's mistake (INVALID_ID) or simply matches nobody -- never a bug
    if body.get("errors"):
        assert codes(body["errors"]) == ["INVALID_ID"], body["errors"]
    else:
        assert body["data"]["persons"]["totalCount"] == 0


# --- pagination -----------------------------------------------------------------------------

PAGED = ["分页甲", "分页乙", "分页丙", "分页丁", "分页戊", "分页己", "分页庚"]


@pytest.fixture
async def paged(runtime: Runtime, world: World) -> list[str]:
    """Seven Shenzhen people named 分页…, created through the service in id order."""
    async with runtime.db.session() as s:
        for i, name in enumerate(PAGED):
            await service.create_person(
                s,
                data=PersonInput(
                    name=name,
                    id_number=make_id_number("440305", date(1980 + i, 3, 9), 700 + i),
                    region_code="440305",
                ),
                viewer=SYSTEM,
                cipher=runtime.cipher,
                today=today_shanghai(),
                ages=AgePolicy(),
            )
        await s.commit()
    return PAGED


def _page(data: dict[str, Any]) -> tuple[list[str], dict[str, Any], int]:
    conn = data["persons"]
    return [e["node"]["name"] for e in conn["edges"]], conn["pageInfo"], conn["totalCount"]


async def test_first_after_walks_every_page_without_gaps_or_duplicates(
    login_as: Login, paged: list[str]
) -> None:
    # given seven people and the admin
    admin = await login_as("admin")
    f = {"namePrefix": "分页"}

    # when paging forward three at a time
    pages: list[list[str]] = []
    infos: list[dict[str, Any]] = []
    after = None
    for _ in range(10):
        data = await admin.gql(PERSONS, {"f": f, "first": 3, "after": after})
        names, info, total = _page(data)
        assert total == 7
        pages.append(names)
        infos.append(info)
        edges = data["persons"]["edges"]
        assert info["startCursor"] == edges[0]["cursor"]
        assert info["endCursor"] == edges[-1]["cursor"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]

    # then 3 + 3 + 1 in creation (id) order, every person once
    assert pages == [paged[0:3], paged[3:6], paged[6:7]]
    assert [i["hasNextPage"] for i in infos] == [True, True, False]
    assert [i["hasPreviousPage"] for i in infos] == [False, True, True]


async def test_last_before_walks_backwards(login_as: Login, paged: list[str]) -> None:
    # given seven people and the admin
    admin = await login_as("admin")
    f = {"namePrefix": "分页"}

    # when paging backwards three at a time
    pages: list[list[str]] = []
    infos: list[dict[str, Any]] = []
    before = None
    for _ in range(10):
        data = await admin.gql(PERSONS, {"f": f, "last": 3, "before": before})
        names, info, total = _page(data)
        assert total == 7
        pages.append(names)
        infos.append(info)
        if not info["hasPreviousPage"]:
            break
        before = info["startCursor"]

    # then each page is in ascending order, walking from the end to the start
    assert pages == [paged[4:7], paged[1:4], paged[0:1]]
    assert [i["hasPreviousPage"] for i in infos] == [True, True, False]
    assert [i["hasNextPage"] for i in infos] == [False, True, True]


async def test_page_that_exactly_fits_has_no_next_page(login_as: Login, paged: list[str]) -> None:
    admin = await login_as("admin")
    f = {"namePrefix": "分页"}
    names, info, _ = _page(await admin.gql(PERSONS, {"f": f, "first": 7}))
    assert names == paged and info["hasNextPage"] is False
    names, info, _ = _page(await admin.gql(PERSONS, {"f": f, "first": 6}))
    assert names == paged[:6] and info["hasNextPage"] is True


async def test_after_the_last_cursor_is_an_empty_page(login_as: Login, paged: list[str]) -> None:
    admin = await login_as("admin")
    f = {"namePrefix": "分页"}
    end = (await admin.gql(PERSONS, {"f": f, "first": 7}))["persons"]["pageInfo"]["endCursor"]
    names, info, total = _page(await admin.gql(PERSONS, {"f": f, "first": 3, "after": end}))
    assert names == [] and total == 7
    assert info["hasNextPage"] is False
    assert info["startCursor"] is None and info["endCursor"] is None


async def test_between_after_and_before(login_as: Login, paged: list[str]) -> None:
    # given cursors of the 2nd and 6th person
    admin = await login_as("admin")
    f = {"namePrefix": "分页"}
    edges = (await admin.gql(PERSONS, {"f": f, "first": 7}))["persons"]["edges"]
    after, before = edges[1]["cursor"], edges[5]["cursor"]

    # when asking for what lies strictly between them
    names, _, _ = _page(
        await admin.gql(PERSONS, {"f": f, "first": 10, "after": after, "before": before})
    )

    # then the 3rd to 5th
    assert names == paged[2:5]


@pytest.mark.parametrize("size", [0, 1, 2, 5, 7, 100])
async def test_total_count_does_not_depend_on_page_size(
    login_as: Login, paged: list[str], size: int
) -> None:
    admin = await login_as("admin")
    names, _, total = _page(await admin.gql(PERSONS, {"f": {"namePrefix": "分页"}, "first": size}))
    assert total == 7
    assert len(names) == min(size, 7)


async def test_total_count_does_not_depend_on_the_cursor(login_as: Login, paged: list[str]) -> None:
    admin = await login_as("admin")
    f = {"namePrefix": "分页"}
    first = (await admin.gql(PERSONS, {"f": f, "first": 2}))["persons"]
    later = await admin.gql(PERSONS, {"f": f, "first": 2, "after": first["pageInfo"]["endCursor"]})
    assert later["persons"]["totalCount"] == first["totalCount"] == 7


async def test_scope_applies_to_every_page(world: World, login_as: Login, paged: list[str]) -> None:
    # given the chemical employer's admin, who sees only the employer's two people
    chem = await login_as("chem_admin")

    # when paging one at a time through everything they can see
    seen: list[str] = []
    after = None
    for _ in range(10):
        names, info, total = _page(await chem.gql(PERSONS, {"first": 1, "after": after}))
        assert total == 2
        seen += names
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]

    # then exactly zhang and li, none of the paged people
    assert sorted(seen) == sorted(["张伟", "李娜"])


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 1, "last": 1}, "INVALID_PAGINATION"),
        ({"first": 101}, "INVALID_PAGINATION"),
        ({"last": 101}, "INVALID_PAGINATION"),
        ({"first": -1}, "INVALID_PAGINATION"),
        ({"last": -5}, "INVALID_PAGINATION"),
        ({"first": 5, "after": "not-a-cursor"}, "INVALID_CURSOR"),
        ({"last": 5, "before": "not-a-cursor"}, "INVALID_CURSOR"),
        ({"first": 5, "after": cursor_of("cursor:v1:abc")}, "INVALID_CURSOR"),
        ({"first": 5, "after": cursor_of("Person:1")}, "INVALID_CURSOR"),
        ({"first": 5, "after": ""}, "INVALID_CURSOR"),
    ],
)
async def test_bad_pagination_arguments_are_client_errors(
    world: World, login_as: Login, variables: dict[str, Any], code: str
) -> None:
    admin = await login_as("admin")
    body = (await admin.post(PERSONS, variables)).json()
    assert codes(body["errors"]) == [code]
    assert body["data"] is None


async def test_largest_allowed_page_is_accepted(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    data = await admin.gql(PERSONS, {"first": 100})
    assert len(data["persons"]["edges"]) <= 100


@pytest.mark.parametrize("key", [str(MAX_BIGINT + 1), "-" + "9" * 25])
async def test_cursor_outside_the_id_range_is_invalid_cursor(
    world: World, login_as: Login, key: str
) -> None:
    # given a well-formed cursor whose key does not fit the bigint primary key
    admin = await login_as("admin")
    cursor = cursor_of(f"cursor:v1:{key}")

    # when it is used to page
    body = (await admin.post(PERSONS, {"first": 5, "after": cursor})).json()

    # then the client is told the cursor is invalid, not handed a masked server error
    assert codes(body["errors"]) == ["INVALID_CURSOR"], body["errors"]
