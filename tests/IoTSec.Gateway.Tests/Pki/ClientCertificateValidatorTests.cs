using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>
/// The acceptance rule end to end with software keys: root → gateway intermediate → device leaf.
/// </summary>
[TestClass]
public sealed class ClientCertificateValidatorTests
{
    private static TestHierarchy _gateway = null!;
    private static TestHierarchy _otherCa = null!;

    [ClassInitialize]
    public static void Setup(TestContext context)
    {
        _gateway = TestHierarchy.Create();
        _otherCa = TestHierarchy.Create(gatewayName: "gw-of-another-fleet");
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        _gateway.Dispose();
        _otherCa.Dispose();
    }

    private static ClientCertificateValidator Validator(IRevocationList? revocations = null, TimeProvider? time = null, params X509Certificate2[] known) =>
        new(_gateway.Root, revocations ?? new InMemoryRevocationList(), known, time);

    private static X509Certificate2Collection Presented(params X509Certificate2[] certificates) => new(certificates);

    [TestMethod]
    public void AcceptsADeviceCertificateThatChainsThroughTheIntermediateToTheRoot()
    {
        using var device = _gateway.IssueDevice("sensor-0001");
        var verdict = Validator().Validate(device, Presented(_gateway.Intermediate));

        Assert.IsTrue(verdict.IsAccepted, verdict.ToString());
        Assert.AreEqual(ClientCertificateRejection.None, verdict.Reason);
        Assert.AreEqual("sensor-0001", verdict.DeviceId);
        Assert.AreEqual(_gateway.Intermediate.Thumbprint, verdict.Intermediate!.Thumbprint);
    }

    [TestMethod]
    public void AKnownIntermediateCompletesTheChainWhenTheDeviceSendsOnlyItsLeaf()
    {
        using var device = _gateway.IssueDevice("sensor-0001");
        var leafOnly = Validator().Validate(device);
        Assert.AreEqual(ClientCertificateRejection.UntrustedChain, leafOnly.Reason, leafOnly.Detail);

        var withKnown = Validator(known: _gateway.Intermediate).Validate(device);
        Assert.IsTrue(withKnown.IsAccepted, withKnown.ToString());
    }

    [TestMethod]
    public void RefusesAMissingCertificate()
    {
        Assert.AreEqual(ClientCertificateRejection.NoCertificate, Validator().Validate(null).Reason);
    }

    [TestMethod]
    public void RefusesACertificateFromAnotherCa()
    {
        using var foreign = _otherCa.IssueDevice("sensor-0001");
        var verdict = Validator().Validate(foreign, Presented(_otherCa.Intermediate, _otherCa.Root));
        Assert.AreEqual(ClientCertificateRejection.UntrustedChain, verdict.Reason, verdict.Detail);
    }

    [TestMethod]
    public void RefusesAnIntermediateThatImitatesOursWithAnotherKey()
    {
        // Same subject names as our hierarchy, but signed by the other fleet's root.
        using var impostorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(impostorKey, _gateway.Intermediate.SubjectName));
        using var impostor = OfflineRootAuthority.SignGatewayIntermediate(_otherCa.Root, _otherCa.RootAuthority.Key, csr);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var template = new CertificateRequest("CN=sensor-0001", leafKey, HashAlgorithmName.SHA256);
        template.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var leaf = template.Create(impostor.SubjectName, X509SignatureGenerator.CreateForECDsa(impostorKey), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3]);

        var verdict = Validator().Validate(leaf, Presented(impostor));
        Assert.AreEqual(ClientCertificateRejection.UntrustedChain, verdict.Reason, verdict.Detail);
    }

    [TestMethod]
    public void RefusesAnExpiredCertificate()
    {
        var past = new ManualTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(100));
        using var device = _gateway.IssueDevice("sensor-0001", new DeviceCertificateIssuer(_gateway.Authority, timeProvider: past));

        var verdict = Validator().Validate(device, Presented(_gateway.Intermediate));
        Assert.AreEqual(ClientCertificateRejection.Expired, verdict.Reason, verdict.Detail);
        StringAssert.Contains(verdict.Detail, "CN=sensor-0001");
    }

    [TestMethod]
    public void RefusesACertificateBeforeItsValidity()
    {
        using var device = _gateway.IssueDevice("sensor-0001");
        var earlier = new ManualTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromHours(1));
        var verdict = Validator(time: earlier).Validate(device, Presented(_gateway.Intermediate));
        Assert.AreEqual(ClientCertificateRejection.NotYetValid, verdict.Reason, verdict.Detail);
    }

    [TestMethod]
    public void RefusesARevokedCertificateAtOnceAndKeepsAcceptingOthers()
    {
        using var revokedDevice = _gateway.IssueDevice("sensor-0001");
        using var otherDevice = _gateway.IssueDevice("sensor-0002");
        var revocations = new InMemoryRevocationList();
        var validator = Validator(revocations);
        Assert.IsTrue(validator.Validate(revokedDevice, Presented(_gateway.Intermediate)).IsAccepted);

        revocations.Revoke(_gateway.Intermediate, revokedDevice);

        var verdict = validator.Validate(revokedDevice, Presented(_gateway.Intermediate));
        Assert.AreEqual(ClientCertificateRejection.Revoked, verdict.Reason, verdict.Detail);
        Assert.IsTrue(validator.Validate(otherDevice, Presented(_gateway.Intermediate)).IsAccepted);
    }

    [TestMethod]
    public void RefusesEveryDeviceOfARevokedIntermediate()
    {
        using var device = _gateway.IssueDevice("sensor-0001");
        var revocations = new InMemoryRevocationList();
        revocations.Revoke(RevocationIssuerId.Of(_gateway.Root), _gateway.Intermediate.SerialNumberBytes.ToArray());

        var verdict = Validator(revocations).Validate(device, Presented(_gateway.Intermediate));
        Assert.AreEqual(ClientCertificateRejection.Revoked, verdict.Reason, verdict.Detail);
        StringAssert.Contains(verdict.Detail, "intermediate");
    }

    [TestMethod]
    public void RefusesALeafIssuedDirectlyByTheRoot()
    {
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var template = new CertificateRequest("CN=sensor-0001", leafKey, HashAlgorithmName.SHA384);
        template.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        template.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        template.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var leaf = template.Create(
            _gateway.Root.SubjectName, X509SignatureGenerator.CreateForECDsa(_gateway.RootAuthority.Key),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1), CertificateSerialNumber.NewRandom());

        var verdict = Validator().Validate(leaf);
        Assert.AreEqual(ClientCertificateRejection.WrongChainLength, verdict.Reason, verdict.Detail);
    }

    [TestMethod]
    public void RefusesTheIntermediateItselfAndTheRootAsClientCertificates()
    {
        Assert.AreEqual(ClientCertificateRejection.WrongChainLength, Validator().Validate(_gateway.Intermediate).Reason);
        Assert.AreEqual(ClientCertificateRejection.WrongChainLength, Validator().Validate(_gateway.Root).Reason);
    }

    [TestMethod]
    public void RefusesAServerCertificatePresentedAsAClientCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = _gateway.Issuer.IssueServerCertificate(new PublicKey(key), new ServerCertificateOptions());
        var verdict = Validator().Validate(server, Presented(_gateway.Intermediate));
        Assert.AreEqual(ClientCertificateRejection.WrongUsage, verdict.Reason, verdict.Detail);
    }

    [TestMethod]
    public void RefusesALeafWhoseCommonNameIsNotADeviceId()
    {
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var caKey = _gateway.KeyStore.Open(Core.Keys.GatewayKeyRole.DeviceCa);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName("sensor 0001; DROP TABLE");
        var template = new CertificateRequest(name.Build(), leafKey, HashAlgorithmName.SHA256);
        template.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        template.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_gateway.Intermediate, true, false));
        using var leaf = template.Create(
            _gateway.Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1), CertificateSerialNumber.NewRandom());

        var verdict = Validator().Validate(leaf, Presented(_gateway.Intermediate));
        Assert.AreEqual(ClientCertificateRejection.InvalidDeviceId, verdict.Reason, verdict.Detail);
    }

    /// <summary>
    /// Another CA the root signed — a manufacturing station CA that issues birth
    /// certificates — has the right shape (root ← CA ← clientAuth leaf) but is not a gateway
    /// intermediate: its certificates must not pass as operational certificates.
    /// </summary>
    [TestMethod]
    public void RefusesACertificateFromAnotherKindOfCaUnderTheSameRoot()
    {
        using var stationKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var stationTemplate = new CertificateRequest("CN=Factory Station 7 CA", stationKey, HashAlgorithmName.SHA384);
        stationTemplate.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        stationTemplate.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        stationTemplate.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(stationTemplate.PublicKey, false));
        stationTemplate.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_gateway.Root, true, false));
        using var station = stationTemplate.Create(
            _gateway.Root.SubjectName, X509SignatureGenerator.CreateForECDsa(_gateway.RootAuthority.Key),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(30), CertificateSerialNumber.NewRandom());

        using var birthKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var birthTemplate = new CertificateRequest("CN=sensor-0001", birthKey, HashAlgorithmName.SHA256);
        birthTemplate.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        birthTemplate.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        birthTemplate.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        birthTemplate.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(station, true, false));
        using var birth = birthTemplate.Create(
            station.SubjectName, X509SignatureGenerator.CreateForECDsa(stationKey),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(30), CertificateSerialNumber.NewRandom());

        var verdict = Validator().Validate(birth, Presented(station));
        Assert.AreEqual(ClientCertificateRejection.UntrustedChain, verdict.Reason, verdict.Detail);
        StringAssert.Contains(verdict.Detail, "not a gateway intermediate");

        var installed = Assert.ThrowsExactly<GatewayPkiException>(
            () => GatewayCertificateAuthority.Create(_gateway.Root, station, stationKey));
        StringAssert.Contains(installed.Message, "not a gateway intermediate");
    }
}
