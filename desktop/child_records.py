"""Reading and saving a child and the records of the child's file: ``models.records``
(``archive.records``); the names the editors import from here."""

from models.records import (  # noqa: F401
    child_values,
    derived_from_id,
    duplicate_message,
    editor_values as record_values,
    label_of,
    records_of,
    save_child,
    save_record,
)
