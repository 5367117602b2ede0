using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Provision;

namespace IoTSec.Provision.Tests;

/// <summary>
/// A bench made with System.Security.Cryptography in a temporary directory: a manufacturer
/// root, a station CA it signed (path length 0) with its key encrypted under a passphrase, a
/// gateway root and an RSA OTA signing key, a profile naming them; and the tool run in-process
/// with its output captured.
/// </summary>
internal sealed class ProvisioningBench : IDisposable
{
    public const string Passphrase = "correct horse battery staple";

    public ProvisioningBench()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("iotsec-provision-").FullName;
        Flash = System.IO.Path.Combine(Directory, "flash");
        System.IO.Directory.CreateDirectory(Flash);
        StationDirectory = System.IO.Path.Combine(Directory, "station");
        System.IO.Directory.CreateDirectory(StationDirectory);

        DateTimeOffset now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var rootRequest = new CertificateRequest("CN=IoTSec test manufacturer root", rootKey, HashAlgorithmName.SHA384);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
        RootPem = Write("manufacturer-root.pem", root.ExportCertificatePem());

        using var stationKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var stationRequest = new CertificateRequest("CN=IoTSec test station 1", stationKey, HashAlgorithmName.SHA384);
        stationRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        stationRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        stationRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(stationRequest.PublicKey, false));
        stationRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var station = stationRequest.Create(root, now.AddDays(-1), now.AddDays(90), [0x51, 0x01]);
        StationPem = System.IO.Path.Combine(StationDirectory, "station.pem");
        File.WriteAllText(StationPem, station.ExportCertificatePem());
        File.WriteAllText(
            System.IO.Path.Combine(StationDirectory, "station.key.pem"),
            stationKey.ExportEncryptedPkcs8PrivateKeyPem(Passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));
        PassphraseFile = Write("passphrase.txt", Passphrase + "\n");

        using var gatewayRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var gatewayRequest = new CertificateRequest("CN=IoTSec test gateway root", gatewayRootKey, HashAlgorithmName.SHA256);
        gatewayRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        using var gatewayRoot = gatewayRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        Write("gateway-root.pem", gatewayRoot.ExportCertificatePem());

        using var otaKey = RSA.Create(2048);
        Write("ota-signing.pub.pem", otaKey.ExportSubjectPublicKeyInfoPem());
        Profile = WriteProfile("profile.yaml", GoodProfile);
    }

    public const string GoodProfile = """
        # env sensors of plant 1
        deviceClass: env-sensor
        gateway:
          host: gw01.plant.example
          port: 8443
          mqttPort: 8883
        heartbeatIntervalSeconds: 300
        trustAnchors:
          gatewayRoot:
            certificate: gateway-root.pem
            keyId: gw-root-1
          otaSigningKey:
            publicKey: ota-signing.pub.pem
            keyId: ota-1
        """;

    public string Directory { get; }

    public string Flash { get; }

    public string StationDirectory { get; }

    public string StationPem { get; }

    public string RootPem { get; }

    public string PassphraseFile { get; }

    public string Profile { get; }

    public string Ledger => System.IO.Path.Combine(StationDirectory, "birth-ledger.jsonl");

    public string WriteProfile(string name, string yaml) => Write(name, yaml);

    /// <summary>Runs <c>iotsec-provision</c> in-process.</summary>
    public static ToolRun Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = ProvisionCommandLine.Run(args, ToolOutput.ForWriters(output, error), _ => null);
        return new ToolRun((ExitCode)code, output.ToString(), error.ToString());
    }

    public ToolRun Provision(string port, string? profile = null, params string[] extra) =>
        Run([
            "provision", "--port", port, "--profile", profile ?? Profile, "--station", StationDirectory,
            "--station-passphrase-file", PassphraseFile, "--operator", "test-bench", .. extra,
        ]);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private string Write(string name, string text)
    {
        string path = System.IO.Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}

/// <summary>One run of the tool.</summary>
internal sealed record ToolRun(ExitCode Code, string Output, string Error)
{
    public override string ToString() => $"exit {(int)Code} {Code}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
