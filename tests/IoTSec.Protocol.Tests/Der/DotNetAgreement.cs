using System;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>Checks every field <see cref="X509CertificateInfo"/> reads against .NET's X509Certificate2 and AsnReader.</summary>
internal static class DotNetAgreement
{
    public static X509CertificateInfo AssertAgrees(byte[] der)
    {
        var info = X509CertificateInfo.Parse(der);
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        string context = " (certificate " + Convert.ToHexString(der) + ")";

        Assert.AreSame(der, info.RawData);
        Assert.AreEqual(certificate.Version, info.Version, "version" + context);

        // SerialNumberBytes is big-endian as encoded; GetSerialNumber() is little-endian; SerialNumber is hex.
        CollectionAssert.AreEqual(certificate.SerialNumberBytes.ToArray(), info.SerialNumber, "serial" + context);
        var littleEndian = certificate.GetSerialNumber();
        Array.Reverse(littleEndian);
        CollectionAssert.AreEqual(littleEndian, info.SerialNumber, "serial (reversed GetSerialNumber)" + context);
        Assert.AreEqual(certificate.SerialNumber, info.SerialNumberHex, "serial hex" + context);

        Assert.AreEqual(certificate.NotBefore.ToUniversalTime(), info.NotBefore, "notBefore" + context);
        Assert.AreEqual(certificate.NotAfter.ToUniversalTime(), info.NotAfter, "notAfter" + context);
        Assert.AreEqual(DateTimeKind.Utc, info.NotBefore.Kind);
        Assert.AreEqual(DateTimeKind.Utc, info.NotAfter.Kind);

        CollectionAssert.AreEqual(certificate.IssuerName.RawData, info.Issuer, "issuer" + context);
        CollectionAssert.AreEqual(certificate.SubjectName.RawData, info.Subject, "subject" + context);
        Assert.AreEqual(LastCommonName(certificate.IssuerName), info.IssuerCommonName, "issuer CN" + context);
        Assert.AreEqual(LastCommonName(certificate.SubjectName), info.SubjectCommonName, "subject CN" + context);

        CollectionAssert.AreEqual(certificate.PublicKey.ExportSubjectPublicKeyInfo(), info.SubjectPublicKeyInfo, "SPKI" + context);
        CollectionAssert.AreEqual(certificate.PublicKey.EncodedKeyValue.RawData, info.PublicKey, "public key" + context);
        Assert.AreEqual(certificate.PublicKey.Oid.Value, info.PublicKeyAlgorithmOid, "key algorithm" + context);
        CollectionAssert.AreEqual(certificate.PublicKey.EncodedParameters?.RawData ?? [], info.PublicKeyAlgorithmParameters, "key parameters" + context);
        Assert.AreEqual(certificate.SignatureAlgorithm.Value, info.SignatureAlgorithmOid, "signature algorithm" + context);

        Assert.HasCount(certificate.Extensions.Count, info.Extensions, "extension count" + context);
        foreach (var extension in certificate.Extensions)
        {
            var mine = info.GetExtension(extension.Oid!.Value!);
            Assert.AreEqual(extension.Critical, mine.Critical, "critical " + extension.Oid.Value + context);
            CollectionAssert.AreEqual(extension.RawData, mine.Value, "extnValue " + extension.Oid.Value + context);
        }

        // The signed bytes and the signature, as an independent DER reader finds them.
        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadEncodedValue().ToArray();
        CollectionAssert.AreEqual(tbs, info.GetTbsCertificate(), "tbsCertificate" + context);
        Assert.AreEqual(tbs.Length, info.TbsCertificateLength);
        CollectionAssert.AreEqual(tbs, der.AsSpan(info.TbsCertificateOffset, info.TbsCertificateLength).ToArray());
        var algorithm = outer.ReadSequence();
        algorithm.ReadObjectIdentifier();
        var parameters = algorithm.HasData ? algorithm.ReadEncodedValue().ToArray() : [];
        CollectionAssert.AreEqual(parameters, info.SignatureAlgorithmParameters, "signature parameters" + context);
        CollectionAssert.AreEqual(outer.ReadBitString(out _), info.Signature, "signature" + context);
        return info;
    }

    /// <summary>The last commonName in encoding order, or "" — what the reader promises.</summary>
    public static string LastCommonName(X500DistinguishedName name)
    {
        string commonName = string.Empty;
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3")
            {
                commonName = rdn.GetSingleElementValue() ?? string.Empty;
            }
        }

        return commonName;
    }
}
