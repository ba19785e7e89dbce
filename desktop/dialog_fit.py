"""Dialogs whose word-wrapped messages change after they are shown.

Qt does not grow a shown dialog when a wrapped label gains a line, so the layout squeezes the
other rows (a clipped subtitle, half a line of an error). ``grow_to_fit`` makes the dialog as
tall as its contents need at its current width; it never shrinks what the user resized.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def needed_height(widget: QWidget) -> int:
    layout = widget.layout()
    if layout is None:
        return widget.sizeHint().height()
    layout.invalidate()
    layout.activate()
    if layout.hasHeightForWidth():
        return max(layout.totalHeightForWidth(widget.width()), layout.totalMinimumSize().height())
    return layout.totalSizeHint().height()


def grow_to_fit(widget: QWidget) -> None:
    height = needed_height(widget)
    widget.setMinimumHeight(height)
    if widget.height() < height:
        widget.resize(widget.width(), height)
