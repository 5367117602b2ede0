using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IoTSec.Firmware.Enrolment;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Enrolment;

/// <summary>The serverkeygen body (multipart/mixed, RFC 7030 §4.4.2) and the key-to-certificate check.</summary>
[TestClass]
public sealed class ServerKeyGenResponseTests
{
    private const string Type = "multipart/mixed; boundary=\"b-1\"";

    [TestMethod]
    public void PartsAreFoundInEitherOrderWithOrWithoutTransferEncoding()
    {
        string body = "preamble\r\n--b-1\r\nContent-Type: application/pkcs7-mime; smime-type=certs-only\r\n\r\nAQID\r\n--b-1  \r\ncontent-type: APPLICATION/PKCS8\r\nContent-Transfer-Encoding: BASE64\r\n\r\nBAUG\r\nBwg=\r\n--b-1--\r\nepilogue";
        var parsed = ServerKeyGenResponse.Parse(Type, Encoding.ASCII.GetBytes(body));
        CollectionAssert.AreEqual(new byte[] { 4, 5, 6, 7, 8 }, parsed.PrivateKey);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, parsed.CertsOnly);
    }

    [TestMethod]
    [DataRow("text/plain", "--b-1--\r\n", DisplayName = "not multipart")]
    [DataRow("multipart/mixed", "--b-1--\r\n", DisplayName = "no boundary parameter")]
    [DataRow(Type, "no delimiter at all", DisplayName = "no boundary line")]
    [DataRow(Type, "--b-1\r\nContent-Type: application/pkcs8\r\n\r\nAQID\r\n--b-1--\r\n", DisplayName = "certificate part missing")]
    [DataRow(Type, "--b-1\r\nContent-Type: application/pkcs8\r\n\r\nAQID\r\n--b-1\r\nContent-Type: application/pkcs8\r\n\r\nAQID\r\n--b-1--\r\n", DisplayName = "key part twice")]
    [DataRow(Type, "--b-1\r\nContent-Type: application/pkcs8\r\n\r\nAQ*D\r\n--b-1\r\nContent-Type: application/pkcs7-mime\r\n\r\nAQID\r\n--b-1--\r\n", DisplayName = "not base64")]
    [DataRow(Type, "--b-1\r\nContent-Type: application/pkcs8\r\n\r\nAQ=D\r\n--b-1\r\nContent-Type: application/pkcs7-mime\r\n\r\nAQID\r\n--b-1--\r\n", DisplayName = "padding inside")]
    [DataRow(Type, "--b-1\r\nContent-Type: application/pkcs8\r\nContent-Transfer-Encoding: binary\r\n\r\nAQID\r\n--b-1\r\nContent-Type: application/pkcs7-mime\r\n\r\nAQID\r\n--b-1--\r\n", DisplayName = "binary part")]
    [DataRow(Type, "--b-1\r\nContent-Type: application/pkcs8\r\n\r\nAQID\r\n", DisplayName = "never closed")]
    [DataRow(Type, "--b-1\r\nContent-Type: application/json\r\n\r\nAQID\r\n--b-1--\r\n", DisplayName = "foreign part")]
    public void MalformedBodiesAreRefused(string contentType, string body)
    {
        var refused = Assert.ThrowsExactly<EnrolmentException>(() => ServerKeyGenResponse.Parse(contentType, Encoding.ASCII.GetBytes(body)));
        Assert.AreEqual(EnrolmentFailure.ResponseMalformed, refused.Reason, refused.Message);
        Assert.IsTrue(refused.IsTransient);
    }

    [TestMethod]
    public void AKeyThatIsNotTheCertificatesIsRefused()
    {
        using var certificateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherCurve = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var certificate = new CertificateRequest("CN=dev-x", certificateKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        EnrolmentClient.CheckKeyBelongsTo(certificateKey.ExportPkcs8PrivateKey(), certificate.RawData);
        Assert.AreEqual(EnrolmentFailure.CertificateMismatch, Assert.ThrowsExactly<EnrolmentException>(() => EnrolmentClient.CheckKeyBelongsTo(otherKey.ExportPkcs8PrivateKey(), certificate.RawData)).Reason);
        Assert.AreEqual(EnrolmentFailure.CertificateMismatch, Assert.ThrowsExactly<EnrolmentException>(() => EnrolmentClient.CheckKeyBelongsTo(otherCurve.ExportPkcs8PrivateKey(), certificate.RawData)).Reason);
        using var rsa = RSA.Create(2048);
        Assert.AreEqual(EnrolmentFailure.CertificateMismatch, Assert.ThrowsExactly<EnrolmentException>(() => EnrolmentClient.CheckKeyBelongsTo(rsa.ExportPkcs8PrivateKey(), certificate.RawData)).Reason);
    }

    [TestMethod]
    public void StoredCredentialsSurviveReopenAndABadRecordCountsAsNone()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=dev-store", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        string directory = System.IO.Directory.CreateTempSubdirectory("iotsec-fw-cred-").FullName;
        try
        {
            var flash = new Host.Platform.DirectoryFlashStore(directory, 1 << 20);
            Assert.IsNull(OperationalCredentials.Load(flash));
            var credentials = new OperationalCredentials(certificate.RawData, key.ExportPkcs8PrivateKey(), null, null).WithHeartbeatKey(new byte[32], new byte[8]);
            credentials.Save(flash);
            var loaded = OperationalCredentials.Load(new Host.Platform.DirectoryFlashStore(directory, 1 << 20))!;
            CollectionAssert.AreEqual(credentials.Certificate, loaded.Certificate);
            Assert.IsTrue(loaded.HasHeartbeatKey);
            Assert.AreEqual("dev-store", loaded.SubjectCommonName);
            Assert.AreEqual(new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), loaded.NotAfterUnixSeconds);

            // A record in a format this firmware does not know: enrol again rather than guess.
            new IoTSec.Firmware.Storage.RecordStore(flash, OperationalCredentials.RecordName).Write([9, 9, 9]);
            Assert.IsNull(OperationalCredentials.Load(flash));
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
