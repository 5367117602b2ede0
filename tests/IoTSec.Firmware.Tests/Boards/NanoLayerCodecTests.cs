using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IoTSec.Firmware.Nano;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Boards;

/// <summary>
/// The plain-C# pieces of the nanoFramework device layer that can run here: the DER-to-PEM
/// conversion the TLS credentials go through (checked against .NET's encoder and parsers) and
/// the publish-acknowledgement record behind NanoMqttLink.Publish.
/// </summary>
[TestClass]
public sealed class NanoLayerCodecTests
{
    [TestMethod]
    public void CertificatePemIsNulTerminatedAndWhatDotNetWrites()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=device-0001", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        byte[] der = certificate.RawData;

        byte[] pem = Nano.PemEncoding.Certificate(der);

        Assert.AreEqual(0, pem[^1], "mbedTLS parses PEM only with a trailing NUL");
        Assert.AreEqual(-1, Array.IndexOf(pem, (byte)0, 0, pem.Length - 1), "exactly one NUL, at the end");
        string text = Encoding.ASCII.GetString(pem, 0, pem.Length - 1);
        Assert.AreEqual(new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", der)) + "\n", text);
        using var parsed = X509Certificate2.CreateFromPem(text);
        CollectionAssert.AreEqual(der, parsed.RawData);
    }

    [TestMethod]
    public void PrivateKeyPemRoundTripsThroughDotNet()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();

        byte[] pem = Nano.PemEncoding.PrivateKey(pkcs8);

        string text = Encoding.ASCII.GetString(pem, 0, pem.Length - 1);
        StringAssert.StartsWith(text, "-----BEGIN PRIVATE KEY-----\n");
        using var imported = ECDsa.Create();
        imported.ImportFromPem(text);
        CollectionAssert.AreEqual(key.ExportParameters(true).D, imported.ExportParameters(true).D);
    }

    [TestMethod]
    public void LongDerIsWrappedAtSixtyFourCharacters()
    {
        byte[] der = new byte[1000];
        der[0] = 0x30;
        string text = Encoding.ASCII.GetString(Nano.PemEncoding.Certificate(der)).TrimEnd('\0');
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.IsTrue(line.Length <= 64 || line.StartsWith("-----", StringComparison.Ordinal), line);
        }
    }

    [TestMethod]
    public void NonDerInputIsRefused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Nano.PemEncoding.Certificate(Encoding.ASCII.GetBytes("-----BEGIN")));
        Assert.ThrowsExactly<ArgumentException>(() => Nano.PemEncoding.PrivateKey(Array.Empty<byte>()));
    }

    [TestMethod]
    public void AcknowledgementThatArrivesBeforeTheWaitIsFound()
    {
        var acks = new PublishAcknowledgements();
        acks.Record(7, published: true);
        Assert.AreEqual(PublishAcknowledgements.Published, acks.Take(7));
        Assert.AreEqual(PublishAcknowledgements.Pending, acks.Take(7), "an outcome is taken once");
    }

    [TestMethod]
    public void FailedPublishIsReportedAndOtherIdsStayPending()
    {
        var acks = new PublishAcknowledgements();
        acks.Record(3, published: false);
        Assert.AreEqual(PublishAcknowledgements.Pending, acks.Take(4));
        Assert.AreEqual(PublishAcknowledgements.Failed, acks.Take(3));
    }

    [TestMethod]
    public void RecordIsBoundedAndKeepsTheNewest()
    {
        var acks = new PublishAcknowledgements();
        for (ushort id = 1; id <= 100; id++)
        {
            acks.Record(id, published: true);
        }

        Assert.AreEqual(PublishAcknowledgements.Pending, acks.Take(1), "old outcomes are overwritten, memory stays bounded");
        Assert.AreEqual(PublishAcknowledgements.Published, acks.Take(100));
    }
}
