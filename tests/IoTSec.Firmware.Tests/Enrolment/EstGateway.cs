using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Est;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IoTSec.Firmware.Tests.Enrolment;

/// <summary>
/// The gateway's real EST service on Kestrel, in-process on a free loopback port with real
/// TLS: an offline root, a gateway intermediate whose DeviceCa key sits in a software key
/// store (certified through a CSR, as at the ceremony), a manufacturer birth CA, an inventory
/// and audit log in SQLite, and a known heartbeat secret (so the test can derive what the
/// gateway derives). Built from the gateway's own classes, as tests/IoTSec.Gateway.Tests'
/// EstTestGateway is.
/// </summary>
internal sealed class EstGateway : IAsyncDisposable
{
    public const string DeviceClass = "sensor";

    private readonly WebApplication _app;
    private readonly SoftwareKeyStore _keyStore;
    private readonly GatewayCertificateAuthority _authority;

    private EstGateway(WebApplication app, SoftwareKeyStore keyStore, GatewayCertificateAuthority authority, ECDsa rootKey, X509Certificate2 root, ECDsa birthKey, X509Certificate2 birthCa, string directory, AuditLog audit, DeviceInventory inventory, byte[] secret, int port)
    {
        _app = app;
        _keyStore = keyStore;
        _authority = authority;
        RootKey = rootKey;
        Root = root;
        BirthKey = birthKey;
        BirthCa = birthCa;
        Directory = directory;
        Audit = audit;
        Inventory = inventory;
        HeartbeatSecret = secret;
        Port = port;
    }

    public ECDsa RootKey { get; }

    public X509Certificate2 Root { get; }

    public ECDsa BirthKey { get; }

    public X509Certificate2 BirthCa { get; }

    public string Directory { get; }

    public AuditLog Audit { get; }

    public DeviceInventory Inventory { get; }

    public byte[] HeartbeatSecret { get; }

    public int Port { get; }

    public static async Task<EstGateway> StartAsync(Action<EstOptions>? configure = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("iotsec-fw-est-").FullName;
        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var root = OfflineRootAuthority.CreateRootCertificate(rootKey, OfflineRootAuthority.DefaultSubject("Test Offline Root", "IoTSec Firmware Tests"));
        var keyStore = new SoftwareKeyStore(Path.Combine(directory, "keys"), allowSoftwareKeys: true);
        keyStore.Create(GatewayKeyRole.DeviceCa);
        var csr = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(keyStore, GatewayIntermediateRequest.DefaultSubject("gw-fw-test")));
        var intermediate = OfflineRootAuthority.SignGatewayIntermediate(root, rootKey, csr);
        var authority = GatewayCertificateAuthority.Create(root, intermediate, keyStore.Open(GatewayKeyRole.DeviceCa), TimeProvider.System);
        var issuer = new DeviceCertificateIssuer(authority, timeProvider: TimeProvider.System);

        var birthKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var birthCa = SelfSignedCa("Test Manufacturer Birth CA", birthKey);

        var audit = AuditLog.Open(Path.Combine(directory, "audit.db"), Path.Combine(directory, "audit-anchor.db"));
        var inventory = DeviceInventory.Open(Path.Combine(directory, "inventory.db"), audit: audit);
        var secret = RandomNumberGenerator.GetBytes(32);

        var builder = EstWebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var host = builder.Services;
        host.AddSingleton(audit);
        host.AddSingleton(inventory);
        host.AddSingleton(issuer);
        host.AddSingleton(_ => new ServerCertificateRotator(issuer));
        host.AddSingleton(_ => Gateway.Core.Keys.HeartbeatSecret.FromBytes(secret));
        host.AddSingleton(new BirthCertificateValidator([birthCa]));
        host.Configure<EstOptions>(options =>
        {
            options.Port = 0;
            configure?.Invoke(options);
        });
        host.AddEstService();
        var app = builder.Build();
        app.MapEst();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EstGateway(app, keyStore, authority, rootKey, root, birthKey, birthCa, directory, audit, inventory, secret, new Uri(address).Port);
    }

    /// <summary>Registers <paramref name="deviceId"/> as the manufacturing import does and returns its birth certificate with key.</summary>
    public X509Certificate2 Register(string deviceId)
    {
        var birth = IssueBirth(BirthCa, BirthKey, deviceId);
        Inventory.Register([new DeviceImportEntry(deviceId, DeviceClass, ClientIdentity.Fingerprint(birth))], "test");
        return birth;
    }

    /// <summary>A self-signed P-256 CA (a birth CA, or "another root" for refusal tests).</summary>
    public static X509Certificate2 SelfSignedCa(string name, ECDsa key)
    {
        var request = new CertificateRequest("CN=" + name + ", O=IoTSec Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
    }

    /// <summary>A birth certificate (CN = device id, digitalSignature, clientAuth) with its key, as a factory station issues it.</summary>
    public static X509Certificate2 IssueBirth(X509Certificate2 issuer, ECDsa issuerKey, string deviceId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + deviceId, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5), serial);
        return issued.CopyWithPrivateKey(key);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Inventory.Dispose();
        Audit.Dispose();
        _authority.Dispose();
        _keyStore.Dispose();
        RootKey.Dispose();
        Root.Dispose();
        BirthKey.Dispose();
        BirthCa.Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
