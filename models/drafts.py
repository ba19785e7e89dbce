"""Drafts of unsaved edits (see ``models.schema.Draft``): keep, read back, discard."""

import json
from datetime import date, datetime

from models.schema import Draft


def _plain(value):
    if isinstance(value, (date, datetime)):
        return {"__date__": value.isoformat()}
    return value


def _revive(value):
    if isinstance(value, dict) and "__date__" in value:
        return date.fromisoformat(value["__date__"][:10])
    return value


def keep(editor: str, values: dict) -> None:
    payload = json.dumps({k: _plain(v) for k, v in values.items()}, ensure_ascii=False)
    # Replaced, else added: not an upsert naming the editor column as the unique key, since on
    # the server the key is the township and the editor (models/server/county.py).
    with Draft._meta.database.atomic():
        saved_at = datetime.now()
        if not Draft.update(values=payload, saved_at=saved_at).where(Draft.editor == editor).execute():
            Draft.insert(editor=editor, values=payload, saved_at=saved_at).execute()


def load(editor: str) -> dict | None:
    row = Draft.get_or_none(Draft.editor == editor)
    if row is None:
        return None
    return {k: _revive(v) for k, v in json.loads(row.values).items()}


def discard(editor: str) -> None:
    Draft.delete().where(Draft.editor == editor).execute()


def pending() -> list[str]:
    return [d.editor for d in Draft.select(Draft.editor).order_by(Draft.saved_at)]


class Drafts:
    """``archive.drafts``: unsaved edits of the editors, kept inside the archive.

    On the server the clerks of a township share its tables: each login keeps its own drafts
    (its name before the editor's), so that one clerk's draft never turns up in, or is
    overwritten by, another clerk's editor."""

    def __init__(self, archive):
        from models.server import is_server

        self.archive = archive
        self.owner = f"{archive.setting.user}|" if is_server(archive.db) else ""

    def keep(self, editor: str, values: dict) -> None:
        keep(self.owner + editor, values)

    def load(self, editor: str) -> dict | None:
        return load(self.owner + editor)

    def discard(self, editor: str) -> None:
        discard(self.owner + editor)

    def pending(self) -> list[str]:
        return [key[len(self.owner):] for key in pending() if key.startswith(self.owner)]
