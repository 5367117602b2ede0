using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Tests.Est;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>
/// The CRL the gateway serves at GET /crl: signed by the gateway's CA key, regenerated when a
/// revocation is committed, and read by OpenSSL as a foreign relying party would.
/// </summary>
[TestClass]
public sealed class RevocationListTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task TheServedCrlListsARevokedDeviceAndOpenSslVerifiesItAndRefusesTheCertificate()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var births = gateway.Register("crl-good", "crl-bad");
        using var good = await gateway.EnrolAsync("crl-good", births["crl-good"]);
        using var bad = await gateway.EnrolAsync("crl-bad", births["crl-bad"]);
        using var client = gateway.Client(good);

        var before = await FetchAsync(client);
        Assert.IsEmpty(before.Entries, "nothing revoked yet");

        gateway.Inventory.Revoke("crl-bad", "key compromise suspected", "test");
        var after = await FetchAsync(client);

        Assert.HasCount(1, after.Entries);
        Assert.AreEqual(bad.SerialNumber, Convert.ToHexString(after.Entries[0]), "the revoked device's operational certificate");
        Assert.IsTrue(after.Number > before.Number, "CRL numbers only grow");

        var work = TempDirectory.Create("iotsec-crl");
        try
        {
            var crlPath = Path.Combine(work, "gateway.crl");
            File.WriteAllText(crlPath, PemEncoding.WriteString("X509 CRL", after.Der) + "\n");
            var chain = Path.Combine(work, "chain.pem");
            File.WriteAllText(chain, gateway.Root.ExportCertificatePem() + "\n" + gateway.Intermediate.ExportCertificatePem() + "\n");
            var badPath = Path.Combine(work, "bad.pem");
            File.WriteAllText(badPath, bad.ExportCertificatePem());
            var goodPath = Path.Combine(work, "good.pem");
            File.WriteAllText(goodPath, good.ExportCertificatePem());

            var signature = OpenSslTool.Run("crl", "-in", crlPath, "-CAfile", chain, "-noout", "-verify");
            Assert.AreEqual(0, signature.ExitCode, signature.Output);
            StringAssert.Contains(signature.Output, "verify OK");

            var revoked = OpenSslTool.Run("verify", "-crl_check", "-CAfile", chain, "-CRLfile", crlPath, badPath);
            Assert.AreNotEqual(0, revoked.ExitCode, revoked.Output);
            StringAssert.Contains(revoked.Output, "certificate revoked");

            var accepted = OpenSslTool.Run("verify", "-crl_check", "-CAfile", chain, "-CRLfile", crlPath, goodPath);
            Assert.AreEqual(0, accepted.ExitCode, accepted.Output);
        }
        finally
        {
            TempDirectory.Delete(work);
        }
    }

    [TestMethod]
    public async Task TheCrlIsSignedOnlyWhenRevocationsChangeAndNeedsAnAcceptedClient()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var births = gateway.Register("crl-cache");
        var publisher = gateway.Get<RevocationListPublisher>();
        using var birthClient = gateway.Client(births["crl-cache"]);

        _ = await FetchAsync(birthClient);
        _ = await FetchAsync(birthClient);
        Assert.AreEqual(1, publisher.Builds, "an unchanged CRL is not signed again");

        using var wrongMethod = await birthClient.PostAsync(EstProtocol.CrlPath, null, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);

        using var stranger = TestHierarchy.Create(gatewayName: "gw-stranger");
        using var foreign = stranger.IssueDevice("intruder");
        using var foreignClient = gateway.Client(foreign);
        await Assert.ThrowsAsync<HttpRequestException>(() => foreignClient.GetAsync(EstProtocol.CrlPath, TestContext.CancellationToken));
    }

    private async Task<(byte[] Der, BigInteger Number, List<byte[]> Entries)> FetchAsync(HttpClient client)
    {
        using var response = await client.GetAsync(EstProtocol.CrlPath, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        Assert.AreEqual(EstProtocol.CrlMediaType, response.Content.Headers.ContentType!.MediaType);
        var der = await response.Content.ReadAsByteArrayAsync(TestContext.CancellationToken);
        _ = CertificateRevocationListBuilder.Load(der, out var number);
        return (der, number, RevokedSerials(der));
    }

    // tbsCertList: version, signature, issuer, thisUpdate, nextUpdate, revokedCertificates? (RFC 5280 5.1).
    private static List<byte[]> RevokedSerials(byte[] der)
    {
        var tbs = new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        tbs.ReadInteger();
        tbs.ReadSequence();
        tbs.ReadSequence();
        tbs.ReadUtcTime();
        tbs.ReadUtcTime();
        var serials = new List<byte[]>();
        if (tbs.HasData && tbs.PeekTag().TagValue == (int)UniversalTagNumber.Sequence && !tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                serials.Add(entry.ReadIntegerBytes().ToArray());
            }
        }

        return serials;
    }
}
