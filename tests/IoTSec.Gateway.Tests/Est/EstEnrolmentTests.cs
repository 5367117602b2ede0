using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Est;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>Enrolment, renewal and cacerts over real mutual TLS against the in-process EST service.</summary>
[TestClass]
public sealed class EstEnrolmentTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task CaCertsReturnsTheRootAndTheIntermediateAsCertsOnly()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var births = gateway.Register("dev-cacerts");
        using var client = gateway.Client(births["dev-cacerts"]);

        using var response = await client.GetAsync(EstProtocol.CaCertsPath, TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(EstProtocol.Pkcs7MediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual("base64", response.Headers.GetValues(EstProtocol.TransferEncodingHeader).Single());
        var certificates = EstResponses.Certificates(await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        CollectionAssert.AreEquivalent(
            new[] { gateway.Root.Thumbprint, gateway.Intermediate.Thumbprint },
            certificates.Select(c => c.Thumbprint).ToArray());
    }

    [TestMethod]
    public async Task FirstEnrolmentIssuesAnOperationalCertificateAndRecordsIt()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var births = gateway.Register("dev-enrol");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = gateway.Client(births["dev-enrol"]);

        using var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-enrol", key)), TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        Assert.AreEqual("application/pkcs7-mime; smime-type=certs-only", response.Content.Headers.ContentType!.ToString());
        using var issued = EstResponses.SingleCertificate(await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        Assert.AreEqual("CN=dev-enrol", issued.Subject);
        Assert.AreEqual(gateway.Intermediate.Subject, issued.Issuer);
        CollectionAssert.AreEqual(key.ExportSubjectPublicKeyInfo(), issued.PublicKey.ExportSubjectPublicKeyInfo());

        var active = gateway.Inventory.GetActiveOperationalCertificate("dev-enrol");
        Assert.IsNotNull(active);
        Assert.AreEqual(ClientIdentity.Fingerprint(issued), active.Sha256);
        Assert.AreEqual(DeviceState.Enrolled, gateway.Inventory.Get("dev-enrol").State);
        var certificates = gateway.Inventory.ListCertificates("dev-enrol");
        Assert.IsTrue(certificates.Any(c => c.Kind == CertificateKind.Birth), "the birth certificate is recorded so a revocation covers it");
        var enrolment = gateway.Audit.List(kind: nameof(AuditEventKind.Enrolment)).Single();
        Assert.AreEqual("est", enrolment.Actor);
        Assert.AreEqual("dev-enrol", enrolment.Subject);
    }

    [TestMethod]
    public async Task RenewalWithTheOperationalCertificateSupersedesIt()
    {
        await using var gateway = await EstTestGateway.StartAsync(options => options.EnrolmentInterval = TimeSpan.Zero);
        var births = gateway.Register("dev-renew");
        using var first = await gateway.EnrolAsync("dev-renew", births["dev-renew"]);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = gateway.Client(first);

        using var response = await client.PostAsync(EstProtocol.SimpleReenrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-renew", key)), TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        using var second = EstResponses.SingleCertificate(await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        Assert.AreNotEqual(first.SerialNumber, second.SerialNumber);
        Assert.AreEqual(ClientIdentity.Fingerprint(second), gateway.Inventory.GetActiveOperationalCertificate("dev-renew")!.Sha256);
        Assert.AreEqual(CertificateStatus.Superseded, gateway.Inventory.FindCertificate(first)!.Status);

        // The superseded certificate may still connect (it is not revoked), but renews nothing.
        using var stale = gateway.Client(first);
        using var again = await stale.PostAsync(EstProtocol.SimpleReenrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-renew", key)), TestContext.CancellationToken);
        await EstAssert.RefusedAsync(again, HttpStatusCode.Forbidden, "certificate-superseded");
    }

    [TestMethod]
    public async Task TlsTwelveAndThirteenAreBothAccepted()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var births = gateway.Register("dev-tls");
        foreach (var protocol in new[] { System.Security.Authentication.SslProtocols.Tls12, System.Security.Authentication.SslProtocols.Tls13 })
        {
            using var client = gateway.Client(births["dev-tls"], protocol);
            using var response = await client.GetAsync(EstProtocol.CaCertsPath, TestContext.CancellationToken);
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, protocol.ToString());
        }
    }

    [TestMethod]
    public async Task ServerCertificateRotatesWithoutARestart()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var births = gateway.Register("dev-rotate");
        var rotator = gateway.Get<Core.Pki.ServerCertificateRotator>();

        var before = await ServerCertificateSerialAsync(gateway, births["dev-rotate"]);
        rotator.Rotate();
        var after = await ServerCertificateSerialAsync(gateway, births["dev-rotate"]);

        Assert.AreEqual(rotator.Current.SerialNumber, after);
        Assert.AreNotEqual(before, after);
    }

    private async Task<string> ServerCertificateSerialAsync(EstTestGateway gateway, X509Certificate2 clientCertificate)
    {
        string? serial = null;
        var tls = gateway.ClientTls(clientCertificate);
        tls.CertificateChainPolicy = null;
        var root = gateway.Root;
        tls.RemoteCertificateValidationCallback = (_, certificate, presented, _) =>
        {
            using var server = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            using var chain = new X509Chain { ChainPolicy = Pki.LoopbackTls.TrustOnly(root) };
            chain.ChainPolicy.ExtraStore.AddRange(presented!.ChainPolicy.ExtraStore);
            serial = server.SerialNumber;
            return chain.Build(server);
        };
        using var client = new HttpClient(new SocketsHttpHandler { SslOptions = tls }) { BaseAddress = gateway.BaseAddress };
        using var response = await client.GetAsync(EstProtocol.CaCertsPath, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        return serial!;
    }
}
