using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IoTSec.Protocol.Provisioning;
using IoTSec.Provision.Ledger;
using IoTSec.Provision.Profiles;

namespace IoTSec.Fuzz.Targets;

/// <summary>The provisioning tool's parsers of outside input: the profile YAML and the birth ledger.</summary>
public static class ProvisionFuzzTargets
{
    /// <summary>Both targets.</summary>
    public static FuzzTarget[] All { get; } = [new ProvisionProfileFuzzTarget(), new BirthLedgerFuzzTarget()];
}

/// <summary>
/// <c>iotsec-provision</c>'s profile reader (a YAML file a technician edits). Referenced files
/// resolve to a fixed gateway root ("root.pem") and OTA key ("ota.pem"); any other name is
/// refused. Oracle: an accepted profile carries both anchors and a configuration that survives
/// the protocol's own decoder.
/// </summary>
public sealed class ProvisionProfileFuzzTarget : FuzzTarget
{
    private static readonly Lazy<(string Root, string Ota)> Files = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fuzz gateway root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        using var ota = RSA.Create(2048);
        return (root.ExportCertificatePem(), ota.ExportSubjectPublicKeyInfoPem());
    });

    public override string Name => "provision-profile";

    protected override void Decode(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        ProvisioningProfile profile = ProfileReader.Parse(text, "fuzz.yaml", file => file switch
        {
            "root.pem" => Files.Value.Root,
            "ota.pem" => Files.Value.Ota,
            _ => throw new ProfileException("no such file: " + file),
        });
        if (profile.Anchors.Count != 2)
        {
            throw new InvalidOperationException("an accepted profile without exactly two anchors");
        }

        byte[] encoded = profile.Configuration.Encode();
        ProvisioningConfiguration again = ProvisioningConfiguration.Decode(encoded);
        if (again.DeviceClass != profile.Configuration.DeviceClass || again.GatewayHost != profile.Configuration.GatewayHost)
        {
            throw new InvalidOperationException("the configuration did not survive the device's decoder");
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is ProfileException;
}

/// <summary>
/// The birth ledger verifier (a file an importer receives from a factory). Lines are split on
/// '\n' and verified under a fixed station certificate: everything must be refused with
/// <see cref="LedgerException"/>, since the fuzzer cannot forge the signature.
/// </summary>
public sealed class BirthLedgerFuzzTarget : FuzzTarget
{
    private static readonly Lazy<X509Certificate2> Station = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fuzz station", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
    });

    public override string Name => "birth-ledger";

    protected override void Decode(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        BirthRecord[] records = BirthLedger.Verify(text.Length == 0 ? [] : text.Split('\n'), Station.Value);
        if (records.Length != 0)
        {
            throw new InvalidOperationException("a record accepted without the station's signature");
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is LedgerException;
}
