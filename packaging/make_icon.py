"""Draw the program icon (resources/icons/): 童 in white on a blue rounded square.

Run once when the icon changes (the outputs are in the repository):
    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py
"""

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
OUT = ROOT / "resources" / "icons"


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f5fa8"))
    margin = size * 0.04
    rect = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    p.drawRoundedRect(rect, size * 0.18, size * 0.18)
    # a folder tab, so that it reads as an archive
    p.setBrush(QColor("#f2b705"))
    p.drawRect(QRectF(margin, size * 0.74, size - 2 * margin, size * 0.08))
    font = QFont(family)
    font.setPixelSize(int(size * 0.62))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(QRectF(0, -size * 0.06, size, size), Qt.AlignmentFlag.AlignCenter, "童")
    p.end()
    return image


def main() -> None:
    app = QGuiApplication([])  # noqa: F841 - fonts need an application
    family = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(FONT)))[0]
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (256, 48):
        draw(size, family).save(str(OUT / f"tongdang-{size}.png"))
    draw(256, family).save(str(OUT / "tongdang.ico"))


if __name__ == "__main__":
    main()
