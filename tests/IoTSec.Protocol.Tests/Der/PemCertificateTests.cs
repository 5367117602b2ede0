using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>PEM certificate blocks (RFC 7468) to DER, checked against .NET's PEM writer.</summary>
[TestClass]
public sealed class PemCertificateTests
{
    [TestMethod]
    public void ExportCertificatePem_RoundTrips()
    {
        var der = TestCertificates.EcDevice();
        using var certificate = X509CertificateLoader.LoadCertificate(der);

        CollectionAssert.AreEqual(der, PemCertificate.ExtractDer(certificate.ExportCertificatePem()));
    }

    [TestMethod]
    public void ExplanatoryText_OtherBlocks_CrLfAndUnwrappedBase64_AreAccepted()
    {
        var der = DerCorpus.Read("seed-rsa2048-selfsigned.bin");
        var pem = "Subject: CN=gateway.example\r\n"
            + "-----BEGIN PRIVATE KEY-----\r\nAAAA\r\n-----END PRIVATE KEY-----\r\n"
            + PemCertificate.BeginMarker + "\r\n" + Convert.ToBase64String(der) + "\r\n" + PemCertificate.EndMarker + "\r\n";

        CollectionAssert.AreEqual(der, PemCertificate.ExtractDer(pem));
    }

    [TestMethod]
    public void FirstOfSeveralCertificates_IsTaken()
    {
        var first = DerCorpus.Read("seed-ecdsa-p256-device.bin");
        var second = DerCorpus.Read("seed-rsa2048-selfsigned.bin");
        var pem = new string(PemEncoding.Write("CERTIFICATE", first)) + "\n" + new string(PemEncoding.Write("CERTIFICATE", second));

        CollectionAssert.AreEqual(first, PemCertificate.ExtractDer(pem));
    }

    [TestMethod]
    public void AsciiBytesWithTrailingNul_AsNanoFrameworksTlsApiWantsThem_AreAccepted()
    {
        var der = DerCorpus.Read("seed-ecdsa-p256-device.bin");
        var bytes = Encoding.ASCII.GetBytes(new string(PemEncoding.Write("CERTIFICATE", der)) + "\n\0");

        CollectionAssert.AreEqual(der, PemCertificate.ExtractDer(bytes));
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(4)]
    [DataRow(5)]
    public void EveryPaddingLength_DecodesAsDotNetDoes(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        CollectionAssert.AreEqual(data, PemCertificate.ExtractDer(new string(PemEncoding.Write("CERTIFICATE", data))));
    }

    [TestMethod]
    [DataRow("no markers at all")]
    [DataRow("-----BEGIN CERTIFICATE-----\nMIIB\n")] // no end line
    [DataRow("-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nMIIB\n")] // end before begin
    [DataRow("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n")] // another label
    [DataRow("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")] // empty
    [DataRow("-----BEGIN CERTIFICATE-----\n \r\n\t\n-----END CERTIFICATE-----\n")] // only whitespace
    [DataRow("-----BEGIN CERTIFICATE-----\nMIIB*A==\n-----END CERTIFICATE-----\n")] // not Base64
    [DataRow("-----BEGIN CERTIFICATE-----\nMIIBA\n-----END CERTIFICATE-----\n")] // length not a multiple of 4
    [DataRow("-----BEGIN CERTIFICATE-----\nMIIBAA\n-----END CERTIFICATE-----\n")] // padding missing
    [DataRow("-----BEGIN CERTIFICATE-----\nMI==AAAA\n-----END CERTIFICATE-----\n")] // data after padding
    [DataRow("-----BEGIN CERTIFICATE-----\nM===\n-----END CERTIFICATE-----\n")] // three '='
    [DataRow("-----BEGIN CERTIFICATE-----\nMIIB\u00E9AAA\n-----END CERTIFICATE-----\n")] // non-ASCII
    public void Garbage_IsInvalidPem(string pem)
    {
        var e = Assert.ThrowsExactly<DerException>(() => PemCertificate.ExtractDer(pem));

        Assert.AreEqual(DerError.InvalidPem, e.Reason);
    }

    [TestMethod]
    public void NonAsciiBytes_AreInvalidPem_WithTheirOffset()
    {
        var bytes = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        bytes[29] = 0xC3;

        var e = Assert.ThrowsExactly<DerException>(() => PemCertificate.ExtractDer(bytes));

        Assert.AreEqual(DerError.InvalidPem, e.Reason);
        Assert.AreEqual(29, e.Offset);
    }

    [TestMethod]
    public void ParsePem_OfGarbageInsideValidBase64_IsADerError()
    {
        var pem = new string(PemEncoding.Write("CERTIFICATE", [0x30, 0x80, 0x00, 0x00]));

        Assert.AreEqual(DerError.IndefiniteLength, Assert.ThrowsExactly<DerException>(() => IoTSec.Protocol.Der.X509CertificateInfo.ParsePem(pem)).Reason);
    }

    [TestMethod]
    public void NullInput_IsAnArgumentError()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => PemCertificate.ExtractDer((string)null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => PemCertificate.ExtractDer((byte[])null!));
    }
}
