#!/usr/bin/env python3
"""Known-good vectors for docs/protocols/heartbeat.md, heartbeat-key.md and topics.md.

Written apart from the C# code on purpose: a minimal deterministic CBOR encoder (RFC 8949
section 4.2.1: shortest heads, definite lengths, keys written in ascending order) plus
Python's hashlib/hmac. The tests freeze this script's output as literals and check the C#
encoders produce the same bytes. Run: python3 make_vectors.py
"""
import hashlib
import hmac


def head(major, n):
    if n < 24:
        return bytes([(major << 5) | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < (1 << (8 * size)):
            return bytes([(major << 5) | ai]) + n.to_bytes(size, "big")
    raise ValueError(n)


def enc(v):
    if isinstance(v, bool):
        raise TypeError
    if isinstance(v, int):
        return head(0, v)
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode("utf-8")
        return head(3, len(b)) + b
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(enc(x) for x in v)
    if isinstance(v, dict):
        items = sorted(((enc(k), enc(x)) for k, x in v.items()), key=lambda kv: kv[0])
        return head(5, len(items)) + b"".join(k + x for k, x in items)
    raise TypeError(type(v))


def envelope(label, body_map, key):
    body = enc(body_map)
    mac = hmac.new(key, label.encode("ascii") + b"\x00" + body, hashlib.sha256).digest()
    return enc([body, mac]), body, mac


def hkdf(ikm, salt, info, length):
    prk = hmac.new(salt if salt else b"\x00" * 32, ikm, hashlib.sha256).digest()
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def show(name, data):
    print(name + " (" + str(len(data)) + " bytes):")
    print("  " + data.hex())


KEY = bytes(range(0x00, 0x20))
T0_MS = 1767225600000  # 2026-01-01T00:00:00Z

heartbeat, hb_body, hb_mac = envelope("IoTSec heartbeat v1", {
    1: 1,
    2: "esp32-0a1b2c",
    3: 42,
    4: 7,
    5: 3600,
    6: "1.4.2",
    7: b"\x11" * 32,
    8: 1,
    9: b"\x22" * 32,
    10: b"\x33" * 32,
    11: 0x18,
    12: 0x0103,
}, KEY)
link = hashlib.sha256(heartbeat).digest()
show("heartbeat body", hb_body)
show("heartbeat mac", hb_mac)
show("heartbeat", heartbeat)
show("heartbeat link", link)

genesis, _, _ = envelope("IoTSec heartbeat v1", {
    1: 1, 2: "esp32-0a1b2c", 3: 0, 4: 1, 5: 12, 6: "1.4.2", 7: b"\x11" * 32, 8: 0,
    9: b"\x22" * 32, 10: b"\x00" * 32, 11: 0x10, 12: 0,
}, KEY)
show("genesis heartbeat", genesis)
show("genesis link", hashlib.sha256(genesis).digest())

ack, ack_body, _ = envelope("IoTSec hb-ack v1", {1: 42, 2: T0_MS, 3: 0, 4: link}, KEY)
show("hb-ack body", ack_body)
show("hb-ack", ack)

cmd, cmd_body, _ = envelope("IoTSec command v1", {1: 7, 2: 4, 3: T0_MS, 4: bytes.fromhex("d28443a10126a0")}, KEY)
show("command body", cmd_body)
show("command", cmd)

reboot, _, _ = envelope("IoTSec command v1", {1: 8, 2: 1, 3: T0_MS + 1000}, KEY)
show("reboot command", reboot)

show("cmd-ack", enc({1: 7, 2: 0, 3: "applied"}))

offer, offer_body, _ = envelope("IoTSec ota-offer v1", {
    1: "wave-2026-01", 2: "/ota/v1/releases/1.5.0/manifest.cose", 3: b"\x44" * 32}, KEY)
show("ota offer body", offer_body)
show("ota offer", offer)

SECRET = bytes(range(0x20, 0x40))
SERIAL = bytes.fromhex("3a7f19c2d4e5f60718293a4b5c6d7e8f")
info = b"IoTSec heartbeat key v1\x00" + b"esp32-0a1b2c"
hb_key = hkdf(SECRET, SERIAL, info, 32)
show("hkdf info", info)
show("heartbeat key", hb_key)
key_id = hashlib.sha256(hb_key).digest()[:8]
show("key id", key_id)
show("key response", enc({1: hb_key, 2: key_id, 3: SERIAL, 4: 1798761600}))

show("chain state", enc({1: 1, 2: 16, 3: 7, 4: 3600, 5: [[41, b"\x33" * 32], [42, link]]}))
