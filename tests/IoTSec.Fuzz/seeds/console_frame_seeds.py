#!/usr/bin/env python3
"""Writes the seed corpus of the console-frame fuzz target (tests/IoTSec.Fuzz/corpus/console-frame).

Each seed is a byte stream as it appears on the serial line: 0x00 | COBS(frame) | 0x00 ...,
where frame = version | kind | sequence (BE) | code | length (BE) | payload | CRC-32 (BE),
see docs/protocols/console.md. Built here with Python's zlib and an independent COBS encoder,
so the seeds also cross-check the C# codec. Names say what a reader must make of them:
seed-valid-* holds only valid frames, seed-malformed-* only rejected ones, seed-mixed-* both.
Deterministic: re-running rewrites identical files.
"""
import os
import random
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus", "console-frame")


def cobs(data: bytes) -> bytes:
    out, block = bytearray(), bytearray()
    for i, b in enumerate(data):
        if b == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
            continue
        block.append(b)
        if len(block) == 254 and i + 1 < len(data):
            out += b"\xff" + block
            block = bytearray()
    out += bytes([len(block) + 1]) + block
    return bytes(out)


def frame(kind, seq, code, payload=b"", version=1, declared=None):
    length = len(payload) if declared is None else declared
    body = bytes([version, kind]) + struct.pack(">H", seq) + bytes([code]) + struct.pack(">H", length) + payload
    return body + struct.pack(">I", zlib.crc32(body))


def wire(raw: bytes) -> bytes:
    return b"\x00" + cobs(raw) + b"\x00"


def main():
    rnd = random.Random(1999)
    hello = frame(1, 0x1234, 0x01)
    seeds = {
        "valid-hello-request": wire(hello),
        "valid-ok-response": wire(frame(2, 0x1234, 0x00, b"OK")),
        "valid-locked-error": wire(frame(3, 0x0001, 0x03, b"provisioning locked")),
        "valid-stale-sequence-error": wire(frame(3, 0x0005, 0x10, b"\x00\x06")),
        "valid-commit-with-zeros": wire(frame(1, 0x0100, 0x30, b"\x00\x01\x02\x00")),
        "valid-max-payload": wire(frame(1, 0xFFFF, 0x11, bytes(rnd.randrange(256) for _ in range(2048)))),
        "valid-back-to-back": wire(frame(1, 1, 0x02)) + wire(frame(2, 1, 0x00, b"\x01\x02")) + wire(frame(1, 2, 0x20)),
        "malformed-bad-crc": wire(hello[:-1] + bytes([hello[-1] ^ 0x01])),
        "malformed-truncated": b"\x00" + cobs(frame(1, 7, 0x13, b"config" * 10))[:30] + b"\x00",
        "malformed-cobs-overrun": b"\x00\x05\x11\x22\x00",
        "malformed-too-short": b"\x00\x03\x01\x02\x00",
        "malformed-length-mismatch": wire(frame(2, 9, 0x00, b"abc", declared=4)),
        "malformed-declared-too-large": wire(frame(2, 9, 0x00, b"abc", declared=0xFFFF)),
        "malformed-version-2": wire(frame(1, 9, 0x01, version=2)),
        "malformed-unknown-kind": wire(frame(9, 9, 0x01)),
        "malformed-inconsistent-status": wire(frame(2, 9, 0x03)),
        "malformed-oversize-run": b"\x00" + b"\xaa" * 3000 + b"\x00",
        "mixed-noise-then-frame": b"\x55\x13\xf0\x77" + wire(hello),
        "mixed-truncated-then-frame": cobs(frame(1, 3, 0x12, b"anchor" * 5))[:20] + wire(frame(1, 4, 0x12, b"anchor")),
    }
    os.makedirs(OUT, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(OUT, "seed-" + name + ".bin"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
