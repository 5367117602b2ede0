using System;
using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

[TestClass]
public sealed class ServerCertificateRotatorTests
{
    private static TestHierarchy _gateway = null!;

    [ClassInitialize]
    public static void Setup(TestContext context) => _gateway = TestHierarchy.Create();

    [ClassCleanup]
    public static void Cleanup() => _gateway.Dispose();

    private static void AssertChainsToRoot(X509Certificate2 certificate)
    {
        using var chain = new X509Chain { ChainPolicy = LoopbackTls.TrustOnly(_gateway.Root) };
        chain.ChainPolicy.ExtraStore.Add(_gateway.Intermediate);
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        Assert.IsTrue(chain.Build(certificate), string.Join("; ", Array.ConvertAll(chain.ChainStatus, s => s.StatusInformation)));
        Assert.AreEqual(3, chain.ChainElements.Count);
    }

    // Certificate times have whole seconds.
    private static void AssertNear(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.IsTrue((expected - actual).Duration() < TimeSpan.FromSeconds(1), $"expected about {expected:O}, got {actual:O}");

    [TestMethod]
    public void AForcedRotationGivesANewCertificateAndKeyThatAlsoChainToTheRoot()
    {
        using var rotator = new ServerCertificateRotator(_gateway.Issuer);
        var first = rotator.Current;
        Assert.AreSame(first, rotator.Current, "no rotation before it is due");

        rotator.Rotate();
        var second = rotator.Current;

        Assert.AreNotEqual(first.Thumbprint, second.Thumbprint);
        Assert.AreNotEqual(first.SerialNumber, second.SerialNumber);
        Assert.AreNotEqual(first.GetPublicKeyString(), second.GetPublicKeyString(), "each rotation makes a new key");
        Assert.IsTrue(first.HasPrivateKey && second.HasPrivateKey);
        AssertChainsToRoot(first);
        AssertChainsToRoot(second);
        Assert.AreEqual(1, rotator.RotationCount);
        Assert.AreEqual(second.Thumbprint, rotator.CurrentContext.TargetCertificate.Thumbprint);
        Assert.AreEqual(_gateway.Intermediate.Thumbprint, rotator.CurrentContext.IntermediateCertificates[0].Thumbprint);
    }

    [TestMethod]
    public void TheCertificateIsRenewedAfterTwoThirdsOfItsDayInTheBackground()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var issuer = new DeviceCertificateIssuer(_gateway.Authority, timeProvider: clock);
        using var rotator = new ServerCertificateRotator(issuer, timeProvider: clock);
        var rotated = 0;
        rotator.Rotated += (_, _) => Interlocked.Increment(ref rotated);
        var first = rotator.Current;
        AssertNear(clock.GetUtcNow() + TimeSpan.FromHours(16), rotator.RenewAt);

        clock.Advance(TimeSpan.FromHours(15));
        Assert.AreSame(first, rotator.Current);
        Assert.IsFalse(rotator.RotateIfDue());

        clock.Advance(TimeSpan.FromHours(1.5));

        // Due: the handshake that notices gets the still-valid certificate at once, and the
        // reissue runs on the thread pool.
        Assert.AreSame(first, rotator.Current);
        var wait = Stopwatch.StartNew();
        while (Volatile.Read(ref rotated) == 0 && wait.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
        }

        Assert.AreEqual(1, rotator.RotationCount);
        Assert.AreEqual(1, Volatile.Read(ref rotated));
        Assert.AreNotSame(first, rotator.Current);
        AssertNear(clock.GetUtcNow() + TimeSpan.FromHours(16), rotator.RenewAt);
    }

    [TestMethod]
    public void ACertificateAboutToExpireIsReplacedBeforeTheHandshakeUsesIt()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var issuer = new DeviceCertificateIssuer(_gateway.Authority, timeProvider: clock);
        using var rotator = new ServerCertificateRotator(issuer, timeProvider: clock);
        var first = rotator.Current;

        clock.Advance(TimeSpan.FromHours(23.95));
        var current = rotator.Current;

        Assert.AreNotSame(first, current, "replaced synchronously");
        Assert.IsTrue(current.NotAfter.ToUniversalTime() > clock.GetUtcNow().UtcDateTime + TimeSpan.FromHours(23));
    }

    [TestMethod]
    public void AFailedReissueIsReportedAndKeepsTheCurrentCertificate()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var issuer = new DeviceCertificateIssuer(_gateway.Authority, timeProvider: clock);
        using var rotator = new ServerCertificateRotator(issuer, timeProvider: clock);
        var first = rotator.Current;
        Exception? reported = null;
        rotator.RotationFailed += (_, e) => reported = e.Error;

        // Past the intermediate's own notAfter nothing can be issued any more.
        clock.Advance(TimeSpan.FromDays(6 * 365));
        Assert.IsFalse(rotator.RotateIfDue());

        Assert.IsInstanceOfType<GatewayPkiException>(reported);
        StringAssert.Contains(reported.Message, "expired");
        Assert.AreSame(first, rotator.Current);
        Assert.IsFalse(rotator.RotateIfDue(), "retried only after a delay");
    }

    [TestMethod]
    public async Task RotationDropsNoConnectionAndTheNextHandshakeGetsTheNewCertificate()
    {
        using var rotator = new ServerCertificateRotator(_gateway.Issuer);
        using var device = _gateway.IssueDevice("sensor-0100");
        var validator = new ClientCertificateValidator(_gateway.Root, new InMemoryRevocationList(), [_gateway.Intermediate]);

        var before = new HandshakeOutcome();
        await using var established = await LoopbackTls.ConnectAsync(
            () => ReplacedGatewayTests.ServerOptions(rotator, validator, before),
            ReplacedGatewayTests.DeviceOptions(device, [_gateway.Intermediate], _gateway.Root, before));
        Assert.IsTrue(await established.ExchangeAsync(1));

        rotator.Rotate();

        Assert.IsTrue(await established.ExchangeAsync(3), "the established session carries on after rotation");
        var after = new HandshakeOutcome();
        await using var next = await LoopbackTls.ConnectAsync(
            () => ReplacedGatewayTests.ServerOptions(rotator, validator, after),
            ReplacedGatewayTests.DeviceOptions(device, [_gateway.Intermediate], _gateway.Root, after));

        Assert.AreEqual(SslPolicyErrors.None, before.DeviceSaw);
        Assert.AreEqual(SslPolicyErrors.None, after.DeviceSaw);
        Assert.AreNotEqual(before.DeviceSawServerCertificate, after.DeviceSawServerCertificate);
        Assert.AreEqual(rotator.Current.Thumbprint, after.DeviceSawServerCertificate);
        Assert.IsTrue(await next.ExchangeAsync(5));
        Assert.IsTrue(await established.ExchangeAsync(7));
    }

    /// <summary>
    /// Why listeners take <see cref="ServerCertificateRotator.CurrentContext"/>: handed only
    /// the bare certificate, SslStream looks for the intermediate in the system stores, does
    /// not find it, sends the leaf alone, and a device that trusts only the root cannot build
    /// the path.
    /// </summary>
    [TestMethod]
    public async Task ABareCertificateWithoutItsContextLeavesTheDeviceWithoutTheIntermediate()
    {
        using var rotator = new ServerCertificateRotator(_gateway.Issuer);
        using var device = _gateway.IssueDevice("sensor-0101");
        var validator = new ClientCertificateValidator(_gateway.Root, new InMemoryRevocationList(), [_gateway.Intermediate]);
        var outcome = new HandshakeOutcome();

        await Assert.ThrowsAsync<Exception>(() => LoopbackTls.ConnectAsync(
            () =>
            {
                var options = ReplacedGatewayTests.ServerOptions(rotator, validator, outcome);
                options.ServerCertificateContext = null;
                options.ServerCertificate = rotator.Current;
                return options;
            },
            ReplacedGatewayTests.DeviceOptions(device, [_gateway.Intermediate], _gateway.Root, outcome)));
        Assert.IsTrue(outcome.DeviceSaw.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors), outcome.DeviceSaw.ToString());
    }
}
