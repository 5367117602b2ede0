using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Protocol.Tests.Heartbeat;

/// <summary>
/// The known-good vectors of docs/protocols/heartbeat.md, heartbeat-key.md and topics.md,
/// computed by make_vectors.py (a separate minimal CBOR encoder plus Python's hashlib/hmac)
/// and frozen here. The same key and bytes seed tests/IoTSec.Fuzz/corpus.
/// </summary>
internal static class HeartbeatVectors
{
    /// <summary>The test heartbeat key: bytes 0x00..0x1f. Also the fuzz harness's key.</summary>
    public static readonly byte[] Key = Hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    public const string DeviceId = "esp32-0a1b2c";

    /// <summary>2026-01-01T00:00:00Z in Unix milliseconds.</summary>
    public const ulong T0Milliseconds = 1767225600000;

    public const string HeartbeatBody =
        "ac0101026c65737033322d30613162326303182a040705190e100665312e342e320758201111111111111111111111111111"
        + "1111111111111111111111111111111111110801095820222222222222222222222222222222222222222222222222222222"
        + "22222222220a582033333333333333333333333333333333333333333333333333333333333333330b18180c190103";

    public const string HeartbeatMac = "5495d172109199a36d695d3ae26fbaaaae2ce83eee309cfa0f10cbc59435e8e5";

    public const string HeartbeatHex = "825893" + HeartbeatBody + "5820" + HeartbeatMac;

    public const string HeartbeatLinkHex = "dda84d1b480bcc20af8e23452a0cffbb43d6e9088ab65b3f07acd48825a3d77a";

    public const string GenesisHeartbeat =
        "82588dac0101026c65737033322d30613162326303000401050c0665312e342e320758201111111111111111111111111111"
        + "1111111111111111111111111111111111110800095820222222222222222222222222222222222222222222222222222222"
        + "22222222220a582000000000000000000000000000000000000000000000000000000000000000000b100c0058207d423d08"
        + "fc8536cdc3bb11b34142afcfe2280f05228e2e183c49f79266ee1f48";

    public const string GenesisLinkHex = "a2b84a254ff9fd48c690000ff8256c16cde55e44df923d8e66d548b5059cc466";

    public const string HeartbeatAckHex =
        "825833a401182a021b0000019b76daa8000300045820dda84d1b480bcc20af8e23452a0cffbb43d6e9088ab65b3f07acd488"
        + "25a3d77a58205c8b6b23cef2b8f47583312cce1830914369ec1c52ea51c9cd92f367bb840b15";

    public const string TrustAnchorCommand =
        "825818a401070204031b0000019b76daa8000447d28443a10126a0582080c29e800e79af256945cee313f25194328cae55c9"
        + "73b4f68e5b1050a4581080";

    public const string RebootCommand =
        "824fa301080201031b0000019b76daabe858200a83536e9c3b2a15b44f144ac9fb1bfa6a6d2ec8eb56377ec1fe960021b77c"
        + "de";

    public const string CommandAckHex = "a30107020003676170706c696564";

    public const string OtaOfferHex =
        "825859a3016c776176652d323032362d30310278242f6f74612f76312f72656c65617365732f312e352e302f6d616e696665"
        + "73742e636f736503582044444444444444444444444444444444444444444444444444444444444444445820ffa2cb9d0428"
        + "a25e093ac44a13770c61eddf153417b5073249f9e22295469567";

    public static readonly byte[] GatewaySecret = Hex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");

    public static readonly byte[] CertificateSerial = Hex("3a7f19c2d4e5f60718293a4b5c6d7e8f");

    public const string HkdfInfo = "496f5453656320686561727462656174206b65792076310065737033322d306131623263";

    public const string DerivedKey = "d21c3285a25bbc5c75121dc5b0ef96bbfa48e76ef1118e121d7fcc49bf638e75";

    public const string KeyId = "b80127d4c8b06373";

    /// <summary>2027-01-01T00:00:00Z in Unix seconds.</summary>
    public const ulong NotAfter = 1798761600;

    public const string KeyResponse =
        "a4015820d21c3285a25bbc5c75121dc5b0ef96bbfa48e76ef1118e121d7fcc49bf638e750248b80127d4c8b0637303503a7f"
        + "19c2d4e5f60718293a4b5c6d7e8f041a6b36ec80";

    public const string ChainState =
        "a501010210030704190e10058282182958203333333333333333333333333333333333333333333333333333333333333333"
        + "82182a5820dda84d1b480bcc20af8e23452a0cffbb43d6e9088ab65b3f07acd48825a3d77a";

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static byte[] Filled(byte value, int length)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }

    /// <summary>The fields of <see cref="Heartbeat"/>.</summary>
    public static HeartbeatFields SampleFields() => new()
    {
        DeviceId = DeviceId,
        Sequence = 42,
        BootCount = 7,
        UptimeSeconds = 3600,
        FirmwareVersion = "1.4.2",
        FirmwareDigest = Filled(0x11, 32),
        ActiveSlot = FirmwareSlot.B,
        ConfigurationDigest = Filled(0x22, 32),
        PreviousDigest = Filled(0x33, 32),
        PostureFlags = PostureFlags.TrialBootPending | PostureFlags.ClockUnsynchronised,
        LastRefusal = 0x0103,
    };

    /// <summary>The fields of <see cref="GenesisHeartbeat"/>.</summary>
    public static HeartbeatFields GenesisFields() => new()
    {
        DeviceId = DeviceId,
        Sequence = 0,
        BootCount = 1,
        UptimeSeconds = 12,
        FirmwareVersion = "1.4.2",
        FirmwareDigest = Filled(0x11, 32),
        ActiveSlot = FirmwareSlot.A,
        ConfigurationDigest = Filled(0x22, 32),
        PreviousDigest = new byte[32],
        PostureFlags = PostureFlags.ClockUnsynchronised,
        LastRefusal = 0,
    };

    /// <summary>Builds an envelope [body, HMAC(key, label 0x00 || body)] with .NET's HMAC, around any body bytes.</summary>
    public static byte[] Seal(string label, byte[] body, byte[] key)
    {
        var input = new byte[label.Length + 1 + body.Length];
        for (int i = 0; i < label.Length; i++)
        {
            input[i] = (byte)label[i];
        }

        body.CopyTo(input, label.Length + 1);
        var writer = new System.Formats.Cbor.CborWriter(System.Formats.Cbor.CborConformanceMode.Canonical);
        writer.WriteStartArray(2);
        writer.WriteByteString(body);
        writer.WriteByteString(HMACSHA256.HashData(key, input));
        writer.WriteEndArray();
        return writer.Encode();
    }
}
