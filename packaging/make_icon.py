"""Draws the app's icon (a yellow star on the Party's red, over an open book) as resources/icons/sotuyengiao.png
and a Windows .ico holding it at seven sizes (PNG entries, as Windows Vista and later read them).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py resources/icons
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPolygonF

SIZES = [16, 24, 32, 48, 64, 128, 256]


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scale = size / 256
    tile = QPainterPath()
    tile.addRoundedRect(QRectF(8 * scale, 8 * scale, 240 * scale, 240 * scale), 44 * scale, 44 * scale)
    painter.fillPath(tile, QColor("#C8102E"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#FFFFFF"))   # an open book along the bottom
    for page in ([(40, 176), (126, 190), (126, 222), (40, 208)], [(130, 190), (216, 176), (216, 208), (130, 222)]):
        painter.drawPolygon(QPolygonF([QPointF(x * scale, y * scale) for x, y in page]))
    points = []
    for corner in range(10):   # the star: outer and inner corners in turn
        radius = (74 if corner % 2 == 0 else 29) * scale
        angle = -math.pi / 2 + corner * math.pi / 5
        points.append(QPointF(128 * scale + radius * math.cos(angle), 100 * scale + radius * math.sin(angle)))
    painter.setBrush(QColor("#FFD700"))
    painter.drawPolygon(QPolygonF(points))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def main(folder: Path) -> None:
    QGuiApplication([])
    draw(256).save(str(folder / "sotuyengiao.png"))
    blobs = [png_bytes(draw(size)) for size in SIZES]
    offset = 6 + 16 * len(SIZES)
    directory = b""
    for size, blob in zip(SIZES, blobs, strict=True):   # width and height 0 mean 256
        directory += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    (folder / "sotuyengiao.ico").write_bytes(struct.pack("<HHH", 0, 1, len(SIZES)) + directory + b"".join(blobs))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
