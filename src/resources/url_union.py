"""What an app client's URL lists must be, from the records of who lists what.

The client's CallbackURLs and LogoutURLs are always the union of its holders' URLs:
its owner (``Custom::CognitoUserPoolClientSettings``) and every contribution
(``Custom::CognitoUserPoolClientURLs``). The records are the source of truth; the
client is a view of them, recomputed by every writer (docs/design/client-urls.md).
Pure functions: no AWS, no clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from properties.app_client import MAX_URLS

# The owner has one record per client; a contribution's key is its record's name
# (``record_key``), 12 hex digits and a hyphen first, so it is never "owner".
OWNER_KEY = "owner"
# Holders named one by one in a refusal, the largest first; the rest are summed up.
# CloudFormation shows 256 characters of a reason (cfn/delivery.py), so it stays short.
_NAMED_HOLDERS = 4
URL_LISTS = ("CallbackURLs", "LogoutURLs")


@dataclass(frozen=True)
class Holder:
    """One resource that lists URLs on an app client."""

    key: str
    stack_name: str
    logical_id: str
    callback_urls: tuple[str, ...] = ()
    logout_urls: tuple[str, ...] = ()

    @property
    def is_owner(self) -> bool:
        return self.key == OWNER_KEY

    @property
    def label(self) -> str:
        """How a reason names it: ``preview-pr-42/PreviewURLs``, the owner said so."""
        return f"{self.stack_name}/{self.logical_id}{' (owner)' if self.is_owner else ''}"

    def urls(self, list_name: str) -> tuple[str, ...]:
        return self.callback_urls if list_name == "CallbackURLs" else self.logout_urls


@dataclass(frozen=True)
class UrlLists:
    callback_urls: tuple[str, ...] = ()
    logout_urls: tuple[str, ...] = ()

    def urls(self, list_name: str) -> tuple[str, ...]:
        return self.callback_urls if list_name == "CallbackURLs" else self.logout_urls


def record_key(stack_id: str, logical_id: str) -> str:
    """The name of a contribution's record under its client's path: ``<12 hex digits>-<logical id>``.

    A hash of the stack id, not the stack name: a name can be reused after its stack
    is deleted, an id cannot, and the hash keeps the parameter name within SSM's
    characters (letters, digits, ``_.-/``) whatever the stack is called.
    """
    return f"{hashlib.sha256(stack_id.encode()).hexdigest()[:12]}-{logical_id}"


def in_order(holders: Iterable[Holder]) -> tuple[Holder, ...]:
    """The owner first, then the contributions by stack name and logical id: the same order for every reader."""
    return tuple(
        sorted(holders, key=lambda holder: (not holder.is_owner, holder.stack_name, holder.logical_id, holder.key))
    )


def union(holders: Iterable[Holder]) -> UrlLists:
    """The client's URL lists: every holder's URLs in holder order, each URL once."""
    ordered = in_order(holders)
    return UrlLists(*(_each_once(url for holder in ordered for url in holder.urls(name)) for name in URL_LISTS))


def with_change(holders: Iterable[Holder], key: str, replacement: Holder | None) -> tuple[Holder, ...]:
    """``holders`` with the one named ``key`` replaced (or added), or removed when ``replacement`` is None.

    A writer applies its own change to what it read, so a read that lags does not hide
    the writer's own record from itself.
    """
    others = tuple(holder for holder in holders if holder.key != key)
    return in_order((*others, replacement) if replacement is not None else others)


def removed_by_leaving(holders: Iterable[Holder], key: str) -> UrlLists:
    """The URLs that leave the client when the holder ``key`` goes: its own, where no other holder lists them."""
    holders = tuple(holders)
    leaving = next((holder for holder in holders if holder.key == key), None)
    if leaving is None:
        return UrlLists()
    remaining = union(holder for holder in holders if holder.key != key)
    return UrlLists(
        *(tuple(url for url in leaving.urls(name) if url not in remaining.urls(name)) for name in URL_LISTS)
    )


def limit_problems(before: Iterable[Holder], after: Iterable[Holder], client_id: str) -> list[str]:
    """Why the change from ``before`` to ``after`` cannot be made: Cognito's 100 URLs per list, over the union.

    Only a change that adds a URL to a list is refused: a Delete, or an Update that
    adds nothing, goes through even when the others' union is over the limit (a
    racing writer that caused it is about to back out; docs/design/client-urls.md).
    """
    before, after = tuple(before), tuple(after)
    old, new = union(before), union(after)
    problems = []
    for name in URL_LISTS:
        added = set(new.urls(name)) - set(old.urls(name))
        if len(new.urls(name)) > MAX_URLS and added:
            problems.append(
                f"{name} would hold {len(new.urls(name))} URLs, over Cognito's {MAX_URLS} per app client "
                f"({client_id}): {_counts(after, name)}; remove some, or use another app client"
            )
    return problems


def _counts(holders: tuple[Holder, ...], list_name: str) -> str:
    listing = sorted((holder for holder in holders if holder.urls(list_name)), key=lambda h: -len(h.urls(list_name)))
    named = [f"{holder.label} {len(holder.urls(list_name))}" for holder in listing[:_NAMED_HOLDERS]]
    rest = listing[_NAMED_HOLDERS:]
    if rest:
        named.append(f"{len(rest)} more {sum(len(holder.urls(list_name)) for holder in rest)}")
    return ", ".join(named)


def _each_once(urls: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(urls))
