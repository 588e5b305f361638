"""Write the supplementary files that the example models point to.

The File elements and the thumbnail of the examples name PDFs and PNGs; this script makes
small but valid ones with the standard library only (a one-page PDF with a correct
cross-reference table, small RGB PNGs: the sensor's thumbnail and the CE marking of the
nameplates), byte for byte the same on every run:

    python examples/make_files.py
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF showing ``lines`` in Helvetica (ASCII text only)."""
    text = ["BT", "/F1 18 Tf", "72 770 Td", "22 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """A small RGB PNG whose pixel at column ``x``, row ``y`` is ``pixel(x, y)``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type None for this scanline
        for x in range(width):
            rows += bytes(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def thermometer(x: int, y: int) -> tuple[int, int, int]:
    """The sensor's thumbnail, 16x16: a red thermometer bar on a light blue background."""
    in_bar = 6 <= x <= 9 and 2 <= y <= 13
    in_bulb = (x - 7.5) ** 2 + (y - 12.5) ** 2 <= 6.5
    return (220, 30, 40) if in_bar or in_bulb else (225, 238, 250)


def ce_mark(x: int, y: int) -> tuple[int, int, int]:
    """The CE marking, 32x16: each letter is an open ring, as the marking is drawn, and the E
    has its middle bar; black on white (the image a nameplate's MarkingFile points to)."""
    black, white = (0, 0, 0), (255, 255, 255)
    for centre in (8.0, 23.0):
        dx, dy = x + 0.5 - centre, y + 0.5 - 8.0
        if 4.5 <= (dx * dx + dy * dy) ** 0.5 <= 7.0 and dx <= 1.5:
            return black
    in_middle_bar = 18 <= x <= 27 and 7 <= y <= 8
    return black if in_middle_bar else white


FILES = {
    "motor/files/motor-datasheet.pdf": lambda: pdf(
        [
            "Motor M1000 data sheet",
            "Three-phase induction motor, 4 poles, IE3",
            "Rated power 7.5 kW at 400 V, 50 Hz; rated current 14.9 A",
            "Ambient temperature -20 to 40 C, altitude up to 1000 m",
        ]
    ),
    "sensor/files/sensor-manual.pdf": lambda: pdf(
        [
            "Sensor TS-200 manual",
            "Pt100 resistance thermometer, IEC 60751 class A",
            "Measuring range -50 to 250 C, output 4-20 mA two-wire",
        ]
    ),
    "sensor/files/sensor-thumbnail.png": lambda: png(16, 16, thermometer),
    # The CE marking of the motor's and the pump's nameplates (Markings / MarkingFile); the
    # sensor's nameplate names its marking image by URL, so its package stays as it was.
    "motor/files/ce-marking.png": lambda: png(32, 16, ce_mark),
    "pump/files/ce-marking.png": lambda: png(32, 16, ce_mark),
}


def main() -> None:
    for name, make in FILES.items():
        target = HERE / name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = make()
        target.write_bytes(data)
        print(f"{target.relative_to(HERE)}: {len(data)} bytes")


if __name__ == "__main__":
    main()
