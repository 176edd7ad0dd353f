"""What Nashir keeps about one reader, found by email: how long, and how it is handed over or erased.

The apps that store what readers send (comments, corrections) sit above this
one, so they are never imported here. Each registers a source with the
`register_reader_data` hook: a function returning an object with

- `name`: the key of its records in an export ("comments");
- `label`: what the admin calls them («التعليقات»);
- `permission`: the permission needed to see its readers' contact details;
- `erasure_rule`: what erasing does to its records, shown before an erasure;
- `export(email) -> list[dict]`: every record of that email, JSON-ready;
- `erase(email) -> ErasureCount`: the email's contact details removed;
- `expire(before, dry_run=False) -> int`: IP addresses and browsers of
  records older than `before` removed; how many records had any.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail import hooks
from wagtail.log_actions import log

READER_DATA_HOOK = "register_reader_data"
# What a published comment or reply says its author is once the author's name is erased.
ANONYMOUS_NAME = "قارئ"


@dataclass(frozen=True)
class ErasureCount:
    anonymised: int = 0
    deleted: int = 0


class ReaderDataSource(Protocol):
    name: str
    label: str
    permission: str
    erasure_rule: str

    def export(self, email: str) -> list[dict]: ...

    def erase(self, email: str) -> ErasureCount: ...

    def expire(self, before: datetime, dry_run: bool = False) -> int: ...


def reader_data_sources() -> list[ReaderDataSource]:
    return [register() for register in hooks.get_hooks(READER_DATA_HOOK)]


def reader_data_manageable_by(user) -> bool:
    """Whether `user` may export or erase a reader's data: only who may see every source's contact details."""
    sources = reader_data_sources()
    return bool(sources) and all(user.has_perm(source.permission) for source in sources)


def email_digest(email: str) -> str:
    """A keyed digest of an address for the audit log: the same address gives the same digest; it gives no address."""
    return salted_hmac("nashir.readers.email", email.strip().lower(), algorithm="sha256").hexdigest()[:32]


def reader_data_counts(*, email: str) -> list[tuple[ReaderDataSource, int]]:
    """Each source with how many records it keeps for `email`: the admin's summary before an export or erasure."""
    return [(source, len(source.export(email))) for source in reader_data_sources()]


def reader_data_export(*, email: str, user) -> dict:
    """Everything stored about `email`, by source, ready for json.dumps; the export is recorded in the audit log."""
    records = {source.name: source.export(email) for source in reader_data_sources()}
    _audit(
        "nashir.reader_data.exported",
        user=user,
        data={"email_digest": email_digest(email), "records": {name: len(items) for name, items in records.items()}},
    )
    return {"email": email, "exported_at": timezone.now().isoformat(), "records": records}


def reader_data_erase(*, email: str, user) -> dict[str, ErasureCount]:
    """Remove `email`'s contact details from every source; recorded in the audit log by digest, not by address."""
    counts = {source.name: source.erase(email) for source in reader_data_sources()}
    _audit(
        "nashir.reader_data.erased",
        user=user,
        data={
            "email_digest": email_digest(email),
            "anonymised": sum(count.anonymised for count in counts.values()),
            "deleted": sum(count.deleted for count in counts.values()),
        },
    )
    return counts


def reader_data_expire(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Erase the IP addresses and browsers older than NASHIR_READER_DATA_DAYS; by source, how many records had any."""
    before = (now or timezone.now()) - timedelta(days=settings.NASHIR_READER_DATA_DAYS)
    return {source.name: source.expire(before, dry_run=dry_run) for source in reader_data_sources()}


def _audit(action: str, *, user, data: dict) -> None:
    """An audit entry on the editor's account: the records it is about may be gone, and name the reader."""
    # The user as loaded: Wagtail's log finds no log model for request.user's lazy wrapper.
    editor = get_user_model()._default_manager.get(pk=user.pk)
    log(instance=editor, action=action, user=editor, data=data)
