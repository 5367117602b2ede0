using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>
/// One complete provisioning set made with System.Security.Cryptography: a birth certificate
/// (P-256, CN = device id) issued by a manufacturer CA, its PKCS#8 key, a gateway root and an
/// OTA signing key (COSE_Key), and a configuration.
/// </summary>
internal sealed class ProvisioningSet
{
    private ProvisioningSet(string deviceId, byte[] certificate, byte[] key, TrustAnchorList anchors, ProvisioningConfiguration configuration)
    {
        DeviceId = deviceId;
        Certificate = certificate;
        Key = key;
        Anchors = anchors;
        Configuration = configuration;
    }

    public string DeviceId { get; }

    public byte[] Certificate { get; }

    public byte[] Key { get; }

    public TrustAnchorList Anchors { get; }

    public ProvisioningConfiguration Configuration { get; }

    public static ProvisioningSet Create(string deviceId, string gatewayHost)
    {
        // One instant for every validity period: the device certificate must not outlive its issuer.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using var manufacturerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var manufacturerRequest = new CertificateRequest("CN=IoTSec test manufacturer CA", manufacturerKey, HashAlgorithmName.SHA256);
        manufacturerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var manufacturer = manufacturerRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var deviceRequest = new CertificateRequest("CN=" + deviceId + ", O=IoTSec test", deviceKey, HashAlgorithmName.SHA256);
        using var birth = deviceRequest.Create(manufacturer, now.AddDays(-1), now.AddYears(5), [1, 2, 3, 4]);

        using var gatewayRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=IoTSec test gateway root " + gatewayHost, gatewayRootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var gatewayRoot = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        using var otaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var anchors = new TrustAnchorList(
        [
            new TrustAnchor(TrustAnchorKind.GatewayRoot, gatewayRoot.RawData, Encoding.ASCII.GetBytes("gw-root-" + gatewayHost)),
            new TrustAnchor(TrustAnchorKind.OtaSigningKey, CoseEc2PublicKey(otaKey.ExportParameters(false)), Encoding.ASCII.GetBytes("ota-1")),
        ]);

        return new ProvisioningSet(
            deviceId,
            birth.RawData,
            deviceKey.ExportPkcs8PrivateKey(),
            anchors,
            new ProvisioningConfiguration("env-sensor", gatewayHost, 8443, 8883, 300));
    }

    /// <summary>COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1) of a P-256 public key: {1: 2, -1: 1, -2: x, -3: y}, deterministic order.</summary>
    private static byte[] CoseEc2PublicKey(ECParameters parameters)
    {
        byte[] key = new byte[8 + 32 + 3 + 32];
        byte[] head = [0xA4, 0x01, 0x02, 0x20, 0x01, 0x21, 0x58, 0x20];
        head.CopyTo(key, 0);
        parameters.Q.X!.CopyTo(key, 8);
        key[40] = 0x22;
        key[41] = 0x58;
        key[42] = 0x20;
        parameters.Q.Y!.CopyTo(key, 43);
        return key;
    }
}
