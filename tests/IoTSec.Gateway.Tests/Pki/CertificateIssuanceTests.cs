using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>What the root and the gateway intermediate put into the certificates they issue.</summary>
[TestClass]
public sealed class CertificateIssuanceTests
{
    private static TestHierarchy _gateway = null!;

    [ClassInitialize]
    public static void Setup(TestContext context) => _gateway = TestHierarchy.Create();

    [ClassCleanup]
    public static void Cleanup() => _gateway.Dispose();

    [TestMethod]
    public void TheRootIsASelfSignedP384CaWithPathLengthOne()
    {
        var root = _gateway.Root;
        Assert.AreEqual(root.Subject, root.Issuer);
        Assert.AreEqual("1.2.840.10045.4.3.3", root.SignatureAlgorithm.Value, "ecdsa-with-SHA384");
        Assert.AreEqual(384, root.GetECDsaPublicKey()!.KeySize);
        var constraints = root.Extension<X509BasicConstraintsExtension>()!;
        Assert.IsTrue(constraints.Critical && constraints.CertificateAuthority && constraints.HasPathLengthConstraint);
        Assert.AreEqual(1, constraints.PathLengthConstraint);
        Assert.AreEqual(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, root.Extension<X509KeyUsageExtension>()!.KeyUsages);
        Assert.IsTrue(Math.Abs((root.NotAfter - root.NotBefore).TotalDays - 7305) < 1);
    }

    [TestMethod]
    public void TheIntermediateIsAPathLengthZeroCaForTheDeviceCaKeySignedWithSha384()
    {
        var intermediate = _gateway.Intermediate;
        Assert.AreEqual("CN=gw-test Device CA, O=IoTSec", intermediate.Subject);
        Assert.AreEqual(_gateway.Root.Subject, intermediate.Issuer);
        Assert.AreEqual("1.2.840.10045.4.3.3", intermediate.SignatureAlgorithm.Value);
        var constraints = intermediate.Extension<X509BasicConstraintsExtension>()!;
        Assert.IsTrue(constraints.Critical && constraints.CertificateAuthority && constraints.HasPathLengthConstraint);
        Assert.AreEqual(0, constraints.PathLengthConstraint);
        var usage = intermediate.Extension<X509KeyUsageExtension>()!;
        Assert.IsTrue(usage.Critical);
        Assert.AreEqual(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.AreEqual(_gateway.Root.SubjectKeyId(), intermediate.AuthorityKeyId());
        Assert.IsTrue(CertificatePolicies.Contains(intermediate, CertificatePolicies.GatewayIntermediate), "marked as a gateway intermediate");
        Assert.IsFalse(intermediate.Extensions["2.5.29.32"]!.Critical, "non-critical: mbedTLS does not process policies");
        CollectionAssert.AreEqual(
            _gateway.KeyStore.ExportSubjectPublicKeyInfo(Core.Keys.GatewayKeyRole.DeviceCa), intermediate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.IsTrue(Math.Abs((intermediate.NotAfter - intermediate.NotBefore).TotalDays - 1826) < 1);
    }

    [TestMethod]
    public void ADeviceCertificateCarriesTheDeviceIdClientAuthAndKeyIdentifiers()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var before = DateTimeOffset.UtcNow;
        using var device = _gateway.Issuer.IssueDeviceCertificate("sensor-0001", TestHierarchy.DeviceCsr("sensor-0001", key));

        Assert.AreEqual("CN=sensor-0001", device.Subject);
        Assert.AreEqual(_gateway.Intermediate.Subject, device.Issuer);
        Assert.AreEqual("1.2.840.10045.4.3.2", device.SignatureAlgorithm.Value, "ecdsa-with-SHA256: the only hash the TPM key signs");
        CollectionAssert.AreEqual(new[] { "1.3.6.1.5.5.7.3.2" }, device.Ekus());
        var usage = device.Extension<X509KeyUsageExtension>()!;
        Assert.IsTrue(usage.Critical);
        Assert.AreEqual(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        Assert.IsFalse(device.Extension<X509BasicConstraintsExtension>()!.CertificateAuthority);
        Assert.AreEqual(_gateway.Intermediate.SubjectKeyId(), device.AuthorityKeyId());
        Assert.IsNotNull(device.Extension<X509SubjectKeyIdentifierExtension>());
        CollectionAssert.AreEqual(key.ExportSubjectPublicKeyInfo(), device.PublicKey.ExportSubjectPublicKeyInfo());

        var serial = device.SerialNumberBytes.ToArray();
        Assert.HasCount(16, serial);
        Assert.AreEqual(0x40, serial[0] & 0xC0, "positive, 16 bytes");

        var notBefore = new DateTimeOffset(device.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(device.NotAfter.ToUniversalTime());
        Assert.IsTrue(notBefore <= before - TimeSpan.FromMinutes(4), "backdated for device clock skew");
        Assert.IsTrue(Math.Abs((notAfter - before - TimeSpan.FromDays(90)).TotalMinutes) < 2, "90 days by default");
    }

    [TestMethod]
    public void SerialsAreUnique()
    {
        var serials = Enumerable.Range(0, 20).Select(_ =>
        {
            using var cert = _gateway.IssueDevice("sensor-0002");
            return cert.SerialNumber;
        }).ToHashSet();
        Assert.HasCount(20, serials);
    }

    [TestMethod]
    public void ARequestWithoutSubjectGetsTheDeviceIdAndOneForAnotherDeviceIsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var anonymous = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256).CreateSigningRequest();
        using var issued = _gateway.Issuer.IssueDeviceCertificate("sensor-0003", anonymous);
        Assert.AreEqual("CN=sensor-0003", issued.Subject);

        var other = Assert.ThrowsExactly<SigningRequestRejectedException>(
            () => _gateway.Issuer.IssueDeviceCertificate("sensor-0003", TestHierarchy.DeviceCsr("sensor-9999", key)));
        Assert.AreEqual(SigningRequestRejection.SubjectMismatch, other.Reason);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("has space")]
    [DataRow("semi;colon")]
    [DataRow("ünicode")]
    [DataRow("a/b")]
    public void RefusesMalformedDeviceIds(string deviceId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var error = Assert.ThrowsExactly<SigningRequestRejectedException>(() => _gateway.Issuer.IssueDeviceCertificate(deviceId, csr));
        Assert.AreEqual(SigningRequestRejection.InvalidDeviceId, error.Reason);
    }

    [TestMethod]
    public void AServerCertificateNamesTheConfiguredHostsAndIsForServerAuthForADay()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new ServerCertificateOptions
        {
            DnsNames = ["localhost", "gateway.plant.example"],
            IpAddresses = [IPAddress.Loopback, IPAddress.Parse("10.20.0.1")],
        };
        using var server = _gateway.Issuer.IssueServerCertificate(new PublicKey(key), options);

        CollectionAssert.AreEqual(new[] { "1.3.6.1.5.5.7.3.1" }, server.Ekus());
        var names = server.Extension<X509SubjectAlternativeNameExtension>()!;
        CollectionAssert.AreEqual(new[] { "localhost", "gateway.plant.example" }, names.EnumerateDnsNames().ToArray());
        CollectionAssert.AreEqual(new[] { IPAddress.Loopback, IPAddress.Parse("10.20.0.1") }, names.EnumerateIPAddresses().ToArray());
        Assert.IsTrue(server.MatchesHostname("gateway.plant.example"));
        Assert.IsTrue(Math.Abs((server.NotAfter - server.NotBefore - TimeSpan.FromDays(1) - PkiDefaults.ClockSkewAllowance).TotalMinutes) < 1);
    }

    [TestMethod]
    public void TheDefaultServerNamesCoverTheEmbeddedLoopbackListeners()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = _gateway.Issuer.IssueServerCertificate(new PublicKey(key), new ServerCertificateOptions());
        Assert.IsTrue(server.MatchesHostname("localhost"));
        Assert.IsTrue(server.MatchesHostname("127.0.0.1"));
        Assert.IsTrue(server.MatchesHostname("::1"));
    }

    [TestMethod]
    public void NoCertificateOutlivesItsIssuer()
    {
        using var shortRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var shortRoot = OfflineRootAuthority.CreateRootCertificate(shortRootKey, OfflineRootAuthority.DefaultSubject("Short Root"), TimeSpan.FromDays(30));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(key, GatewayIntermediateRequest.DefaultSubject("gw-short")));
        using var intermediate = OfflineRootAuthority.SignGatewayIntermediate(shortRoot, shortRootKey, csr);
        Assert.AreEqual(shortRoot.NotAfter, intermediate.NotAfter, "clamped to the root's notAfter");
        Assert.AreEqual("1.2.840.10045.4.3.2", intermediate.SignatureAlgorithm.Value, "a P-256 root signs with SHA-256");
    }

    [TestMethod]
    public void TheRootRefusesAnIntermediateRequestItShouldNotSign()
    {
        using var rsa = RSA.Create(2048);
        var rsaCsr = SigningRequestReader.ReadDer(new CertificateRequest("CN=gw Device CA", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest());
        var rsaError = Assert.ThrowsExactly<SigningRequestRejectedException>(
            () => OfflineRootAuthority.SignGatewayIntermediate(_gateway.Root, _gateway.RootAuthority.Key, rsaCsr));
        Assert.AreEqual(SigningRequestRejection.UnsupportedKey, rsaError.Reason);

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var noCn = SigningRequestReader.ReadDer(new CertificateRequest("O=IoTSec", ec, HashAlgorithmName.SHA256).CreateSigningRequest());
        var subjectError = Assert.ThrowsExactly<SigningRequestRejectedException>(
            () => OfflineRootAuthority.SignGatewayIntermediate(_gateway.Root, _gateway.RootAuthority.Key, noCn));
        Assert.AreEqual(SigningRequestRejection.InvalidSubject, subjectError.Reason);

        using var wrongRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var good = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(ec, GatewayIntermediateRequest.DefaultSubject("gw")));
        Assert.ThrowsExactly<GatewayPkiException>(() => OfflineRootAuthority.SignGatewayIntermediate(_gateway.Root, wrongRootKey, good));
    }

    [TestMethod]
    public void TheAuthorityRefusesAnIntermediateForAnotherKeyOrFromAnotherRoot()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var mismatch = Assert.ThrowsExactly<GatewayPkiException>(
            () => GatewayCertificateAuthority.Create(_gateway.Root, _gateway.Intermediate, otherKey));
        StringAssert.Contains(mismatch.Message, "another key");

        using var other = TestHierarchy.Create(gatewayName: "gw-elsewhere");
        using var ourKey = _gateway.KeyStore.Open(Core.Keys.GatewayKeyRole.DeviceCa);
        var foreign = Assert.ThrowsExactly<GatewayPkiException>(
            () => GatewayCertificateAuthority.Create(other.Root, _gateway.Intermediate, ourKey));
        StringAssert.Contains(foreign.Message, "not signed by the root");
    }
}
