using System;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// Items for the provisioning tests: the small fixed ones of the worked example in
/// docs/protocols/console.md, and real ones made by .NET (certificates, PKCS#8 keys).
/// </summary>
internal static class ProvisioningSamples
{
    public const string HardwareId = InMemoryProvisioningTarget.DefaultHardwareId;

    /// <summary>A 12-byte stand-in with a certificate's outer shape: SEQUENCE { SEQUENCE { [0] { INTEGER 2 }, INTEGER 1 } }.</summary>
    public static byte[] ExampleCertificate => Convert.FromHexString("300A3008A003020102020101");

    /// <summary>The Ed25519 private key of RFC 8410 §10.3, PKCS#8 (48 bytes).</summary>
    public static byte[] ExampleKey => Convert.FromBase64String("MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC");

    /// <summary>A COSE_Key (RFC 9052 §7) for the public key of RFC 8032 §7.1 test 1: { 1: 1 (OKP), -1: 6 (Ed25519), -2: x }, encoded by System.Formats.Cbor.</summary>
    public static byte[] ExampleCoseKey
    {
        get
        {
            var writer = new CborWriter(CborConformanceMode.Canonical);
            writer.WriteStartMap(3);
            writer.WriteInt32(1);
            writer.WriteInt32(1);
            writer.WriteInt32(-1);
            writer.WriteInt32(6);
            writer.WriteInt32(-2);
            writer.WriteByteString(Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
            writer.WriteEndMap();
            return writer.Encode();
        }
    }

    public static TrustAnchorList ExampleAnchors => new(
    [
        new TrustAnchor(TrustAnchorKind.GatewayRoot, ExampleCertificate, "gw-root-1"u8.ToArray()),
        new TrustAnchor(TrustAnchorKind.OtaSigningKey, ExampleCoseKey, "ota-1"u8.ToArray()),
    ]);

    public static ProvisioningConfiguration ExampleConfiguration => new("env-sensor", "gw01.plant.example", 8443, 8883, 300);

    public static byte[] ExampleFirmwareDigest
    {
        get
        {
            var digest = new byte[32];
            for (int i = 0; i < digest.Length; i++)
            {
                digest[i] = (byte)i;
            }

            return digest;
        }
    }

    /// <summary>A real P-256 device certificate and its PKCS#8 key, made by .NET.</summary>
    public static (byte[] Certificate, byte[] Key) P256Identity(string subject = "CN=ESP32-246F28A1B2C4")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        return (certificate.RawData, key.ExportPkcs8PrivateKey());
    }

    /// <summary>A real certificate of about <paramref name="approximateLength"/> bytes (padded with subject alternative names), larger than one frame.</summary>
    public static byte[] LargeCertificate(int approximateLength)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=large-device", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        for (int i = 0; i * 27 < approximateLength - 320; i++)
        {
            names.AddDnsName("device-" + i.ToString("D4") + ".plant.example");
        }

        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.RawData;
    }

    public static DeviceInfo ExampleInfo => new(
        HardwareId,
        "esp32-devkitc",
        "1.4.2",
        ExampleFirmwareDigest,
        LifecycleState.Unprovisioned,
        ProvisioningLock.Unlocked,
        HardeningState.Yes,
        HardeningState.No,
        HardeningState.Unknown,
        StagedItems.BirthCertificate | StagedItems.TrustAnchors,
        reworkMode: false);
}
