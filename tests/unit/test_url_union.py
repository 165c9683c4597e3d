"""The union rules of an app client's URL lists, one table per decision (docs/design/client-urls.md)."""

from __future__ import annotations

import re

import pytest

from resources.url_union import (
    OWNER_KEY,
    Holder,
    UrlLists,
    in_order,
    limit_problems,
    record_key,
    removed_by_leaving,
    with_change,
)
from resources.url_union import union as url_union

CLIENT = "webclient1234567890abcdefgh"
APP = "https://notes.example.com/callback"
LOCAL = "http://localhost:3000/"


def owner(*callback_urls: str, logout_urls: tuple[str, ...] = ()) -> Holder:
    return Holder(OWNER_KEY, "notes-auth", "AppClientSettings", callback_urls, logout_urls)


def preview(n: int, *callback_urls: str, logout_urls: tuple[str, ...] = (), stack: str = "") -> Holder:
    stack_name = stack or f"preview-pr-{n}"
    return Holder(f"{n:012x}-PreviewURLs", stack_name, "PreviewURLs", callback_urls, logout_urls)


def pr(n: int) -> str:
    return f"https://pr-{n}.preview.example.com/callback"


@pytest.mark.parametrize(
    ("holders", "expected"),
    [
        pytest.param([], UrlLists(), id="no holders: empty lists"),
        pytest.param([owner(APP, LOCAL)], UrlLists((APP, LOCAL)), id="the owner alone, in its order"),
        pytest.param([preview(1, pr(1))], UrlLists((pr(1),)), id="a contribution to a client with no owner"),
        pytest.param(
            [preview(2, pr(2)), owner(APP), preview(1, pr(1))],
            UrlLists((APP, pr(1), pr(2))),
            id="the owner first, then contributions by stack name, whatever the read order",
        ),
        pytest.param(
            [preview(1, pr(1), APP), owner(APP), preview(2, pr(1))],
            UrlLists((APP, pr(1))),
            id="a URL listed by several holders appears once, where it first appears",
        ),
        pytest.param(
            [owner(APP, logout_urls=(LOCAL,)), preview(1, logout_urls=(pr(1),))],
            UrlLists((APP,), (LOCAL, pr(1))),
            id="callback and sign-out lists are separate unions",
        ),
        pytest.param(
            [preview(1, pr(1), stack="b-stack"), preview(2, pr(2), stack="a-stack")],
            UrlLists((pr(2), pr(1))),
            id="contributions ordered by stack name, not by record key",
        ),
    ],
)
def test_the_union_lists_the_owner_first_then_each_contribution_each_url_once(
    holders: list[Holder], expected: UrlLists
) -> None:
    assert url_union(holders) == expected


def test_every_read_order_gives_the_same_union() -> None:
    holders = [owner(APP), preview(3, pr(3), APP), preview(1, pr(1)), preview(2, pr(2), pr(1))]
    assert {url_union(order) for order in (holders, holders[::-1], holders[1:] + holders[:1])} == {
        UrlLists((APP, pr(1), pr(2), pr(3)))
    }


@pytest.mark.parametrize(
    ("key", "replacement", "expected"),
    [
        pytest.param("000000000009-PreviewURLs", preview(9, pr(9)), (APP, pr(1), pr(9)), id="Create adds a record"),
        pytest.param(
            "000000000001-PreviewURLs", preview(1, pr(11)), (APP, pr(11)), id="Update replaces its own record"
        ),
        pytest.param("000000000001-PreviewURLs", None, (APP,), id="Delete removes its own record"),
        pytest.param("000000000009-PreviewURLs", None, (APP, pr(1)), id="Delete of a record already gone"),
        pytest.param(OWNER_KEY, None, (pr(1),), id="the owner leaves, the contributions stay"),
    ],
)
def test_a_writer_applies_its_own_change_to_what_it_read(
    key: str, replacement: Holder | None, expected: tuple[str, ...]
) -> None:
    read = (owner(APP), preview(1, pr(1)))
    changed = with_change(read, key, replacement)
    assert url_union(changed).callback_urls == expected
    assert changed == in_order(changed)


@pytest.mark.parametrize(
    ("holders", "leaving", "removed"),
    [
        pytest.param(
            [owner(APP), preview(1, pr(1))], "000000000001-PreviewURLs", UrlLists((pr(1),)), id="its own URL goes"
        ),
        pytest.param(
            [owner(APP), preview(1, pr(1), APP)],
            "000000000001-PreviewURLs",
            UrlLists((pr(1),)),
            id="a URL the owner also lists stays",
        ),
        pytest.param(
            [preview(1, pr(1)), preview(2, pr(1), pr(2))],
            "000000000002-PreviewURLs",
            UrlLists((pr(2),)),
            id="a URL another contribution also lists stays",
        ),
        pytest.param(
            [owner(APP, logout_urls=(LOCAL,)), preview(1, logout_urls=(LOCAL, pr(1)))],
            "000000000001-PreviewURLs",
            UrlLists((), (pr(1),)),
            id="sign-out URLs likewise",
        ),
        pytest.param(
            [owner(APP)], "000000000001-PreviewURLs", UrlLists(), id="a holder with no record removes nothing"
        ),
        pytest.param(
            [owner(APP, pr(1)), preview(1, pr(1))], OWNER_KEY, UrlLists((APP,)), id="the owner leaving keeps theirs"
        ),
    ],
)
def test_a_delete_removes_only_urls_no_one_else_lists(holders: list[Holder], leaving: str, removed: UrlLists) -> None:
    assert removed_by_leaving(holders, leaving) == removed
    remaining = url_union(holder for holder in holders if holder.key != leaving)
    everything = url_union(holders)
    for name in ("CallbackURLs", "LogoutURLs"):
        assert set(everything.urls(name)) - set(removed.urls(name)) == set(remaining.urls(name))


def many(first: int, count: int) -> tuple[str, ...]:
    return tuple(pr(n) for n in range(first, first + count))


@pytest.mark.parametrize(
    ("before", "after", "refused"),
    [
        pytest.param([owner(*many(0, 60))], [owner(*many(0, 60)), preview(1, *many(60, 40))], False, id="exactly 100"),
        pytest.param(
            [owner(*many(0, 60))], [owner(*many(0, 60)), preview(1, *many(60, 41))], True, id="101: the newcomer"
        ),
        pytest.param(
            [owner(*many(0, 60))],
            [owner(*many(0, 60)), preview(1, *many(30, 70))],
            False,
            id="URLs the owner already lists do not count twice",
        ),
        pytest.param(
            [owner(*many(0, 60)), preview(1, *many(60, 40))],
            [owner(*many(0, 60), pr(500)), preview(1, *many(60, 40))],
            True,
            id="the owner growing past the limit is refused too",
        ),
        pytest.param(
            [preview(1, *many(0, 101)), preview(2, pr(500))],
            [preview(1, *many(0, 101))],
            False,
            id="a Delete goes through although the others are over the limit",
        ),
        pytest.param(
            [preview(1, *many(0, 101)), preview(2, pr(500))],
            [preview(1, *many(0, 101)), preview(2, pr(50))],
            False,
            id="an Update that adds no new URL goes through",
        ),
    ],
)
def test_the_100_url_limit_counts_the_whole_union(before: list[Holder], after: list[Holder], refused: bool) -> None:
    assert bool(limit_problems(before, after, CLIENT)) is refused


def test_a_refusal_names_how_many_each_holder_has() -> None:
    after = [owner(*many(0, 60)), preview(1, *many(60, 30)), preview(2, *many(90, 11))]
    (problem,) = limit_problems(after[:2], after, CLIENT)
    assert problem == (
        f"CallbackURLs would hold 101 URLs, over Cognito's 100 per app client ({CLIENT}): "
        "notes-auth/AppClientSettings (owner) 60, preview-pr-1/PreviewURLs 30, preview-pr-2/PreviewURLs 11; "
        "remove some, or use another app client"
    )
    assert len(problem) <= 256, "CloudFormation shows 256 characters of a reason"


def test_a_refusal_names_the_four_largest_holders_and_sums_up_the_rest() -> None:
    after = [preview(n, *many(n * 10, 10)) for n in range(10)] + [preview(10, *many(100, 5))]
    (problem,) = limit_problems(after[:10], after, CLIENT)
    assert problem.count("PreviewURLs 10") == 4
    assert "7 more 65;" in problem


def test_each_list_is_counted_on_its_own() -> None:
    before = [owner(logout_urls=many(0, 100))]
    after = [*before, preview(1, pr(900), logout_urls=(pr(901),))]
    (problem,) = limit_problems(before, after, CLIENT)
    assert problem.startswith("LogoutURLs would hold")


def test_a_record_key_names_the_stack_by_id_and_the_resource_by_logical_id() -> None:
    stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/preview-pr-42/0f1e2d3c-aaaa-bbbb-cccc-123456789012"
    reused = stack.replace("0f1e2d3c", "99999999")
    key = record_key(stack, "PreviewURLs")
    assert re.fullmatch(r"[0-9a-f]{12}-PreviewURLs", key)
    assert key == record_key(stack, "PreviewURLs")
    assert key != record_key(reused, "PreviewURLs"), "a stack name used again is another holder"
    assert record_key(stack, "OtherURLs") != key
    assert not re.fullmatch(r"[0-9a-f]{12}-.*", OWNER_KEY), "no contribution can be named like the owner"
