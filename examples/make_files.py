"""Write the supplementary files that the example models point to.

The File elements and the thumbnail of the examples name PDFs and a PNG; this script makes
small but valid ones with the standard library only (a one-page PDF with a correct
cross-reference table, a 16x16 RGB PNG), byte for byte the same on every run:

    python examples/make_files.py
"""

from __future__ import annotations

import struct
import zlib
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


def png(width: int = 16, height: int = 16) -> bytes:
    """A small RGB PNG: a red thermometer bar on a light blue background."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type None for this scanline
        for x in range(width):
            in_bar = 6 <= x <= 9 and 2 <= y <= 13
            in_bulb = (x - 7.5) ** 2 + (y - 12.5) ** 2 <= 6.5
            rows += bytes((220, 30, 40)) if in_bar or in_bulb else bytes((225, 238, 250))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


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
    "sensor/files/sensor-thumbnail.png": png,
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
