#!/usr/bin/env python3
"""Fuzz seeds for the heartbeat, key and topic decoders (tests/IoTSec.Fuzz/corpus/<target>/).

File names are seed-<reason>-<what>.bin; <reason> is "valid" or the rejection reason the
decoder must give (CorpusTests replays them). MAC'd seeds use the test key 00..1f, which the
fuzz harness must use too so that mutations reach the body parser. Run: python3 make_corpus.py
"""
import hashlib
import hmac
import os
from make_vectors import enc, envelope, KEY, T0_MS, hkdf  # noqa: F401 (prints the vectors too)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "IoTSec.Fuzz", "corpus")


def write(target, name, data):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name + ".bin"), "wb") as f:
        f.write(data)


def flip(data, index, bit=0):
    b = bytearray(data)
    b[index] ^= 1 << bit
    return bytes(b)


def mac_family(target, label, good, body_map, bad_bodies):
    write(target, "valid-sample", good)
    write(target, "malformed-empty", b"")
    write(target, "malformed-truncated", good[:-1])
    write(target, "malformed-trailing-byte", good + b"\x00")
    write(target, "malformed-not-an-array", b"\xa0")
    write(target, "malformed-mac-31-bytes", enc([enc(body_map), b"\x00" * 31]))
    write(target, "badmac-flipped-body-bit", flip(good, 10))
    write(target, "badmac-flipped-mac-bit", flip(good, len(good) - 1, 7))
    write(target, "badmac-other-label", envelope("IoTSec other v1", body_map, KEY)[0])
    for reason, what, body in bad_bodies:
        # A dict is encoded deterministically; bytes are taken as the body as they are.
        raw = enc(body) if isinstance(body, dict) else body
        mac = hmac.new(KEY, label.encode("ascii") + b"\x00" + raw, hashlib.sha256).digest()
        write(target, reason + "-" + what, enc([raw, mac]))


hb = {1: 1, 2: "esp32-0a1b2c", 3: 42, 4: 7, 5: 3600, 6: "1.4.2", 7: b"\x11" * 32, 8: 1,
      9: b"\x22" * 32, 10: b"\x33" * 32, 11: 0x18, 12: 0x0103}
genesis = {**hb, 3: 0, 4: 1, 5: 12, 8: 0, 10: b"\x00" * 32, 11: 0x10, 12: 0}
hb_good = envelope("IoTSec heartbeat v1", hb, KEY)[0]


def edit(base, **changes):
    m = dict(base)
    for k, v in changes.items():
        key = int(k[1:])
        if v is None:
            m.pop(key)
        else:
            m[key] = v
    return m


mac_family("heartbeat", "IoTSec heartbeat v1", hb_good, hb, [
    ("unknownversion", "version-2", edit(hb, k1=2)),
    ("fieldmissing", "no-sequence", edit(hb, k3=None)),
    ("fieldinvalid", "digest-31-bytes", edit(hb, k7=b"\x11" * 31)),
    ("fieldinvalid", "slot-2", edit(hb, k8=2)),
    ("fieldinvalid", "device-id-wildcard", edit(hb, k2="esp32/+")),
    ("fieldinvalid", "genesis-with-previous", edit(hb, k3=0)),
    ("unknownfield", "key-13", edit(hb, k13=0)),
    ("malformed", "body-not-a-map", enc([1, 2])),
    ("malformed", "body-keys-out-of-order", bytes([0xa2, 0x02, 0x00, 0x01, 0x01])),
])
write("heartbeat", "valid-genesis", envelope("IoTSec heartbeat v1", genesis, KEY)[0])
write("heartbeat", "toolarge-513-bytes", b"\x82" + b"\x00" * 512)

link = hashlib.sha256(hb_good).digest()
ack = {1: 42, 2: T0_MS, 3: 0, 4: link}
ack_good = envelope("IoTSec hb-ack v1", ack, KEY)[0]
mac_family("hb-ack", "IoTSec hb-ack v1", ack_good, ack, [
    ("fieldmissing", "no-time", edit(ack, k2=None)),
    ("fieldinvalid", "link-31-bytes", edit(ack, k4=link[:31])),
    ("fieldinvalid", "verdict-2-pow-32", edit(ack, k3=1 << 32)),
    ("unknownfield", "key-5", edit(ack, k5=0)),
    ("malformed", "body-truncated", enc(ack)[:-1]),
])
write("hb-ack", "valid-unknown-verdict", envelope("IoTSec hb-ack v1", edit(ack, k3=0xFFFFFFFF), KEY)[0])
write("hb-ack", "toolarge-129-bytes", b"\x82" + b"\x00" * 128)

cmd = {1: 7, 2: 4, 3: T0_MS, 4: bytes.fromhex("d28443a10126a0")}
cmd_good = envelope("IoTSec command v1", cmd, KEY)[0]
mac_family("command", "IoTSec command v1", cmd_good, cmd, [
    ("fieldmissing", "trust-anchor-without-arguments", edit(cmd, k4=None)),
    ("fieldinvalid", "id-0", edit(cmd, k1=0)),
    ("fieldinvalid", "reboot-with-arguments", edit(cmd, k2=1)),
    ("fieldinvalid", "empty-arguments", edit(cmd, k4=b"")),
    ("unknownfield", "key-5", edit(cmd, k5=0)),
])
write("command", "valid-reboot", envelope("IoTSec command v1", {1: 8, 2: 1, 3: T0_MS + 1000}, KEY)[0])
write("command", "valid-unknown-code", envelope("IoTSec command v1", {1: 9, 2: 77, 3: T0_MS, 4: b"\x01"}, KEY)[0])
write("command", "toolarge-8193-bytes", b"\x82" + b"\x00" * 8192)

offer = {1: "wave-2026-01", 2: "/ota/v1/releases/1.5.0/manifest.cose", 3: b"\x44" * 32}
offer_good = envelope("IoTSec ota-offer v1", offer, KEY)[0]
mac_family("ota-offer", "IoTSec ota-offer v1", offer_good, offer, [
    ("fieldinvalid", "path-dot-dot", edit(offer, k2="/ota/../etc")),
    ("fieldinvalid", "path-network-reference", edit(offer, k2="//evil.example/m")),
    ("fieldmissing", "no-digest", edit(offer, k3=None)),
])

write("cmd-ack", "valid-sample", enc({1: 7, 2: 0, 3: "applied"}))
write("cmd-ack", "valid-no-detail", enc({1: 7, 2: 3}))
write("cmd-ack", "malformed-empty", b"")
write("cmd-ack", "malformed-detail-not-utf8", bytes.fromhex("a3010702000361ff"))
write("cmd-ack", "fieldinvalid-result-5", enc({1: 7, 2: 5}))
write("cmd-ack", "fieldmissing-no-result", enc({1: 7}))
write("cmd-ack", "unknownfield-key-4", enc({1: 7, 2: 0, 4: 0}))

SECRET = bytes(range(0x20, 0x40))
SERIAL = bytes.fromhex("3a7f19c2d4e5f60718293a4b5c6d7e8f")
key = hkdf(SECRET, SERIAL, b"IoTSec heartbeat key v1\x00esp32-0a1b2c", 32)
kid = hashlib.sha256(key).digest()[:8]
resp = {1: key, 2: kid, 3: SERIAL, 4: 1798761600}
write("heartbeat-key", "valid-sample", enc(resp))
write("heartbeat-key", "malformed-empty", b"")
write("heartbeat-key", "malformed-truncated", enc(resp)[:-1])
write("heartbeat-key", "keyidmismatch-flipped-key-bit", enc(edit(resp, k1=flip(key, 0))))
write("heartbeat-key", "fieldinvalid-negative-serial", enc(edit(resp, k3=b"\x80\x01")))
write("heartbeat-key", "fieldinvalid-zero-key", enc(edit(resp, k1=b"\x00" * 32, k2=hashlib.sha256(b"\x00" * 32).digest()[:8])))
write("heartbeat-key", "fieldmissing-no-not-after", enc(edit(resp, k4=None)))
write("heartbeat-key", "toolarge-129-bytes", b"\xa0" * 129)

write("chain-state", "valid-sample", enc({1: 1, 2: 16, 3: 7, 4: 3600, 5: [[41, b"\x33" * 32], [42, link]]}))
write("chain-state", "valid-empty", enc({1: 1, 2: 16, 3: 0, 4: 0, 5: []}))
write("chain-state", "malformed-empty", b"")
write("chain-state", "unknownversion-version-2", enc({1: 2, 2: 16, 3: 0, 4: 0, 5: []}))
write("chain-state", "fieldinvalid-capacity-0", enc({1: 1, 2: 0, 3: 0, 4: 0, 5: []}))
write("chain-state", "fieldinvalid-not-increasing", enc({1: 1, 2: 16, 3: 7, 4: 3600, 5: [[42, b"\x33" * 32], [42, link]]}))
write("chain-state", "fieldinvalid-over-capacity", enc({1: 1, 2: 1, 3: 7, 4: 3600, 5: [[41, b"\x33" * 32], [42, link]]}))
write("chain-state", "fieldmissing-no-window", enc({1: 1, 2: 16, 3: 0, 4: 0}))
write("chain-state", "toolarge-4097-bytes", b"\xa0" * 4097)
