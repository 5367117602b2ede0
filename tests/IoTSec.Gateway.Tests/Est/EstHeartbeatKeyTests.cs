using System;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Protocol.Heartbeat;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>The heartbeat-key endpoint of docs/protocols/heartbeat-key.md, on the EST port.</summary>
[TestClass]
public sealed class EstHeartbeatKeyTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task HeartbeatKeyIsTheDerivationForTheDeviceAndItsCertificateSerial()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var birth = gateway.Register("dev-hb")["dev-hb"];
        using var operational = await gateway.EnrolAsync("dev-hb", birth);
        using var client = gateway.Client(operational);

        using var response = await client.PostAsync(HeartbeatKeyExchange.Path, null, TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        Assert.AreEqual(HeartbeatKeyExchange.ContentType, response.Content.Headers.ContentType!.MediaType);
        var serial = operational.SerialNumberBytes.ToArray();
        var decoded = HeartbeatKeyResponse.Decode(await response.Content.ReadAsByteArrayAsync(TestContext.CancellationToken), serial);
        CollectionAssert.AreEqual(HeartbeatKeyDerivation.Derive(gateway.HeartbeatSecretBytes, "dev-hb", serial), decoded.GetKey());
        Assert.AreEqual((ulong)new DateTimeOffset(operational.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), decoded.NotAfterUnixSeconds);

        // A repeated fetch with the same certificate gives the same key (the same epoch).
        using var again = await client.PostAsync(HeartbeatKeyExchange.Path, null, TestContext.CancellationToken);
        CollectionAssert.AreEqual(decoded.GetKey(), HeartbeatKeyResponse.Decode(await again.Content.ReadAsByteArrayAsync(TestContext.CancellationToken), serial).GetKey());
    }

    [TestMethod]
    public async Task HeartbeatKeyRefusesBirthCertificatesBodiesAndOtherMethods()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var birth = gateway.Register("dev-hb-refused")["dev-hb-refused"];
        using var withBirth = gateway.Client(birth);
        using (var response = await withBirth.PostAsync(HeartbeatKeyExchange.Path, null, TestContext.CancellationToken))
        {
            await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "operational-certificate-required");
        }

        using var operational = await gateway.EnrolAsync("dev-hb-refused", birth);
        using var client = gateway.Client(operational);
        using (var response = await client.PostAsync(HeartbeatKeyExchange.Path, new StringContent("hello"), TestContext.CancellationToken))
        {
            await EstAssert.RefusedAsync(response, HttpStatusCode.BadRequest, "unexpected-body");
        }

        using (var response = await client.GetAsync(HeartbeatKeyExchange.Path, TestContext.CancellationToken))
        {
            await EstAssert.RefusedAsync(response, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
            Assert.AreEqual("POST", string.Join(",", response.Content.Headers.Allow));
        }
    }

    [TestMethod]
    public void SealedSecretIsCreatedOnceAndUnavailableWhileTheTamperLatchIsSet()
    {
        var directory = TempDirectory.Create("iotsec-hb-secret");
        try
        {
            var sealer = new SoftwareSecretSealer(System.IO.Path.Combine(directory, "keys"));
            var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
            var serial = new byte[] { 0x01, 0x02, 0x03 };
            byte[] before;
            using (var first = HeartbeatSecret.Open(sealer, time))
            {
                Assert.IsTrue(first.Created);
                before = first.DeriveKey("dev-a", serial);
            }

            sealer.MarkTampered();
            using var secret = HeartbeatSecret.Open(sealer, time);
            Assert.IsFalse(secret.Created, "the secret is made at the first start only");
            Assert.IsNotNull(secret.UnavailableReason);
            Assert.ThrowsExactly<SecretSealedException>(() => secret.DeriveKey("dev-a", serial));

            // Re-armed: available again without a restart, once the retry interval has passed.
            sealer.Rearm();
            Assert.ThrowsExactly<SecretSealedException>(() => secret.DeriveKey("dev-a", serial));
            time.Advance(HeartbeatSecret.RetryInterval);
            CollectionAssert.AreEqual(before, secret.DeriveKey("dev-a", serial));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }
}
