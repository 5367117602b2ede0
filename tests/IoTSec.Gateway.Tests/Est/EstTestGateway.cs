using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>
/// The EST service running in-process on Kestrel, on a free loopback port with real TLS: a
/// test offline root and gateway intermediate (software keys), a separate manufacturer birth
/// CA, an inventory and an audit log in a temporary data directory, and a known heartbeat
/// secret. Devices are registered as the manufacturing import would.
/// </summary>
internal sealed class EstTestGateway : IAsyncDisposable
{
    public const string DeviceClass = "sensor";

    private readonly WebApplication _app;

    private EstTestGateway(WebApplication app, TestHierarchy hierarchy, TestBirthAuthority birth, string directory, AuditLog audit, DeviceInventory inventory, byte[] secret, int port)
    {
        _app = app;
        Hierarchy = hierarchy;
        Birth = birth;
        Directory = directory;
        Audit = audit;
        Inventory = inventory;
        HeartbeatSecretBytes = secret;
        Port = port;
    }

    public TestHierarchy Hierarchy { get; }

    public TestBirthAuthority Birth { get; }

    public string Directory { get; }

    public AuditLog Audit { get; }

    public DeviceInventory Inventory { get; }

    public byte[] HeartbeatSecretBytes { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"https://127.0.0.1:{Port}");

    public IServiceProvider Services => _app.Services;

    public X509Certificate2 Root => Hierarchy.Root;

    public X509Certificate2 Intermediate => Hierarchy.Intermediate;

    /// <summary>Starts the service; <paramref name="services"/> adds to the host (called with the data directory), e.g. the tamper monitor.</summary>
    public static async Task<EstTestGateway> StartAsync(Action<EstOptions>? configure = null, Action<IServiceCollection, string>? services = null)
    {
        var hierarchy = TestHierarchy.Create();
        var birth = TestBirthAuthority.Create();
        var directory = TempDirectory.Create("iotsec-est");
        var audit = AuditLog.Open(Path.Combine(directory, "audit.db"), Path.Combine(directory, "audit-anchor.db"));
        var inventory = DeviceInventory.Open(Path.Combine(directory, "inventory.db"), audit: audit);
        var secret = RandomNumberGenerator.GetBytes(32);

        var builder = EstWebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var host = builder.Services;
        services?.Invoke(host, directory);
        host.AddSingleton(audit);
        host.AddSingleton(inventory);
        host.AddSingleton(hierarchy.Issuer);
        host.AddSingleton(_ => new ServerCertificateRotator(hierarchy.Issuer));
        host.AddSingleton(_ => HeartbeatSecret.FromBytes(secret));
        host.AddSingleton(new BirthCertificateValidator([birth.Certificate]));
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
        var port = new Uri(address).Port;
        return new EstTestGateway(app, hierarchy, birth, directory, audit, inventory, secret, port);
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Registers devices (as the manufacturing import does) and returns their birth certificates with keys.</summary>
    public Dictionary<string, X509Certificate2> Register(params string[] deviceIds) => Register(deviceIds, id => Birth.Issue(id));

    public Dictionary<string, X509Certificate2> Register(IEnumerable<string> deviceIds, Func<string, X509Certificate2> issueBirth)
    {
        var births = deviceIds.ToDictionary(id => id, issueBirth, StringComparer.Ordinal);
        Inventory.Register(births.Select(pair => new DeviceImportEntry(pair.Key, DeviceClass, ClientIdentity.Fingerprint(pair.Value))).ToList(), "test");
        return births;
    }

    /// <summary>
    /// An HTTP client that presents <paramref name="clientCertificate"/> and trusts only the
    /// offline root for the server, as a device does.
    /// </summary>
    public HttpClient Client(X509Certificate2 clientCertificate, SslProtocols protocols = SslProtocols.None) =>
        new(Handler(clientCertificate, protocols)) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public SocketsHttpHandler Handler(X509Certificate2 clientCertificate, SslProtocols protocols = SslProtocols.None) => new()
    {
        SslOptions = ClientTls(clientCertificate, protocols),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    public SslClientAuthenticationOptions ClientTls(X509Certificate2? clientCertificate, SslProtocols protocols = SslProtocols.None) => new()
    {
        TargetHost = "127.0.0.1",
        ClientCertificateContext = clientCertificate is null ? null : SslStreamCertificateContext.Create(clientCertificate, null, offline: true),
        CertificateChainPolicy = LoopbackTls.TrustOnly(Root),
        EnabledSslProtocols = protocols,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    /// <summary>A DER CSR for <paramref name="key"/> with CN <paramref name="commonName"/>.</summary>
    public static byte[] Csr(string commonName, ECDsa key) => TestHierarchy.DeviceCsr(commonName, key);

    /// <summary>An HTTP body with the base64 CSR and Content-Type application/pkcs10.</summary>
    public static HttpContent CsrContent(byte[] der)
    {
        var content = new StringContent(Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(EstProtocol.Pkcs10MediaType);
        return content;
    }

    /// <summary>Enrols <paramref name="deviceId"/> with its birth certificate; returns the operational certificate with its key.</summary>
    public async Task<X509Certificate2> EnrolAsync(string deviceId, X509Certificate2 birth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = Client(birth);
        using var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, CsrContent(Csr(deviceId, key)));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"enrolment of {deviceId} failed: {(int)response.StatusCode} {body}");
        }

        using var issued = EstResponses.SingleCertificate(body);
        return issued.CopyWithPrivateKey(key);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Inventory.Dispose();
        Audit.Dispose();
        Hierarchy.Dispose();
        Birth.Dispose();
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(Directory);
    }
}
