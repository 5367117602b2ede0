using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>
/// A real hierarchy with software keys: an offline root (P-384 key in memory) and one
/// gateway — a <see cref="SoftwareKeyStore"/> in a temporary directory whose DeviceCa key
/// the root certified through a CSR, exactly as at the ceremony.
/// </summary>
internal sealed class TestHierarchy : IDisposable
{
    private TestHierarchy(TestRoot root, string directory, SoftwareKeyStore keyStore, GatewayCertificateAuthority authority, TimeProvider time)
    {
        RootAuthority = root;
        Directory = directory;
        KeyStore = keyStore;
        Authority = authority;
        Issuer = new DeviceCertificateIssuer(authority, timeProvider: time);
    }

    public TestRoot RootAuthority { get; }

    public X509Certificate2 Root => RootAuthority.Certificate;

    public string Directory { get; }

    public SoftwareKeyStore KeyStore { get; }

    public GatewayCertificateAuthority Authority { get; }

    public X509Certificate2 Intermediate => Authority.Intermediate;

    public DeviceCertificateIssuer Issuer { get; }

    /// <summary>A gateway under <paramref name="root"/> (a new root when null).</summary>
    public static TestHierarchy Create(TestRoot? root = null, string gatewayName = "gw-test", TimeProvider? time = null)
    {
        root ??= TestRoot.Create();
        time ??= TimeProvider.System;
        var directory = TempDirectory.Create("iotsec-pki");
        var keyStore = new SoftwareKeyStore(Path.Combine(directory, "keys"), allowSoftwareKeys: true);
        keyStore.Create(GatewayKeyRole.DeviceCa);
        var csr = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(keyStore, GatewayIntermediateRequest.DefaultSubject(gatewayName)));
        var intermediate = OfflineRootAuthority.SignGatewayIntermediate(root.Certificate, root.Key, csr, timeProvider: time);
        var authority = GatewayCertificateAuthority.Create(root.Certificate, intermediate, keyStore.Open(GatewayKeyRole.DeviceCa), time);
        return new TestHierarchy(root, directory, keyStore, authority, time);
    }

    /// <summary>A device key and its operational certificate (with the private key).</summary>
    public X509Certificate2 IssueDevice(string deviceId, DeviceCertificateIssuer? issuer = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = (issuer ?? Issuer).IssueDeviceCertificate(deviceId, DeviceCsr(deviceId, key));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A DER CSR for <paramref name="key"/> with CN <paramref name="commonName"/>.</summary>
    public static byte[] DeviceCsr(string commonName, ECDsa key)
    {
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        return request.CreateSigningRequest();
    }

    public void Dispose()
    {
        Authority.Dispose();
        KeyStore.Dispose();
        TempDirectory.Delete(Directory);
    }
}

/// <summary>An offline root with its key in memory.</summary>
internal sealed class TestRoot
{
    private TestRoot(ECDsa key, X509Certificate2 certificate)
    {
        Key = key;
        Certificate = certificate;
    }

    public ECDsa Key { get; }

    public X509Certificate2 Certificate { get; }

    public static TestRoot Create(string name = "Test Offline Root", TimeProvider? time = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var certificate = OfflineRootAuthority.CreateRootCertificate(key, OfflineRootAuthority.DefaultSubject(name, "IoTSec Tests"), timeProvider: time);
        return new TestRoot(key, certificate);
    }
}

/// <summary>Temporary directories that tests remove after themselves.</summary>
internal static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
    }
}

/// <summary>A clock the test sets.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly System.Threading.Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
