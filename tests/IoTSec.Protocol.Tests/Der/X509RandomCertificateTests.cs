using System;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>Many randomly shaped certificates: every field read must agree with X509Certificate2.</summary>
[TestClass]
public sealed class X509RandomCertificateTests
{
    private const int Count = 300;

    [TestMethod]
    public void RandomCertificates_AgreeWithDotNet()
    {
        // A fixed seed: a failure names its iteration and reproduces.
        var random = new Random(20250301);
        using var rsaKey = RSA.Create(2048);
        for (int i = 0; i < Count; i++)
        {
            byte[] der = MakeRandom(random, rsaKey);
            try
            {
                DotNetAgreement.AssertAgrees(der);
            }
            catch (AssertFailedException e)
            {
                throw new AssertFailedException("iteration " + i + ": " + e.Message, e);
            }
        }
    }

    private static byte[] MakeRandom(Random random, RSA rsaKey)
    {
        using var ecKey = ECDsa.Create(random.Next(3) == 0 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256);
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hash = random.Next(3) switch
        {
            0 => HashAlgorithmName.SHA256,
            1 => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };

        bool rsaSubject = random.Next(10) == 0;
        var request = rsaSubject
            ? new CertificateRequest(RandomName(random), rsaKey, hash, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(RandomName(random), ecKey, hash);
        AddRandomExtensions(random, request);

        var notBefore = new DateTimeOffset(1950, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.NextInt64(0, 150L * 365 * 86400));
        var notAfter = random.Next(10) == 0
            ? new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero)
            : notBefore.AddSeconds(random.NextInt64(1, 120L * 365 * 86400));
        var serial = new byte[random.Next(1, 21)];
        random.NextBytes(serial);

        var generator = random.Next(4) == 0 && !rsaSubject
            ? X509SignatureGenerator.CreateForECDsa(ecKey)
            : X509SignatureGenerator.CreateForECDsa(issuerKey);
        return TestCertificates.Issue(request, RandomName(random), generator, serial, notBefore, notAfter);
    }

    private static X500DistinguishedName RandomName(Random random)
    {
        var builder = new X500DistinguishedNameBuilder();
        int parts = random.Next(0, 6);
        for (int p = 0; p < parts; p++)
        {
            switch (random.Next(6))
            {
                case 0:
                    builder.AddCountryOrRegion(random.Next(2) == 0 ? "DE" : "US");
                    break;
                case 1:
                    builder.AddOrganizationName(RandomText(random, unicode: true));
                    break;
                case 2:
                    builder.AddOrganizationalUnitName(RandomText(random, unicode: false));
                    break;
                default:
                    AddRandomCommonName(random, builder);
                    break;
            }
        }

        return builder.Build();
    }

    private static void AddRandomCommonName(Random random, X500DistinguishedNameBuilder builder)
    {
        switch (random.Next(4))
        {
            case 0:
                builder.AddCommonName(RandomText(random, unicode: true));
                break;
            case 1:
                builder.Add("2.5.4.3", RandomText(random, unicode: false), UniversalTagNumber.PrintableString);
                break;
            case 2:
                builder.Add("2.5.4.3", RandomText(random, unicode: false), UniversalTagNumber.IA5String);
                break;
            default:
                builder.Add("2.5.4.3", RandomBmpText(random), UniversalTagNumber.BMPString);
                break;
        }
    }

    private static string RandomText(Random random, bool unicode)
    {
        const string Printable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?";
        var text = new StringBuilder();
        int length = random.Next(1, 40);
        for (int i = 0; i < length; i++)
        {
            if (unicode && random.Next(5) == 0)
            {
                // Anything from U+00A0 to U+10FFFF except surrogates: UTF-8 of 2, 3 and 4 bytes.
                int codePoint;
                do
                {
                    codePoint = random.Next(0xA0, 0x110000);
                }
                while (codePoint >= 0xD800 && codePoint <= 0xDFFF);
                text.Append(char.ConvertFromUtf32(codePoint));
            }
            else
            {
                text.Append(Printable[random.Next(Printable.Length)]);
            }
        }

        return text.ToString().Trim() is { Length: > 0 } trimmed ? trimmed : "x";
    }

    private static string RandomBmpText(Random random)
    {
        var text = new StringBuilder();
        int length = random.Next(1, 20);
        for (int i = 0; i < length; i++)
        {
            char c;
            do
            {
                c = (char)random.Next(0x21, 0xFFFE);
            }
            while (char.IsSurrogate(c));
            text.Append(c);
        }

        return text.ToString();
    }

    private static void AddRandomExtensions(Random random, CertificateRequest request)
    {
        if (random.Next(2) == 0)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(random.Next(2) == 0, random.Next(2) == 0, random.Next(0, 5), random.Next(2) == 0));
        }

        if (random.Next(2) == 0)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension((X509KeyUsageFlags)random.Next(1, 0x100), random.Next(2) == 0));
        }

        if (random.Next(2) == 0)
        {
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, random.Next(2) == 0));
        }

        if (random.Next(2) == 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("d" + random.Next() + ".example");
            request.CertificateExtensions.Add(san.Build(random.Next(2) == 0));
        }

        if (random.Next(3) == 0)
        {
            // A private extension with a random OID (arcs up to 2^63) and random content.
            var oid = "1.3.6.1.4.1." + random.Next(1, int.MaxValue) + "." + random.NextInt64(0, long.MaxValue);
            var value = new byte[random.Next(0, 300)];
            random.NextBytes(value);
            request.CertificateExtensions.Add(new X509Extension(oid, value, random.Next(2) == 0));
        }
    }
}
