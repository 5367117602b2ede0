using System;
using System.Linq;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>Reads EST responses with an independent decoder (System.Security.Cryptography.Pkcs's SignedCms).</summary>
internal static class EstResponses
{
    /// <summary>The certificates of a base64 certs-only body.</summary>
    public static X509Certificate2Collection Certificates(string base64Body)
    {
        var der = Convert.FromBase64String(base64Body);
        var cms = new SignedCms();
        cms.Decode(der);
        Assert.AreEqual(0, cms.SignerInfos.Count, "a certs-only message has no signers");
        Assert.AreEqual("1.2.840.113549.1.7.1", cms.ContentInfo.ContentType.Value, "certs-only carries id-data with no content");
        Assert.AreEqual(0, cms.ContentInfo.Content.Length);
        return cms.Certificates;
    }

    /// <summary>The one certificate of a base64 certs-only enrolment response.</summary>
    public static X509Certificate2 SingleCertificate(string base64Body) => Certificates(base64Body).Cast<X509Certificate2>().Single();
}
