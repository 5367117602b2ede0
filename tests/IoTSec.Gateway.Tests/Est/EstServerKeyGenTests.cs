using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Est;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>serverkeygen (RFC 7030 §4.4): the gateway makes the key, sends it once with the certificate, keeps nothing.</summary>
[TestClass]
public sealed class EstServerKeyGenTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ServerKeyGenReturnsAKeyThatMatchesTheCertificateAndStoresNeither()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var birth = gateway.Register("dev-keygen")["dev-keygen"];
        using var client = gateway.Client(birth);
        using var csrKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var response = await client.PostAsync(EstProtocol.ServerKeyGenPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-keygen", csrKey)), TestContext.CancellationToken);

        var (key, certificate, pkcs8) = await ReadAsync(response);
        using (key)
        using (certificate)
        {
            Assert.AreEqual("CN=dev-keygen", certificate.Subject);
            CollectionAssert.AreEqual(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo(), "the key is the certificate's");
            CollectionAssert.AreNotEqual(csrKey.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo(), "the CSR's key is ignored");
            using var withKey = certificate.CopyWithPrivateKey(key);
            var signature = withKey.GetECDsaPrivateKey()!.SignData("proof"u8, HashAlgorithmName.SHA256);
            Assert.IsTrue(certificate.GetECDsaPublicKey()!.VerifyData("proof"u8, signature, HashAlgorithmName.SHA256));
            Assert.AreEqual(ClientIdentity.Fingerprint(certificate), gateway.Inventory.GetActiveOperationalCertificate("dev-keygen")!.Sha256);

            // Nothing the gateway wrote (inventory, audit log, their WAL files) holds the key.
            var scalar = key.ExportParameters(includePrivateParameters: true).D!;
            foreach (var file in Directory.EnumerateFiles(gateway.Directory, "*", SearchOption.AllDirectories))
            {
                var bytes = ReadShared(file);
                Assert.AreEqual(-1, bytes.AsSpan().IndexOf(scalar), $"{file} holds the private key");
                Assert.AreEqual(-1, bytes.AsSpan().IndexOf(pkcs8), $"{file} holds the PKCS#8 key");
            }
        }
    }

    [TestMethod]
    public async Task ServerKeyGenWithoutACsrServesADeviceThatCannotMakeOne()
    {
        await using var gateway = await EstTestGateway.StartAsync(options => options.EnrolmentInterval = TimeSpan.Zero);
        var birth = gateway.Register("dev-nano")["dev-nano"];
        using var client = gateway.Client(birth);

        using var first = await client.PostAsync(EstProtocol.ServerKeyGenPath, new ByteArrayContent([]), TestContext.CancellationToken);
        var (key, certificate, _) = await ReadAsync(first);
        using var operational = certificate.CopyWithPrivateKey(key);
        key.Dispose();
        certificate.Dispose();
        Assert.AreEqual("CN=dev-nano", operational.Subject);

        // Renewal the same way, authenticated by the operational certificate just received.
        using var renewing = gateway.Client(operational);
        using var second = await renewing.PostAsync(EstProtocol.ServerKeyGenPath, new ByteArrayContent([]), TestContext.CancellationToken);
        var (newKey, renewed, _) = await ReadAsync(second);
        using (newKey)
        using (renewed)
        {
            Assert.AreEqual(ClientIdentity.Fingerprint(renewed), gateway.Inventory.GetActiveOperationalCertificate("dev-nano")!.Sha256);
            Assert.AreEqual(CertificateStatus.Superseded, gateway.Inventory.FindCertificate(operational)!.Status);
        }
    }

    private async Task<(ECDsa Key, X509Certificate2 Certificate, byte[] Pkcs8)> ReadAsync(HttpResponseMessage response)
    {
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        var contentType = MediaTypeHeaderValue.Parse(response.Content.Headers.ContentType!.ToString());
        Assert.AreEqual("multipart/mixed", contentType.MediaType.Value);
        Assert.AreEqual("no-store", response.Headers.CacheControl!.ToString());
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value!;
        var reader = new MultipartReader(boundary, await response.Content.ReadAsStreamAsync(TestContext.CancellationToken));

        var keyPart = (await reader.ReadNextSectionAsync(TestContext.CancellationToken))!;
        Assert.AreEqual(EstProtocol.Pkcs8MediaType, keyPart.ContentType);
        Assert.AreEqual("base64", keyPart.Headers![EstProtocol.TransferEncodingHeader].ToString());
        var pkcs8 = Convert.FromBase64String(await new StreamReader(keyPart.Body, Encoding.ASCII).ReadToEndAsync(TestContext.CancellationToken));
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);

        var certificatePart = (await reader.ReadNextSectionAsync(TestContext.CancellationToken))!;
        Assert.AreEqual(EstProtocol.CertsOnlyContentType, certificatePart.ContentType);
        var certificate = EstResponses.SingleCertificate(await new StreamReader(certificatePart.Body, Encoding.ASCII).ReadToEndAsync(TestContext.CancellationToken));
        Assert.IsNull(await reader.ReadNextSectionAsync(TestContext.CancellationToken), "two parts, no more");
        return (key, certificate, pkcs8);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
