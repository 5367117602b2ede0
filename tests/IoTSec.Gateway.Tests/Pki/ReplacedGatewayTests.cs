using System;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>
/// A replaced gateway (new Pi, new TPM: new DeviceCa key, new intermediate from the same
/// offline root) serves a device provisioned for the old one, with real TLS over the loopback:
/// the device trusts only the root and accepts the new gateway's rotated server certificate;
/// the new gateway accepts the device's old operational certificate.
/// </summary>
[TestClass]
public sealed class ReplacedGatewayTests
{
    private static TestRoot _root = null!;
    private static TestHierarchy _oldGateway = null!;
    private static TestHierarchy _newGateway = null!;

    [ClassInitialize]
    public static void Setup(TestContext context)
    {
        _root = TestRoot.Create("Fleet Offline Root");
        _oldGateway = TestHierarchy.Create(_root, "gw-old");
        _newGateway = TestHierarchy.Create(_root, "gw-new");
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        _oldGateway.Dispose();
        _newGateway.Dispose();
    }

    [TestMethod]
    public async Task ADeviceOfTheOldGatewayAndTheNewGatewayAcceptEachOther()
    {
        Assert.AreNotEqual(_oldGateway.Intermediate.GetPublicKeyString(), _newGateway.Intermediate.GetPublicKeyString(), "a new TPM means a new CA key");

        // Provisioned and enrolled under the old gateway: the old intermediate and the root only.
        using var device = _oldGateway.IssueDevice("sensor-0042");
        using var rotator = new ServerCertificateRotator(_newGateway.Issuer);
        rotator.Rotate();

        // The new gateway knows only its own intermediate; the device sends the old one.
        var validator = new ClientCertificateValidator(_root.Certificate, new InMemoryRevocationList(), [_newGateway.Intermediate]);
        var outcome = new HandshakeOutcome();
        await using var connection = await LoopbackTls.ConnectAsync(
            () => ServerOptions(rotator, validator, outcome),
            DeviceOptions(device, [_oldGateway.Intermediate], _root.Certificate, outcome));

        Assert.AreEqual(SslPolicyErrors.None, outcome.DeviceSaw, "the device must accept the new gateway's certificate");
        Assert.AreEqual(3, outcome.DeviceChainLength, "server leaf, new intermediate, root");
        Assert.AreEqual(_newGateway.Intermediate.Thumbprint, outcome.DeviceSawIntermediate);
        Assert.AreEqual(rotator.Current.Thumbprint, outcome.DeviceSawServerCertificate);
        Assert.IsNotNull(outcome.GatewayVerdict);
        Assert.IsTrue(outcome.GatewayVerdict.IsAccepted, outcome.GatewayVerdict.ToString());
        Assert.AreEqual("sensor-0042", outcome.GatewayVerdict.DeviceId);
        Assert.AreEqual(_oldGateway.Intermediate.Thumbprint, outcome.GatewayVerdict.Intermediate!.Thumbprint, "issued by the old gateway");
        Assert.IsTrue(await connection.ExchangeAsync(7));
    }

    [TestMethod]
    public async Task ADeviceThatSendsOnlyItsLeafIsAcceptedWhenTheNewGatewayKnowsTheOldIntermediate()
    {
        using var device = _oldGateway.IssueDevice("sensor-0043");
        using var rotator = new ServerCertificateRotator(_newGateway.Issuer);

        // The old intermediate comes with the restored inventory; it is a path candidate, not a trust anchor.
        var validator = new ClientCertificateValidator(_root.Certificate, new InMemoryRevocationList(), [_newGateway.Intermediate, _oldGateway.Intermediate]);
        var outcome = new HandshakeOutcome();
        await using var connection = await LoopbackTls.ConnectAsync(
            () => ServerOptions(rotator, validator, outcome), DeviceOptions(device, [], _root.Certificate, outcome));

        Assert.AreEqual(SslPolicyErrors.None, outcome.DeviceSaw);
        Assert.IsTrue(outcome.GatewayVerdict!.IsAccepted, outcome.GatewayVerdict.ToString());
        Assert.IsTrue(await connection.ExchangeAsync(9));
    }

    [TestMethod]
    public async Task ADeviceOfAnotherFleetIsRefusedInTheHandshake()
    {
        using var otherFleet = TestHierarchy.Create(gatewayName: "gw-other-fleet");
        using var stranger = otherFleet.IssueDevice("sensor-0042");
        using var rotator = new ServerCertificateRotator(_newGateway.Issuer);
        var validator = new ClientCertificateValidator(_root.Certificate, new InMemoryRevocationList(), [_newGateway.Intermediate]);
        var outcome = new HandshakeOutcome();

        await Assert.ThrowsAsync<Exception>(() => LoopbackTls.ConnectAsync(
            () => ServerOptions(rotator, validator, outcome), DeviceOptions(stranger, [otherFleet.Intermediate], otherFleet.Root, outcome)));
        Assert.AreEqual(ClientCertificateRejection.UntrustedChain, outcome.GatewayVerdict!.Reason, outcome.GatewayVerdict.Detail);
    }

    [TestMethod]
    public async Task ADeviceRefusesAGatewayUnderAnotherRoot()
    {
        using var otherFleet = TestHierarchy.Create(gatewayName: "gw-other-fleet");
        using var device = _oldGateway.IssueDevice("sensor-0044");
        using var impostor = new ServerCertificateRotator(otherFleet.Issuer);
        var validator = new ClientCertificateValidator(otherFleet.Root, new InMemoryRevocationList());
        var outcome = new HandshakeOutcome();

        var error = await Assert.ThrowsAsync<Exception>(() => LoopbackTls.ConnectAsync(
            () => ServerOptions(impostor, validator, outcome), DeviceOptions(device, [_oldGateway.Intermediate], _root.Certificate, outcome)));
        Assert.IsTrue(outcome.DeviceSaw.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors), $"{outcome.DeviceSaw}: {error.Message}");
    }

    internal static SslServerAuthenticationOptions ServerOptions(ServerCertificateRotator rotator, ClientCertificateValidator validator, HandshakeOutcome outcome) => new()
    {
        // Read per handshake: a rotation takes effect on the next connection.
        ServerCertificateContext = rotator.CurrentContext,
        ClientCertificateRequired = true,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            outcome.GatewayVerdict = validator.Validate(certificate as X509Certificate2, chain?.ChainPolicy.ExtraStore);
            return outcome.GatewayVerdict.IsAccepted;
        },
    };

    internal static SslClientAuthenticationOptions DeviceOptions(
        X509Certificate2 deviceCertificate, X509Certificate2[] sentIntermediates, X509Certificate2 trustAnchor, HandshakeOutcome outcome) => new()
    {
        TargetHost = "localhost",
        ClientCertificateContext = SslStreamCertificateContext.Create(deviceCertificate, new X509Certificate2Collection(sentIntermediates), offline: true),
        CertificateChainPolicy = LoopbackTls.TrustOnly(trustAnchor),
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            outcome.DeviceSaw = errors;
            outcome.DeviceChainLength = chain?.ChainElements.Count ?? 0;
            outcome.DeviceSawServerCertificate = (certificate as X509Certificate2)?.Thumbprint;
            outcome.DeviceSawIntermediate = chain is { ChainElements.Count: > 1 } ? chain.ChainElements[1].Certificate.Thumbprint : null;
            return errors == SslPolicyErrors.None;
        },
    };
}

/// <summary>What each side of a loopback handshake decided.</summary>
internal sealed class HandshakeOutcome
{
    public SslPolicyErrors DeviceSaw { get; set; }

    public int DeviceChainLength { get; set; }

    public string? DeviceSawServerCertificate { get; set; }

    public string? DeviceSawIntermediate { get; set; }

    public ClientCertificateVerdict? GatewayVerdict { get; set; }
}
