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
    (Draft.insert(editor=editor, values=payload, saved_at=datetime.now())
     .on_conflict(conflict_target=[Draft.editor], update={Draft.values: payload,
                                                        Draft.saved_at: datetime.now()})
     .execute())


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
    """``archive.drafts``: unsaved edits of the editors, kept inside the archive."""

    def __init__(self, archive):
        self.archive = archive

    def keep(self, editor: str, values: dict) -> None:
        keep(editor, values)

    def load(self, editor: str) -> dict | None:
        return load(editor)

    def discard(self, editor: str) -> None:
        discard(editor)

    def pending(self) -> list[str]:
        return pending()
