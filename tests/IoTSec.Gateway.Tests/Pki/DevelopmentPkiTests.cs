using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

[TestClass]
[SupportedOSPlatform("linux")]
public sealed class DevelopmentPkiTests
{
    private string _data = null!;

    [TestInitialize]
    public void Setup() => _data = TempDirectory.Create("iotsec-devpki");

    [TestCleanup]
    public void Cleanup() => TempDirectory.Delete(_data);

    private SoftwareKeyStore KeyStore() => new(Path.Combine(_data, "keys"), allowSoftwareKeys: true);

    private string PkiDirectory => Path.Combine(_data, "pki");

    [TestMethod]
    public void TheFirstStartMakesAWorkingHierarchyWithNoCeremony()
    {
        using var keys = KeyStore();
        var result = DevelopmentPki.EnsureCreated(PkiDirectory, keys);
        using var authority = result.Authority;

        Assert.IsTrue(result.CreatedDeviceCaKey && result.CreatedRoot && result.IssuedIntermediate);
        Assert.AreEqual(SoftwareKeyFile.PrivateFileMode, File.GetUnixFileMode(Path.Combine(PkiDirectory, DevelopmentPki.RootKeyFile)));
        Assert.AreEqual(SoftwareKeyFile.PrivateDirectoryMode, File.GetUnixFileMode(PkiDirectory));
        StringAssert.Contains(authority.Root.Subject, "DEVELOPMENT");
        Assert.AreEqual(authority.Root.Thumbprint, PemCertificateFile.Load(result.RootCertificatePath).Thumbprint);

        var issuer = new DeviceCertificateIssuer(authority);
        using var device = IssueDevice(issuer, "dev-sensor-1");
        var verdict = new ClientCertificateValidator(authority.Root, new InMemoryRevocationList(), [authority.Intermediate]).Validate(device);
        Assert.IsTrue(verdict.IsAccepted, verdict.ToString());
        using var rotator = new ServerCertificateRotator(issuer);
        Assert.IsTrue(rotator.Current.HasPrivateKey);
    }

    [TestMethod]
    public void LaterStartsReuseTheHierarchy()
    {
        string rootThumbprint, intermediateThumbprint;
        using (var keys = KeyStore())
        {
            using var first = DevelopmentPki.EnsureCreated(PkiDirectory, keys).Authority;
            rootThumbprint = first.Root.Thumbprint;
            intermediateThumbprint = first.Intermediate.Thumbprint;
        }

        using var again = KeyStore();
        var result = DevelopmentPki.EnsureCreated(PkiDirectory, again);
        using var authority = result.Authority;
        Assert.IsFalse(result.CreatedDeviceCaKey || result.CreatedRoot || result.IssuedIntermediate);
        Assert.AreEqual(rootThumbprint, authority.Root.Thumbprint);
        Assert.AreEqual(intermediateThumbprint, authority.Intermediate.Thumbprint);
    }

    [TestMethod]
    public void ANewDeviceCaKeyGetsANewIntermediateUnderTheSameRoot()
    {
        X509Certificate2 oldIntermediate;
        X509Certificate2 oldDevice;
        using (var keys = KeyStore())
        {
            using var first = DevelopmentPki.EnsureCreated(PkiDirectory, keys).Authority;
            oldIntermediate = X509CertificateLoader.LoadCertificate(first.Intermediate.RawData);
            oldDevice = IssueDevice(new DeviceCertificateIssuer(first), "dev-sensor-2");
            File.Delete(keys.KeyPath(GatewayKeyRole.DeviceCa));
        }

        using var replaced = KeyStore();
        var result = DevelopmentPki.EnsureCreated(PkiDirectory, replaced);
        using var authority = result.Authority;
        Assert.IsTrue(result.CreatedDeviceCaKey && result.IssuedIntermediate);
        Assert.IsFalse(result.CreatedRoot);
        Assert.AreNotEqual(oldIntermediate.Thumbprint, authority.Intermediate.Thumbprint);

        // The device enrolled before still gets in.
        var verdict = new ClientCertificateValidator(authority.Root, new InMemoryRevocationList(), [authority.Intermediate, oldIntermediate]).Validate(oldDevice);
        Assert.IsTrue(verdict.IsAccepted, verdict.ToString());
        oldDevice.Dispose();
        oldIntermediate.Dispose();
    }

    [TestMethod]
    public void TheLoudWarningSaysNotForProduction()
    {
        StringAssert.Contains(DevelopmentPki.Warning, "DEVELOPMENT PKI");
        StringAssert.Contains(DevelopmentPki.Warning, "ceremony");
    }

    private static X509Certificate2 IssueDevice(DeviceCertificateIssuer issuer, string deviceId)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return issuer.IssueDeviceCertificate(deviceId, TestHierarchy.DeviceCsr(deviceId, key));
    }
}
