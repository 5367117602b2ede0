using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>Certificates made by CertificateRequest read the same as X509Certificate2 reads them.</summary>
[TestClass]
public sealed class X509CertificateInfoTests
{
    [TestMethod]
    public void EcdsaP256DeviceCertificate_AgreesWithDotNet()
    {
        var info = DotNetAgreement.AssertAgrees(TestCertificates.EcDevice());

        Assert.AreEqual(3, info.Version);
        Assert.AreEqual("device-0001", info.SubjectCommonName);
        Assert.AreEqual("IoTSec Device CA", info.IssuerCommonName);
        Assert.AreEqual("1.2.840.10045.2.1", info.PublicKeyAlgorithmOid);
        CollectionAssert.AreEqual(DerBytes.Oid("1.2.840.10045.3.1.7"), info.PublicKeyAlgorithmParameters);
        Assert.AreEqual("1.2.840.10045.4.3.2", info.SignatureAlgorithmOid);
        Assert.IsEmpty(info.SignatureAlgorithmParameters);
        Assert.HasCount(65, info.PublicKey);
        Assert.AreEqual(0x04, info.PublicKey[0]);
        Assert.AreEqual(new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc), info.NotBefore);
        Assert.AreEqual(new DateTime(2035, 3, 1, 12, 0, 0, DateTimeKind.Utc), info.NotAfter);
        Assert.IsFalse(info.HasNoWellDefinedExpiration);
        Assert.AreEqual("0102030405060708", info.SerialNumberHex);
    }

    [TestMethod]
    public void ExtensionLookup_ReturnsRawValueAndCriticalFlag()
    {
        var info = X509CertificateInfo.Parse(TestCertificates.EcDevice());

        var basicConstraints = info.GetExtension("2.5.29.19");
        Assert.IsTrue(basicConstraints.Critical);
        CollectionAssert.AreEqual(DerBytes.Hex("3000"), basicConstraints.Value);
        var keyUsage = info.GetExtension("2.5.29.15");
        Assert.IsTrue(keyUsage.Critical);
        CollectionAssert.AreEqual(DerBytes.Hex("03020388"), keyUsage.Value);
        Assert.IsFalse(info.GetExtension("2.5.29.37").Critical);
        Assert.IsTrue(info.HasExtension("2.5.29.17"));
        Assert.IsFalse(info.HasExtension("2.5.29.35"));
        Assert.AreEqual(-1, info.IndexOfExtension("2.5.29.35"));
        Assert.ThrowsExactly<ArgumentException>(() => info.GetExtension("2.5.29.35"));
    }

    [TestMethod]
    public void CertificateWithoutExtensions_HasAnEmptyList()
    {
        var info = DotNetAgreement.AssertAgrees(TestCertificates.EcDevice(extensions: false));

        Assert.IsEmpty(info.Extensions);
        Assert.IsFalse(info.HasExtension("2.5.29.19"));
    }

    [TestMethod]
    public void Rsa2048SelfSigned_AgreesWithDotNet_AndItsSignatureVerifiesOverTheTbsBytes()
    {
        using var key = RSA.Create(2048);
        var der = TestCertificates.Rsa(key);
        var info = DotNetAgreement.AssertAgrees(der);

        Assert.AreEqual("1.2.840.113549.1.1.1", info.PublicKeyAlgorithmOid);
        CollectionAssert.AreEqual(DerBytes.Hex("0500"), info.PublicKeyAlgorithmParameters);
        Assert.AreEqual("1.2.840.113549.1.1.11", info.SignatureAlgorithmOid);
        CollectionAssert.AreEqual(DerBytes.Hex("0500"), info.SignatureAlgorithmParameters);
        CollectionAssert.AreEqual(info.Issuer, info.Subject);
        Assert.IsTrue(key.VerifyData(info.GetTbsCertificate(), info.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [TestMethod]
    public void EcdsaSignature_VerifiesOverTheTbsBytes_WithTheIssuerKey()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=device-0002", deviceKey, HashAlgorithmName.SHA256);
        var der = TestCertificates.Issue(request, new X500DistinguishedName("CN=CA"), X509SignatureGenerator.CreateForECDsa(caKey), null, null, null);

        var info = X509CertificateInfo.Parse(der);

        var tbs = new ReadOnlySpan<byte>(der, info.TbsCertificateOffset, info.TbsCertificateLength);
        Assert.IsTrue(caKey.VerifyData(tbs, info.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.IsFalse(deviceKey.VerifyData(tbs, info.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [TestMethod]
    [DataRow(new byte[] { 0x01 }, "01")]
    [DataRow(new byte[] { 0x7F }, "7F")]
    [DataRow(new byte[] { 0x80 }, "0080")]
    [DataRow(new byte[] { 0xFF, 0xFF }, "00FFFF")]
    [DataRow(new byte[] { 0x00, 0x00, 0x42 }, "42")]
    [DataRow(new byte[] { 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x12, 0x34, 0x56, 0x78 }, "123456789ABCDEF0123456789ABCDEF012345678")]
    [DataRow(new byte[] { 0x92, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x12, 0x34, 0x56, 0x78 }, "00923456789ABCDEF0123456789ABCDEF012345678")]
    public void SerialNumber_IsTheEncodedBigEndianInteger(byte[] requested, string expectedHex)
    {
        var info = DotNetAgreement.AssertAgrees(TestCertificates.EcDevice(serial: requested));

        Assert.AreEqual(expectedHex, info.SerialNumberHex);
        CollectionAssert.AreEqual(Convert.FromHexString(expectedHex), info.SerialNumber);
    }

    [TestMethod]
    [DataRow("1950-01-01T00:00:00Z", "2049-12-31T23:59:59Z")]
    [DataRow("2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z")]
    [DataRow("2050-01-01T00:00:00Z", "2200-06-15T08:30:45Z")]
    [DataRow("2000-02-29T00:00:00Z", "2400-02-29T23:59:59Z")]
    [DataRow("2025-01-01T00:00:00Z", "9999-12-31T23:59:59Z")]
    public void Validity_UtcTimeBefore2050_GeneralizedTimeFrom2050_AgreesWithDotNet(string notBefore, string notAfter)
    {
        var nb = DateTimeOffset.Parse(notBefore, System.Globalization.CultureInfo.InvariantCulture);
        var na = DateTimeOffset.Parse(notAfter, System.Globalization.CultureInfo.InvariantCulture);

        var info = DotNetAgreement.AssertAgrees(TestCertificates.EcDevice(notBefore: nb, notAfter: na));

        Assert.AreEqual(nb.UtcDateTime, info.NotBefore);
        Assert.AreEqual(na.UtcDateTime, info.NotAfter);
        Assert.AreEqual(na.Year == 9999, info.HasNoWellDefinedExpiration);
    }

    [TestMethod]
    [DataRow("CN=device-0001", "device-0001")]
    [DataRow("O=IoTSec, C=DE", "")]
    [DataRow("", "")]
    [DataRow("CN=first, OU=Fleet, CN=second", "first")]
    [DataRow("CN=Ünïcødé Gerät 設備", "Ünïcødé Gerät 設備")]
    [DataRow("CN=emoji 🔐 device", "emoji 🔐 device")]
    public void SubjectCommonName_IsTheMostSpecificCn_OrEmpty(string subject, string expected)
    {
        // X500DistinguishedName's text form lists the most specific RDN first: "CN=first, ..., CN=second"
        // encodes "second" first and "first" last.
        var info = DotNetAgreement.AssertAgrees(TestCertificates.EcDevice(subject: subject));

        Assert.AreEqual(expected, info.SubjectCommonName);
    }

    [TestMethod]
    [DataRow(System.Formats.Asn1.UniversalTagNumber.PrintableString, "device 01")]
    [DataRow(System.Formats.Asn1.UniversalTagNumber.IA5String, "device@example")]
    [DataRow(System.Formats.Asn1.UniversalTagNumber.BMPString, "Gerät 設備")]
    [DataRow(System.Formats.Asn1.UniversalTagNumber.T61String, "device-t61")]
    [DataRow(System.Formats.Asn1.UniversalTagNumber.NumericString, "0042 17")]
    [DataRow(System.Formats.Asn1.UniversalTagNumber.UTF8String, "ütf8")]
    public void CommonName_InEachStringType_AgreesWithDotNet(System.Formats.Asn1.UniversalTagNumber type, string value)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName("IoTSec");
        name.Add("2.5.4.3", value, type);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        var der = TestCertificates.Issue(request, request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), null, null, null);

        var info = DotNetAgreement.AssertAgrees(der);

        Assert.AreEqual(value, info.SubjectCommonName);
    }

    [TestMethod]
    public void ParsePem_ReadsWhatExportCertificatePemWrites()
    {
        var der = TestCertificates.EcDevice();
        using var certificate = X509CertificateLoader.LoadCertificate(der);

        var info = X509CertificateInfo.ParsePem("subject=device-0001\n" + certificate.ExportCertificatePem() + "\n");

        CollectionAssert.AreEqual(der, info.RawData);
        Assert.AreEqual("device-0001", info.SubjectCommonName);
    }

    [TestMethod]
    public void Parse_NullInput_IsAnArgumentError()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => X509CertificateInfo.Parse(null!));
    }
}
