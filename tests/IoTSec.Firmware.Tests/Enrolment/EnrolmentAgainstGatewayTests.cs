using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Firmware.Enrolment;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Est;
using IoTSec.Protocol.Heartbeat;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Enrolment;

/// <summary>
/// The device's EST client against the gateway's real EST service (Kestrel, mutual TLS, the
/// inventory in SQLite): the path a device takes — serverkeygen with its birth certificate,
/// the heartbeat key, renewal with the operational certificate — and the refusals it must make
/// or survive.
/// </summary>
[TestClass]
public sealed class EnrolmentAgainstGatewayTests
{
    [TestMethod]
    public async Task FirstEnrolmentWithTheBirthCertificateGivesAWorkingKeyAndTheGatewaysHeartbeatKey()
    {
        await using var gateway = await EstGateway.StartAsync();
        using var birth = gateway.Register("dev-first");
        using var device = new TestDevice("dev-first", birth, gateway.Root, gateway.Port);

        var credentials = device.Client.EnsureEnrolled(nowUnixSeconds: -1, maxAttempts: 1);

        using var certificate = X509CertificateLoader.LoadCertificate(credentials.Certificate);
        Assert.AreEqual("CN=dev-first", certificate.Subject);
        Assert.AreEqual(gateway.Inventory.GetActiveOperationalCertificate("dev-first")!.Sha256, ClientIdentity.Fingerprint(certificate), "the gateway recorded the certificate the device holds");
        using (var key = ECDsa.Create())
        {
            key.ImportPkcs8PrivateKey(credentials.PrivateKey, out _);
            var signature = key.SignData("proof"u8, HashAlgorithmName.SHA256);
            Assert.IsTrue(certificate.GetECDsaPublicKey()!.VerifyData("proof"u8, signature, HashAlgorithmName.SHA256), "the key the device received is the certificate's");
        }

        byte[] expected = HeartbeatKeyDerivation.Derive(gateway.HeartbeatSecret, "dev-first", certificate.SerialNumberBytes.ToArray());
        CollectionAssert.AreEqual(expected, credentials.HeartbeatKey, "the device holds the key the gateway derives for this certificate");
        CollectionAssert.AreEqual(HeartbeatKeyDerivation.ComputeKeyId(expected), credentials.HeartbeatKeyId);

        var stored = OperationalCredentials.Load(device.Flash);
        Assert.IsNotNull(stored, "the credentials are persisted");
        CollectionAssert.AreEqual(credentials.Certificate, stored.Certificate);
        CollectionAssert.AreEqual(credentials.PrivateKey, stored.PrivateKey);
        CollectionAssert.AreEqual(credentials.HeartbeatKey, stored.HeartbeatKey);

        // Nothing secret reached the device log.
        string log = device.Log.All;
        StringAssert.Contains(log, Convert.ToHexStringLower(credentials.HeartbeatKeyId!));
        Assert.IsFalse(log.Contains(Convert.ToHexStringLower(credentials.HeartbeatKey!), StringComparison.Ordinal), "the heartbeat key is not logged");
        Assert.IsFalse(log.Contains(Convert.ToBase64String(credentials.PrivateKey)[..24], StringComparison.Ordinal), "the private key is not logged");
        Assert.AreEqual(0, device.Clock.Sleeps.Count, "no retry was needed");

        // A second boot uses what is stored and asks the gateway nothing (an unreachable gateway would not matter).
        var again = device.Client.EnsureEnrolled(-1, 1);
        CollectionAssert.AreEqual(credentials.Certificate, again.Certificate);
        Assert.AreEqual(1, gateway.Inventory.ListCertificates("dev-first").Count(c => c.Kind == CertificateKind.Operational), "no second enrolment");
    }

    [TestMethod]
    public async Task RenewalAtTwoThirdsOfTheLifetimeUsesTheOperationalCertificateAndStartsANewKeyEpoch()
    {
        await using var gateway = await EstGateway.StartAsync(options => options.EnrolmentInterval = TimeSpan.Zero);
        using var birth = gateway.Register("dev-renew");
        using var device = new TestDevice("dev-renew", birth, gateway.Root, gateway.Port);
        var first = device.Client.EnsureEnrolled(-1, 1);

        long lifetime = first.NotAfterUnixSeconds - first.NotBeforeUnixSeconds;
        Assert.AreEqual(first.NotBeforeUnixSeconds + (lifetime * 2 / 3), first.RenewAtUnixSeconds);
        Assert.IsFalse(EnrolmentClient.NeedsRenewal(first, first.RenewAtUnixSeconds - 1));
        Assert.IsTrue(EnrolmentClient.NeedsRenewal(first, first.RenewAtUnixSeconds));

        // Before the renewal time nothing happens.
        var unchanged = device.Client.EnsureEnrolled(first.RenewAtUnixSeconds - 1, 1);
        CollectionAssert.AreEqual(first.Certificate, unchanged.Certificate);

        var renewed = device.Client.EnsureEnrolled(first.RenewAtUnixSeconds, 1);

        CollectionAssert.AreNotEqual(first.SerialNumber, renewed.SerialNumber);
        CollectionAssert.AreNotEqual(first.PrivateKey, renewed.PrivateKey, "renewal brings a new key");
        using var oldCertificate = X509CertificateLoader.LoadCertificate(first.Certificate);
        using var newCertificate = X509CertificateLoader.LoadCertificate(renewed.Certificate);
        Assert.AreEqual(CertificateStatus.Superseded, gateway.Inventory.FindCertificate(oldCertificate)!.Status);
        Assert.AreEqual(ClientIdentity.Fingerprint(newCertificate), gateway.Inventory.GetActiveOperationalCertificate("dev-renew")!.Sha256);
        CollectionAssert.AreEqual(HeartbeatKeyDerivation.Derive(gateway.HeartbeatSecret, "dev-renew", renewed.SerialNumber), renewed.HeartbeatKey);
        CollectionAssert.AreNotEqual(first.HeartbeatKeyId, renewed.HeartbeatKeyId, "a new epoch");
        CollectionAssert.AreEqual(renewed.Certificate, OperationalCredentials.Load(device.Flash)!.Certificate);

        // The superseded certificate gets no heartbeat key any more.
        var refused = Assert.ThrowsExactly<EnrolmentException>(() => device.Client.FetchHeartbeatKey(first));
        Assert.AreEqual(EnrolmentFailure.Refused, refused.Reason);
        Assert.AreEqual("certificate-superseded", refused.CodeWord);
        Assert.IsFalse(refused.IsTransient);
    }

    [TestMethod]
    public async Task ARefusedOperationalCertificateFallsBackToTheBirthCertificate()
    {
        await using var gateway = await EstGateway.StartAsync(options => options.EnrolmentInterval = TimeSpan.Zero);
        using var birth = gateway.Register("dev-fallback");
        using var device = new TestDevice("dev-fallback", birth, gateway.Root, gateway.Port);
        var first = device.Client.Enrol();
        var second = device.Client.Renew(first);

        // The flash holds the superseded certificate without its heartbeat key (restored from an old image).
        new OperationalCredentials(first.Certificate, first.PrivateKey, null, null).Save(device.Flash);
        var recovered = device.Client.EnsureEnrolled(-1, 1);

        CollectionAssert.AreNotEqual(first.SerialNumber, recovered.SerialNumber);
        CollectionAssert.AreNotEqual(second.SerialNumber, recovered.SerialNumber);
        Assert.IsTrue(recovered.HasHeartbeatKey);
        StringAssert.Contains(device.Log.All, "enrolling with the birth certificate");
    }

    [TestMethod]
    public async Task AnExpiredOperationalCertificateIsReplacedThroughTheBirthCertificate()
    {
        await using var gateway = await EstGateway.StartAsync(options => options.EnrolmentInterval = TimeSpan.Zero);
        using var birth = gateway.Register("dev-expired");
        using var device = new TestDevice("dev-expired", birth, gateway.Root, gateway.Port);
        var first = device.Client.EnsureEnrolled(-1, 1);

        var replaced = device.Client.EnsureEnrolled(first.NotAfterUnixSeconds, 1);

        CollectionAssert.AreNotEqual(first.SerialNumber, replaced.SerialNumber);
        Assert.IsTrue(replaced.HasHeartbeatKey);
        StringAssert.Contains(device.Log.All, "expired; enrolling with the birth certificate");
        Assert.AreEqual(0, device.Clock.Sleeps.Count, "no renewal attempt with the expired certificate was retried");
    }

    [TestMethod]
    public async Task ARevokedDeviceGetsNothingAndKeepsBackingOff()
    {
        await using var gateway = await EstGateway.StartAsync(options => options.EnrolmentInterval = TimeSpan.Zero);
        using var birth = gateway.Register("dev-revoked");
        using var device = new TestDevice("dev-revoked", birth, gateway.Root, gateway.Port);
        var first = device.Client.EnsureEnrolled(-1, 1);
        gateway.Inventory.Revoke("dev-revoked", "test: stolen");

        // The gateway refuses a revoked device's certificates in the TLS handshake (est.md),
        // which a device cannot tell from a network failure: it backs off and tries again.
        var refused = Assert.ThrowsExactly<EnrolmentException>(() => device.Client.EnsureEnrolled(first.RenewAtUnixSeconds, 3));

        Assert.IsTrue(refused.IsTransient, refused.Message);
        Assert.AreEqual(2, device.Clock.Sleeps.Count);
        CollectionAssert.AreEqual(first.Certificate, OperationalCredentials.Load(device.Flash)!.Certificate, "nothing new was stored");
    }

    [TestMethod]
    public async Task AGatewayCertificateFromAnotherRootIsRefusedAndNothingIsStored()
    {
        await using var gateway = await EstGateway.StartAsync();
        using var birth = gateway.Register("dev-wrong-root");
        using var otherRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherRoot = EstGateway.SelfSignedCa("Another Root", otherRootKey);
        using var device = new TestDevice("dev-wrong-root", birth, otherRoot, gateway.Port);

        var refused = Assert.ThrowsExactly<EnrolmentException>(() => device.Client.EnsureEnrolled(-1, 1));

        Assert.AreEqual(EnrolmentFailure.GatewayUnreachable, refused.Reason);
        Assert.IsInstanceOfType<Platform.NetworkException>(refused.InnerException);
        Assert.IsNull(OperationalCredentials.Load(device.Flash), "nothing was stored");
        Assert.IsNull(gateway.Inventory.GetActiveOperationalCertificate("dev-wrong-root"), "no request reached the EST service");
    }

    [TestMethod]
    public async Task AnUnknownDeviceIsRefusedWithoutRetrying()
    {
        await using var gateway = await EstGateway.StartAsync();
        using var birth = EstGateway.IssueBirth(gateway.BirthCa, gateway.BirthKey, "dev-unknown");
        using var device = new TestDevice("dev-unknown", birth, gateway.Root, gateway.Port);

        var refused = Assert.ThrowsExactly<EnrolmentException>(() => device.Client.EnsureEnrolled(-1, 5));

        Assert.AreEqual(EnrolmentFailure.UnknownDevice, refused.Reason);
        Assert.AreEqual(404, refused.StatusCode);
        Assert.AreEqual("unknown-device", refused.CodeWord);
        Assert.AreEqual(0, device.Clock.Sleeps.Count, "a fatal refusal is not retried");
    }

    [TestMethod]
    public async Task ARateLimitedEnrolmentIsTransientAndCarriesRetryAfter()
    {
        await using var gateway = await EstGateway.StartAsync(options => options.EnrolmentInterval = TimeSpan.FromMinutes(5));
        using var birth = gateway.Register("dev-rate");
        using var device = new TestDevice("dev-rate", birth, gateway.Root, gateway.Port);
        device.Client.Enrol();

        var busy = Assert.ThrowsExactly<EnrolmentException>(() => device.Client.Enrol());

        Assert.AreEqual(EnrolmentFailure.Busy, busy.Reason);
        Assert.AreEqual(429, busy.StatusCode);
        Assert.IsTrue(busy.IsTransient);
        Assert.IsTrue(busy.RetryAfterSeconds is > 200 and <= 300, $"Retry-After {busy.RetryAfterSeconds}");
        int delay = device.Client.Backoff.NextDelayMs(1, busy.RetryAfterSeconds);
        Assert.IsTrue(delay >= busy.RetryAfterSeconds * 1000, "the device waits at least what the gateway asked");
    }

    [TestMethod]
    public void AnUnreachableGatewayIsRetriedWithGrowingJitteredWaits()
    {
        using var birthKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var birthCa = EstGateway.SelfSignedCa("Birth", birthKey);
        using var birth = EstGateway.IssueBirth(birthCa, birthKey, "dev-offline");
        int closedPort = FreePort();
        using var device = new TestDevice("dev-offline", birth, birthCa, closedPort);

        var failed = Assert.ThrowsExactly<EnrolmentException>(() => device.Client.EnsureEnrolled(-1, 4));

        Assert.AreEqual(EnrolmentFailure.GatewayUnreachable, failed.Reason);
        Assert.AreEqual(3, device.Clock.Sleeps.Count, "three waits between four attempts");
        for (int i = 0; i < 3; i++)
        {
            int window = EnrolmentBackoff.DefaultBaseDelayMs << i;
            Assert.IsTrue(device.Clock.Sleeps[i] >= window / 2 && device.Clock.Sleeps[i] <= window, $"wait {i + 1}: {device.Clock.Sleeps[i]} ms outside [{window / 2}, {window}]");
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
