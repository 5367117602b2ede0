# Writes tests/IoTSec.Fuzz/corpus/console-payload/seed-*.bin: each file is one console request
# as a fuzz input: byte 0 = command code, the rest = the request payload (CBOR), encoded here by
# a minimal independent CBOR encoder (RFC 8949), not by the code under test.
import os, struct, sys
out = sys.argv[1]

def head(major, n):
    if n < 24: return bytes([major << 5 | n])
    if n < 0x100: return bytes([major << 5 | 24, n])
    if n < 0x10000: return bytes([major << 5 | 25]) + struct.pack('>H', n)
    if n < 0x100000000: return bytes([major << 5 | 26]) + struct.pack('>I', n)
    return bytes([major << 5 | 27]) + struct.pack('>Q', n)

def enc(v):
    if isinstance(v, bool): return b'\xf5' if v else b'\xf4'
    if isinstance(v, int): return head(0, v) if v >= 0 else head(1, -1 - v)
    if isinstance(v, bytes): return head(2, len(v)) + v
    if isinstance(v, str): b = v.encode(); return head(3, len(b)) + b
    if isinstance(v, list): return head(4, len(v)) + b''.join(enc(x) for x in v)
    if isinstance(v, tuple):  # map as ordered pairs: ((k, v), ...)
        return head(5, len(v)) + b''.join(enc(k) + enc(x) for k, x in v)
    raise TypeError(v)

def chunk(item, total=None, offset=0): return enc(((1, len(item) if total is None else total), (2, offset), (3, item)))

HW = "ESP32-246F28A1B2C4"
CERT = bytes.fromhex("300A3008A003020102020101")
KEY = bytes.fromhex("302E020100300506032B657004220420D4EE72DBF913584AD5B6D8F1F769F8AD3AFE7C28CBF1D4FBE097A88F44755842")
COSE = enc(((1, 1), (-1, 6), (-2, bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))))
def anchor(kind, value, kid): return ((1, kind), (2, value), (3, kid))
ANCHORS = [anchor(1, CERT, b"gw-root-1"), anchor(2, COSE, b"ota-1")]
def config(cls="env-sensor", host="gw01.plant.example", gw=8443, mqtt=8883, hb=300, extra=()):
    return ((1, cls), (2, host), (3, gw), (4, mqtt), (5, hb)) + tuple(extra)

seeds = {
  "valid-hello": (0x01, enc(((1, 1),))),
  "valid-info": (0x02, b""),
  "valid-write-certificate": (0x10, chunk(CERT)),
  "valid-write-key": (0x11, chunk(KEY)),
  "valid-write-trust-anchors": (0x12, chunk(enc(ANCHORS))),
  "valid-write-configuration": (0x13, chunk(enc(config()))),
  "valid-write-second-chunk": (0x10, chunk(bytes([1, 2, 3]), total=3000, offset=2000)),
  "valid-readback": (0x20, b""),
  "valid-commit": (0x30, b""),
  "valid-lock": (0x31, enc(((1, HW),))),
  "valid-factory-reset": (0x3F, enc(((1, HW),))),

  "malformed-hello-empty": (0x01, b""),
  "malformed-hello-version-zero": (0x01, enc(((1, 0),))),
  "malformed-hello-unknown-key": (0x01, enc(((1, 1), (2, 1)))),
  "malformed-hello-text-version": (0x01, enc(((1, "1"),))),
  "malformed-hello-trailing": (0x01, enc(((1, 1),)) + b"\x00"),
  "malformed-hello-nonshortest": (0x01, bytes.fromhex("A1011801")),
  "malformed-info-payload": (0x02, enc(())),
  "malformed-unknown-command": (0x7E, enc(())),
  "malformed-write-total-zero": (0x10, chunk(b"\x30", total=0)),
  "malformed-write-empty-chunk": (0x10, chunk(b"", total=1)),
  "malformed-write-beyond-total": (0x10, chunk(b"\x30\x00", total=1)),
  "malformed-write-item-too-large": (0x10, chunk(b"\x30", total=4097)),
  "malformed-write-huge-total": (0x10, chunk(b"\x30", total=2**64 - 1)),
  "malformed-write-huge-offset": (0x10, chunk(b"\x30", total=8192, offset=2**32)),
  "malformed-write-unsorted-keys": (0x10, enc(((2, 0), (1, 1), (3, b"\x30")))),
  "malformed-write-duplicate-key": (0x10, enc(((1, 1), (1, 1), (3, b"\x30")))),
  "malformed-write-indefinite-map": (0x10, bytes.fromhex("BF0101020003413 0FF".replace(" ", ""))),
  "malformed-write-float-offset": (0x10, bytes.fromhex("A301010 2F90000034130".replace(" ", ""))),
  "malformed-write-negative-key": (0x10, enc(((-1, 1), (2, 0), (3, b"\x30")))),
  "malformed-write-missing-chunk": (0x10, enc(((1, 1), (2, 0)))),
  "malformed-write-unknown-key": (0x10, enc(((1, 1), (2, 0), (3, b"\x30"), (4, 0)))),
  "malformed-write-truncated": (0x10, chunk(CERT)[:10]),
  "malformed-write-deep-nesting": (0x10, b"\x81" * 17 + b"\x00"),
  "malformed-write-array": (0x10, enc([1, 0, b"\x30"])),
  "malformed-certificate-pem": (0x10, chunk(b"-----BEGIN CERTIFICATE-----\n")),
  "malformed-certificate-nonminimal-length": (0x10, chunk(bytes.fromhex("3081053003020101"))),
  "malformed-certificate-trailing-byte": (0x10, chunk(CERT + b"\x00")),
  "malformed-key-pkcs1": (0x11, chunk(bytes.fromhex("3006020100020105"))),
  "malformed-key-sec1": (0x11, chunk(bytes.fromhex("30070201010402AABB"))),
  "malformed-anchors-empty": (0x12, chunk(enc([]))),
  "malformed-anchors-missing-ota-key": (0x12, chunk(enc([anchor(1, CERT, b"a")]))),
  "malformed-anchors-duplicate-kid": (0x12, chunk(enc([anchor(1, CERT, b"k"), anchor(2, COSE, b"k")]))),
  "malformed-anchors-unknown-kind": (0x12, chunk(enc([anchor(3, CERT, b"a"), anchor(2, COSE, b"b")]))),
  "malformed-anchors-ota-key-not-a-map": (0x12, chunk(enc([anchor(1, CERT, b"a"), anchor(2, b"\x01", b"b")]))),
  "malformed-anchors-kid-too-long": (0x12, chunk(enc([anchor(1, CERT, b"a" * 33), anchor(2, COSE, b"b")]))),
  "malformed-anchors-nine": (0x12, chunk(enc([anchor(1, CERT, bytes([i])) for i in range(9)]))),
  "malformed-config-bad-host": (0x13, chunk(enc(config(host="gw_01.example")))),
  "malformed-config-trailing-dot-host": (0x13, chunk(enc(config(host="gw01.example.")))),
  "malformed-config-port-zero": (0x13, chunk(enc(config(gw=0)))),
  "malformed-config-port-too-large": (0x13, chunk(enc(config(mqtt=65536)))),
  "malformed-config-heartbeat-too-short": (0x13, chunk(enc(config(hb=5)))),
  "malformed-config-uppercase-class": (0x13, chunk(enc(config(cls="Env")))),
  "malformed-config-unknown-key": (0x13, chunk(enc(config(extra=((6, 1),))))),
  "malformed-config-missing-heartbeat": (0x13, chunk(enc(config()[:4]))),
  "malformed-lock-empty-id": (0x31, enc(((1, ""),))),
  "malformed-lock-space-in-id": (0x31, enc(((1, "a b"),))),
  "malformed-lock-invalid-utf8": (0x31, bytes.fromhex("A10162C328")),
  "malformed-reset-wrong-type": (0x3F, enc(((1, 1),))),
}
for name, (command, payload) in seeds.items():
    with open(os.path.join(out, "seed-" + name + ".bin"), "wb") as f:
        f.write(bytes([command]) + payload)
print(len(seeds), "seeds")
