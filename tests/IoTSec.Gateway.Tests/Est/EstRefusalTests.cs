using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Est;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>
/// Every refusal the issue names, over real mutual TLS: refused at the TLS handshake when the
/// certificate alone condemns the client, else a typed text/plain problem with its status.
/// </summary>
[TestClass]
public sealed class EstRefusalTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task UnknownDeviceGets404()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        using var unregistered = gateway.Birth.Issue("dev-unknown");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = gateway.Client(unregistered);

        using var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-unknown", key)), TestContext.CancellationToken);

        await EstAssert.RefusedAsync(response, HttpStatusCode.NotFound, "unknown-device");
    }

    [TestMethod]
    public async Task RevokedDeviceIsRefusedAtTlsBeforeAndAfterEnrolment()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var births = gateway.Register("dev-revoked-early", "dev-revoked-late");
        using var operational = await gateway.EnrolAsync("dev-revoked-late", births["dev-revoked-late"]);
        gateway.Inventory.Revoke("dev-revoked-early", "lost in transit");
        gateway.Inventory.Revoke("dev-revoked-late", "stolen");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var early = gateway.Client(births["dev-revoked-early"]);
        await EstAssert.RefusedAtTlsAsync(() => early.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-revoked-early", key))));
        using var lateBirth = gateway.Client(births["dev-revoked-late"]);
        await EstAssert.RefusedAtTlsAsync(() => lateBirth.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-revoked-late", key))));
        using var lateOperational = gateway.Client(operational);
        await EstAssert.RefusedAtTlsAsync(() => lateOperational.PostAsync(EstProtocol.SimpleReenrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-revoked-late", key))));

        var reasons = FlushRefusals(gateway);
        Assert.AreEqual(3L, reasons.Values.Sum());
        Assert.IsTrue(reasons.Keys.All(code => code is "device-revoked" or "certificate-revoked"), string.Join(", ", reasons.Keys));
    }

    [TestMethod]
    public async Task CertificateFromAnotherCaIsRefusedAtTlsEvenWhenItsFingerprintIsRegistered()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        using var stranger = TestBirthAuthority.Create("Rogue Station CA");
        var births = gateway.Register(["dev-rogue"], id => stranger.Issue(id));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = gateway.Client(births["dev-rogue"]);

        await EstAssert.RefusedAtTlsAsync(() => client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-rogue", key))));

        Assert.AreEqual(1L, FlushRefusals(gateway).GetValueOrDefault("untrusted-certificate"));
    }

    [TestMethod]
    public async Task ExpiredBirthCertificateIsRefusedAtTls()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var births = gateway.Register(["dev-expired"], id => gateway.Birth.Issue(id, DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddDays(-1)));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = gateway.Client(births["dev-expired"]);

        await EstAssert.RefusedAtTlsAsync(() => client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-expired", key))));

        Assert.AreEqual(1L, FlushRefusals(gateway).GetValueOrDefault("certificate-outside-validity"));
    }

    [TestMethod]
    public async Task SecondConcurrentEnrolmentOfOneDeviceGets409AndAnImmediateThirdGets429()
    {
        await using var gateway = await EstTestGateway.StartAsync(options => options.EnrolmentInterval = TimeSpan.FromSeconds(30));
        var birth = gateway.Register("dev-twice")["dev-twice"];
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = Encoding.ASCII.GetBytes(Convert.ToBase64String(EstTestGateway.Csr("dev-twice", key)));

        // The first request sends its head and half its CSR, like a slow device, and waits.
        await using var slow = await RawEstConnection.OpenAsync(gateway, birth, TestContext.CancellationToken);
        await slow.SendHeadAsync("POST", EstProtocol.SimpleEnrollPath, new Dictionary<string, string>
        {
            ["Content-Type"] = EstProtocol.Pkcs10MediaType,
            ["Content-Length"] = body.Length.ToString(CultureInfo.InvariantCulture),
        }, TestContext.CancellationToken);
        await slow.SendAsync(body[..(body.Length / 2)], TestContext.CancellationToken);
        await WaitUntilAsync(() => gateway.Get<EnrolmentGuard>().InFlight == 1);

        using var client = gateway.Client(birth);
        using (var second = await client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-twice", key)), TestContext.CancellationToken))
        {
            await EstAssert.RefusedAsync(second, HttpStatusCode.Conflict, "enrolment-in-progress");
        }

        await slow.SendAsync(body[(body.Length / 2)..], TestContext.CancellationToken);
        var first = await slow.ReadResponseAsync(TestContext.CancellationToken);
        Assert.AreEqual(200, first.Status, first.Body);
        Assert.AreEqual(1, gateway.Inventory.ListCertificates("dev-twice").Count(c => c.Kind == Core.Inventory.CertificateKind.Operational));

        using var third = await client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-twice", key)), TestContext.CancellationToken);
        await EstAssert.RefusedAsync(third, HttpStatusCode.TooManyRequests, "rate-limited");
        var retryAfter = third.Headers.RetryAfter?.Delta;
        Assert.IsNotNull(retryAfter);
        Assert.IsTrue(retryAfter > TimeSpan.FromSeconds(20) && retryAfter <= TimeSpan.FromSeconds(30), retryAfter.ToString());
    }

    [TestMethod]
    public async Task MalformedCsrGets400()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var birth = gateway.Register("dev-malformed")["dev-malformed"];
        using var client = gateway.Client(birth);

        foreach (var body in new[] { Convert.ToBase64String("not a certificate request"u8), "%%% not base64 %%%", string.Empty })
        {
            using var content = new StringContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(EstProtocol.Pkcs10MediaType);
            using var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, content, TestContext.CancellationToken);
            await EstAssert.RefusedAsync(response, HttpStatusCode.BadRequest, "malformed-request");
        }

        // A DER request sent raw instead of base64 is refused too, not guessed at.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var binary = new ByteArrayContent(EstTestGateway.Csr("dev-malformed", key));
        binary.Headers.ContentType = new MediaTypeHeaderValue(EstProtocol.Pkcs10MediaType);
        using var raw = await client.PostAsync(EstProtocol.SimpleEnrollPath, binary, TestContext.CancellationToken);
        await EstAssert.RefusedAsync(raw, HttpStatusCode.BadRequest, "malformed-request");
    }

    [TestMethod]
    public async Task CsrWhoseKeyDoesNotMatchItsSignatureGets400()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var birth = gateway.Register("dev-pop")["dev-pop"];
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = EstTestGateway.Csr("dev-pop", signer);

        // Same length (P-256 SPKI, 91 bytes): the DER stays well formed, only the key changes.
        var signerKey = signer.ExportSubjectPublicKeyInfo();
        var at = csr.AsSpan().IndexOf(signerKey);
        Assert.IsGreaterThanOrEqualTo(0, at);
        other.ExportSubjectPublicKeyInfo().CopyTo(csr, at);
        using var client = gateway.Client(birth);

        using var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(csr), TestContext.CancellationToken);

        await EstAssert.RefusedAsync(response, HttpStatusCode.BadRequest, "csr-signature-invalid");
        Assert.IsNull(gateway.Inventory.GetActiveOperationalCertificate("dev-pop"));
    }

    [TestMethod]
    public async Task CsrForAnotherDeviceGets403()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var birth = gateway.Register("dev-honest")["dev-honest"];
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = gateway.Client(birth);

        using var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-victim", key)), TestContext.CancellationToken);

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "subject-mismatch");
    }

    [TestMethod]
    public async Task ReenrolWithTheBirthCertificateAndEnrolWithTheOperationalOneGet403()
    {
        await using var gateway = await EstTestGateway.StartAsync(options => options.EnrolmentInterval = TimeSpan.Zero);
        var birth = gateway.Register("dev-kinds")["dev-kinds"];
        using var operational = await gateway.EnrolAsync("dev-kinds", birth);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var withBirth = gateway.Client(birth);
        using var reenrol = await withBirth.PostAsync(EstProtocol.SimpleReenrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-kinds", key)), TestContext.CancellationToken);
        await EstAssert.RefusedAsync(reenrol, HttpStatusCode.Forbidden, "operational-certificate-required");

        using var withOperational = gateway.Client(operational);
        using var enrol = await withOperational.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-kinds", key)), TestContext.CancellationToken);
        await EstAssert.RefusedAsync(enrol, HttpStatusCode.Forbidden, "birth-certificate-required");
    }

    [TestMethod]
    public async Task WrongMediaTypeOversizedBodyAndWrongMethodGetTheirStatus()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var birth = gateway.Register("dev-http")["dev-http"];
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = gateway.Client(birth);

        using var json = new StringContent(Convert.ToBase64String(EstTestGateway.Csr("dev-http", key)), Encoding.ASCII, "application/json");
        using (var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, json, TestContext.CancellationToken))
        {
            await EstAssert.RefusedAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        }

        using var huge = new StringContent(new string('A', 64 * 1024));
        huge.Headers.ContentType = new MediaTypeHeaderValue(EstProtocol.Pkcs10MediaType);
        using (var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, huge, TestContext.CancellationToken))
        {
            await EstAssert.RefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        }

        using (var response = await client.GetAsync(EstProtocol.SimpleEnrollPath, TestContext.CancellationToken))
        {
            await EstAssert.RefusedAsync(response, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
            Assert.AreEqual("POST", string.Join(",", response.Content.Headers.Allow));
        }
    }

    [TestMethod]
    public async Task RefusalsFromOneSourceBecomeOneAuditEntryPerInterval()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        for (var i = 0; i < 25; i++)
        {
            using var unregistered = gateway.Birth.Issue("dev-flood-" + i.ToString(CultureInfo.InvariantCulture));
            using var client = gateway.Client(unregistered);
            using var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("x", key)), TestContext.CancellationToken);
            Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        }

        var before = gateway.Audit.List().Count;
        Assert.AreEqual(1, gateway.Get<RefusalAuditor>().Flush());

        var entries = gateway.Audit.List(kind: nameof(AuditEventKind.EnrolmentRefused));
        Assert.HasCount(1, entries);
        Assert.AreEqual(before + 1, gateway.Audit.List().Count);
        Assert.AreEqual("127.0.0.1", entries[0].Subject);
        var details = JsonNode.Parse(entries[0].Details)!;
        Assert.AreEqual(25, details["count"]!.GetValue<long>());
        Assert.AreEqual(25, details["reasons"]!["unknown-device"]!.GetValue<long>());
        Assert.IsTrue(gateway.Audit.Verify().FirstProblem is null);
    }

    private static Dictionary<string, long> FlushRefusals(EstTestGateway gateway)
    {
        gateway.Get<RefusalAuditor>().Flush();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in gateway.Audit.List(kind: nameof(AuditEventKind.EnrolmentRefused)))
        {
            foreach (var (code, count) in JsonNode.Parse(entry.Details)!["reasons"]!.AsObject())
            {
                totals[code] = totals.GetValueOrDefault(code) + count!.GetValue<long>();
            }
        }

        return totals;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
