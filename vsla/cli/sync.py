"""`vsla sync`: push this device's journal entries the hub has not acknowledged.

Group by group, in chain order, in batches; each batch the hub acknowledges (by its new
head, which must be this device's own entry there) is marked, so an interruption loses
nothing and the next run goes on from the last acknowledged entry. Sending again what the
hub already has is harmless. A refusal (a fork, another device's group, a revoked token) is
shown in the device's language and nothing is marked: the entries stay here.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from ledger import N_, Problem
from vsla.cli.common import (
    EXIT_PROBLEMS,
    DbOption,
    JsonOption,
    fail,
    open_book,
    print_json,
    resolve_db,
)
from vsla.cli.hublink import TIMEOUT_S, HubLink, Unreachable
from vsla.i18n import render_problem, tr

if TYPE_CHECKING:
    from vsla.book.service import Book
    from vsla.book.sync import SyncDevice

BATCH = 500  # entries a push: about 500 kB, a few seconds on a slow phone link
HUB_KEY, TOKEN_KEY = "sync.hub", "sync.token"

HubOption = Annotated[
    str | None,
    typer.Option(
        "--hub",
        metavar="URL",
        help=tr(N_("the hub's address, like https://hub.example (remembered)")),
    ),
]
TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token",
        metavar="TOKEN",
        envvar="VSLA_SYNC_TOKEN",
        help=tr(N_("this device's token from `vsla hub device add` (remembered)")),
    ),
]


def sync(
    hub: HubOption = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Push what the hub has not acknowledged, group by group; resumes where it stopped."""
    from rich.progress import Progress

    from vsla.book.sync import SyncDevice

    refused: dict[str, str] = {}
    sent: dict[str, dict[str, int]] = {}
    unreachable: str | None = None
    with open_book(db, write=True) as book:
        url, secret = _hub_and_token(book, hub, token)
        link = _link(url, secret)
        device = SyncDevice(book)
        groups = sorted(device.groups())
        waiting = {g: device.waiting(g) for g in groups}
        with Progress(transient=True, disable=as_json) as progress:
            task = progress.add_task(tr(N_("sending")), total=sum(waiting.values()))
            for group_id in groups:
                counts = sent.setdefault(group_id, {"sent": 0, "stored": 0, "already": 0})
                taken = partial(_tally, counts, partial(progress.advance, task))
                try:
                    refusal = push_group(link, device, group_id, taken, BATCH)
                except Unreachable as error:
                    unreachable = str(error)  # said once the progress bar is gone
                    break
                if refusal is not None:
                    refused[group_id] = _shown(refusal)
                else:
                    book.set_setting(HUB_KEY, url)
                    book.set_setting(TOKEN_KEY, secret)
        link.close()
        if unreachable is not None:
            fail_unreachable(url, unreachable)
        report = {g: {**sent[g], "waiting": device.waiting(g)} for g in groups}
    if as_json:
        print_json({"hub": url, "groups": report, "refused": refused})
    else:
        for group_id in groups:
            typer.echo(
                tr(
                    N_("{group}: {sent} sent, {stored} new on the hub, {waiting} waiting"),
                    group=group_id,
                    **{k: v for k, v in report[group_id].items() if k != "already"},
                )
            )
        for group_id, message in refused.items():
            typer.echo(
                tr(N_("{group} refused: {message}"), group=group_id, message=message), err=True
            )
    if refused:
        raise typer.Exit(EXIT_PROBLEMS)


def restore(
    group: Annotated[str, typer.Argument(metavar="GROUP", help=tr(N_("the group id")))],
    hub: HubOption = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rebuild a group from the hub on this device (a new or replaced phone)."""
    from vsla.book.sync import SyncDevice
    from vsla.bookfile.reader import removed_unless_imported

    # A new book that receives nothing (no such group, no hub) is not left behind.
    with (
        removed_unless_imported(resolve_db(db)) as keep,
        open_book(db, write=True, create=True) as book,
    ):
        url, secret = _hub_and_token(book, hub, token)
        link = _link(url, secret)
        device = SyncDevice(book)
        received = 0
        head = device.acknowledged(group)
        while True:
            mine = device.head(group)
            quoted = urllib.parse.quote(group, safe="")
            path = f"/sync/{quoted}/entries?after={0 if mine is None else mine.seq}"
            try:
                status, answer = link.request(path)
            except Unreachable as error:
                fail_unreachable(url, str(error))
            if status != 200:
                typer.echo(
                    tr(N_("{group} refused: {message}"), group=group, message=_shown(answer)),
                    err=True,
                )
                raise typer.Exit(EXIT_PROBLEMS)
            batch = answer.get("entries") if isinstance(answer, dict) else None
            if not isinstance(batch, list) or not batch:
                break
            head = device.restore(group, batch, _now())
            received += len(batch)
            keep()  # committed: a later failure leaves a book that restore can go on from
        link.close()
        if head is None:
            mine = device.head(group)
            if mine is None:
                fail(tr(N_("the hub has no group {group}"), group=group))
            typer.echo(
                tr(
                    N_(
                        "this book already holds group {group} up to entry {seq}, and the hub "
                        "has nothing after it: nothing to restore (`vsla sync` sends it)"
                    ),
                    group=group,
                    seq=mine.seq,
                )
            )
            return
        book.set_setting(HUB_KEY, url)
        book.set_setting(TOKEN_KEY, secret)
    if as_json:
        print_json(
            {"group": group, "received": received, "head": {"seq": head.seq, "hash": head.hash}}
        )
        return
    typer.echo(
        tr(
            N_(
                "restored {group}: {count} entries received, up to entry {seq}. Before recording "
                "a meeting here, have the hub hand the group to this device (`vsla hub group "
                "move`)"
            ),
            group=group,
            count=received,
            seq=head.seq,
        )
    )


def _hub_and_token(book: Book, hub: str | None, token: str | None) -> tuple[str, str]:
    """The hub and this device's token: as given, else as remembered by the last sync."""
    url = hub or book.setting(HUB_KEY)
    secret = token or book.setting(TOKEN_KEY)
    if not url or not secret:
        fail(tr(N_("which hub? Give --hub URL and --token TOKEN once; they are remembered")))
    return url, secret


def push_group(
    link: HubLink,
    device: SyncDevice,
    group_id: str,
    taken: Callable[[int, dict[str, Any]], None],
    batch_size: int = BATCH,
) -> Any:
    """Pushes what the hub has not acknowledged of one group, batch after batch, each marked
    as its acknowledgement comes; `taken(count, answer)` after each. Returns the hub's
    refusal (its JSON), or None.

    The device works while the hub does: the next batch is read and encoded while the hub
    stores the one before, and once the hub has acknowledged exactly what was sent, the
    next batch leaves before the acknowledgement is marked here. A run that stops between
    the two sends again, next time, what it had not marked: the hub answers "already held"."""
    from vsla.book.sync import Head

    path = f"/sync/{urllib.parse.quote(group_id, safe='')}"
    batch = device.pending(group_id, batch_size)
    if batch:
        link.send(path, _body(batch))
    while batch:
        upcoming = device.pending(group_id, batch_size, after_seq=int(batch[-1]["seq"]))
        status, answer = link.receive()
        if status != 200:
            return answer
        head = Head(int(answer["head"]["seq"]), str(answer["head"]["hash"]))
        as_sent = (head.seq, head.hash) == (batch[-1]["seq"], batch[-1]["hash"])
        if as_sent and upcoming:
            link.send(path, _body(upcoming))
        device.acknowledge(group_id, head, _now())
        taken(len(batch), answer)
        if not as_sent:  # the hub holds more or less than was sent: ask again from its head
            upcoming = device.pending(group_id, batch_size)
            if upcoming:
                link.send(path, _body(upcoming))
        batch = upcoming
    return None


def _tally(
    counts: dict[str, int], advance: Callable[[int], None], count: int, answer: dict[str, Any]
) -> None:
    counts["sent"] += count
    counts["stored"] += int(answer["stored"])
    counts["already"] += int(answer["already"])
    advance(count)


def _body(batch: list[dict[str, Any]]) -> bytes:
    return json.dumps({"entries": batch}, ensure_ascii=False).encode()


def _link(url: str, token: str) -> HubLink:
    try:
        return HubLink(url, token, TIMEOUT_S)
    except Unreachable as error:
        fail_unreachable(url, str(error))


def _shown(answer: Any) -> str:
    """The hub's refusal in this device's language (its message is a catalogue msgid)."""
    error = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        return tr(N_("the hub refused the push without saying why"))
    given = error.get("params")
    params: dict[str, Any] = given if isinstance(given, dict) else {}
    return render_problem(Problem(str(error.get("code", "")), error["message"], params))


def fail_unreachable(url: str, reason: str) -> NoReturn:
    typer.echo(
        tr(
            N_(
                "the hub at {url} cannot be reached ({reason}); nothing is lost: run `vsla sync` "
                "again later"
            ),
            url=url,
            reason=reason,
        ),
        err=True,
    )
    raise typer.Exit(EXIT_PROBLEMS)


def _now() -> datetime:
    return datetime.now(UTC)


def hub_problems(
    path: Path, url: str, token: str | None, groups: list[str]
) -> list[tuple[str, Problem]]:
    """Each group's chain in the book at `path` against the head the hub holds."""
    from vsla.book.sync import Head, SyncDevice

    found: list[tuple[str, Problem]] = []
    with open_book(path) as book:
        secret = token or book.setting(TOKEN_KEY)
        if not secret:
            fail(tr(N_("which token? Give --token TOKEN (or run `vsla sync` once)")))
        device = SyncDevice(book)
        link = _link(url, secret)
        for group_id in groups:
            try:
                status, answer = link.request(f"/sync/{urllib.parse.quote(group_id, safe='')}")
            except Unreachable as error:
                fail_unreachable(url, str(error))
            if status != 200:
                fail(_shown(answer))
            head = answer.get("head") if isinstance(answer, dict) else None
            hub_head = None if not isinstance(head, dict) else Head(head["seq"], head["hash"])
            found += [(group_id, p) for p in device.against_hub(group_id, hub_head)]
        link.close()
    return found
