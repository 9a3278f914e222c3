#!/usr/bin/env python3
"""Writes detectors/src/GenSafety.Detectors/Memorization/Data/nfkd.bin: the full compatibility decomposition
(NFKD) of every code point whose NFKD differs from itself, except Hangul syllables (decomposed arithmetically).
The .NET runtime runs with InvariantGlobalization, where string.Normalize does nothing, so the normaliser
carries this table. Data: Python's unicodedata (its Unicode version is written into the file).

Format, little-endian: "NFKD", uint8 major, uint8 minor, uint8 update (Unicode version), uint8 0, int32 count,
then per entry: uint32 code point, uint8 length n, n × uint16 UTF-16 code units.

Run: python3 detectors/tools/generate-nfkd-table.py
"""
import os
import struct
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "GenSafety.Detectors", "Memorization", "Data", "nfkd.bin")

entries = []
for cp in range(0x110000):
    if 0xD800 <= cp < 0xE000 or 0xAC00 <= cp <= 0xD7A3:
        continue
    c = chr(cp)
    d = unicodedata.normalize("NFKD", c)
    if d != c:
        units = d.encode("utf-16-le")
        entries.append((cp, units))

major, minor, update = (int(x) for x in unicodedata.unidata_version.split("."))
with open(OUT, "wb") as f:
    f.write(b"NFKD")
    f.write(struct.pack("<BBBBi", major, minor, update, 0, len(entries)))
    for cp, units in entries:
        f.write(struct.pack("<IB", cp, len(units) // 2))
        f.write(units)
print(f"{len(entries)} entries, Unicode {unicodedata.unidata_version} -> {os.path.normpath(OUT)}")
