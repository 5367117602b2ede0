using System;
using System.CommandLine;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IoTSec.Gateway.Configuration;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway dev issue-cert --device ID [--class C] --out DIR</c>: a device identity
/// for testing against a development gateway without a device — the files a foreign client
/// such as <c>mosquitto_pub --cafile ca.pem --cert ID.pem --key ID.key.pem</c> or
/// <c>curl --cacert ca.pem --cert ID.pem --key ID.key.pem</c> needs. Refused on a production
/// PKI: it mints identities outside enrolment, which only a development PKI may allow.
/// </summary>
internal static class DevCommand
{
    /// <summary>The actor recorded in the audit log and the inventory.</summary>
    public const string Actor = "cli:dev-issue-cert";

    public static Command Create()
    {
        var command = new Command("dev", "Development helpers (development PKI only).");
        command.Subcommands.Add(CreateIssueCert());
        return command;
    }

    private static Command CreateIssueCert()
    {
        var device = new Option<string>("--device") { Description = "Device id (registered if the inventory does not know it)", Required = true };
        var deviceClass = new Option<string>("--class") { Description = "Device class for a new registration", DefaultValueFactory = _ => "dev" };
        var output = new Option<string>("--out") { Description = "Directory for ID.key.pem, ID.pem (certificate and intermediate), ca.pem (the root)", Required = true };
        var command = new Command("issue-cert", "Issue an operational certificate and key for a test client (development PKI only).") { device, deviceClass, output };
        command.SetAction(parse =>
        {
            try
            {
                return AdministrationVerb.Run(parse, () => IssueCertificate(parse, parse.GetValue(device)!, parse.GetValue(deviceClass)!, parse.GetValue(output)!));
            }
            catch (Exception e) when (e is GatewayConfigurationException or GatewayPkiException or GatewayKeyStoreException or SecretSealedException)
            {
                return AdministrationVerb.Fail(parse, e.Message);
            }
        });
        return command;
    }

    private static int IssueCertificate(ParseResult parse, string deviceId, string deviceClass, string outputDirectory)
    {
        InventoryText.RequireDeviceId(deviceId);
        InventoryText.RequireDeviceClass(deviceClass);
        var settings = Settings(parse);
        var dataDirectory = AdministrationVerb.DataDirectory(parse, create: true);
        var installedRoot = Path.Combine(dataDirectory.Root, settings.Pki.RootCertificate);
        var installedIntermediate = Path.Combine(dataDirectory.Root, settings.Pki.IntermediateCertificate);
        if (!settings.Pki.AllowDevelopmentPki || File.Exists(installedRoot) || File.Exists(installedIntermediate))
        {
            return AdministrationVerb.Fail(parse,
                "refused: this gateway runs a production PKI (an installed root or intermediate, or IoTSec:Pki:AllowDevelopmentPki=false); " +
                "dev issue-cert mints identities outside enrolment and works on the development PKI only");
        }

        using var audit = AuditLog.Open(dataDirectory);
        using var inventory = DeviceInventory.Open(dataDirectory.InventoryDatabase, audit: audit);
        using var keyStore = GatewayKeyStoreFactory.Open(settings.KeyStore, dataDirectory, audit, NullLogger.Instance);
        using var authority = GatewayAuthorityFactory.Open(settings.Pki, dataDirectory, keyStore, audit, NullLogger.Instance);
        var registered = inventory.Find(deviceId) is null && Register(inventory, authority, dataDirectory, deviceId, deviceClass);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + deviceId, key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var issuer = new DeviceCertificateIssuer(authority, new DeviceCertificateOptions { Validity = settings.Pki.DeviceCertificateValidity });
        using var certificate = issuer.IssueDeviceCertificate(deviceId, request);
        inventory.RecordIssuedCertificate(deviceId, certificate, CertificateKind.Operational, Actor);

        Directory.CreateDirectory(outputDirectory);
        var keyPath = Path.Combine(outputDirectory, deviceId + ".key.pem");
        var certificatePath = Path.Combine(outputDirectory, deviceId + ".pem");
        var caPath = Path.Combine(outputDirectory, "ca.pem");
        WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        // The certificate followed by the intermediate: the client presents the chain the broker
        // and EST verify up to the root they trust.
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n" + authority.Intermediate.ExportCertificatePem() + "\n");
        File.WriteAllText(caPath, authority.Root.ExportCertificatePem() + "\n");

        var output = AdministrationVerb.Output(parse);
        output.WriteLine(registered ? $"registered device '{deviceId}' (class {deviceClass})" : $"device '{deviceId}' is already registered");
        output.WriteLine($"issued certificate serial {certificate.SerialNumber}, valid until {certificate.NotAfter.ToUniversalTime():u}");
        output.WriteLine($"  key          {keyPath} (0600)");
        output.WriteLine($"  certificate  {certificatePath} (with the intermediate)");
        output.WriteLine($"  trust anchor {caPath}");
        output.WriteLine($"e.g. mosquitto_pub --cafile {caPath} --cert {certificatePath} --key {keyPath} -h localhost -p 8883 -i {deviceId} -t iotsec/v1/d/{deviceId}/up/telemetry -m '{{}}'");
        output.WriteLine("DEVELOPMENT PKI: never use such identities outside a test.");
        return 0;
    }

    // A development device has no manufacturer: its birth certificate comes from the development
    // root (which the development gateway trusts for birth certificates), so the inventory entry
    // is as complete as a manufactured one's and the device could enrol over EST too.
    private static bool Register(DeviceInventory inventory, GatewayCertificateAuthority authority, GatewayDataDirectory dataDirectory, string deviceId, string deviceClass)
    {
        var rootKeyPath = Path.Combine(dataDirectory.Root, GatewayAuthorityFactory.DevelopmentDirectory, DevelopmentPki.RootKeyFile);
        using var rootKey = ECDsa.Create();
        rootKey.ImportFromPem(File.ReadAllText(rootKeyPath));
        using var birthKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + deviceId, birthKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Root, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var birth = request.Create(authority.Root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1), serial);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(birth.RawData));
        inventory.Register([new DeviceImportEntry(deviceId, deviceClass, fingerprint)], Actor);
        inventory.RecordIssuedCertificate(deviceId, birth, CertificateKind.Birth, Actor);
        return true;
    }

    // 0600 from creation: the key is never readable by others, not even for an instant.
    private static void WritePrivate(string path, string pem)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, options);
        file.Write(Encoding.ASCII.GetBytes(pem));
    }

    private static GatewayOptions Settings(ParseResult parse)
    {
        var file = GatewayConfigurationFile.Load(parse.GetValue(RunCommand.ConfigFile));
        var configuration = new ConfigurationBuilder().AddGatewayLayers(file, []).Build();
        var settings = new GatewayOptions();
        configuration.GetSection(GatewayOptions.SectionName).Bind(settings);
        var validation = new GatewayOptionsValidator().Validate(null, settings);
        if (validation.Failed)
        {
            throw new GatewayConfigurationException([.. validation.Failures ?? []]);
        }

        return settings;
    }
}
