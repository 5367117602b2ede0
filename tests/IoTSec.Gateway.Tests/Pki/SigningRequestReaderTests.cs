using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

[TestClass]
public sealed class SigningRequestReaderTests
{
    [TestMethod]
    public void ReadsAValidP256RequestWithItsSubjectKeyAndFingerprint()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = SigningRequestReader.ReadDer(TestHierarchy.DeviceCsr("sensor-0001", key));

        Assert.AreEqual("sensor-0001", request.CommonName);
        Assert.AreEqual(SigningRequestKeyAlgorithm.EcdsaP256, request.Key.Algorithm);
        Assert.AreEqual("ECDSA P-256", request.Key.ToString());
        CollectionAssert.AreEqual(key.ExportSubjectPublicKeyInfo(), request.SubjectPublicKeyInfo);
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), request.KeyFingerprint);
    }

    [TestMethod]
    public void ReadsPemAndDetectsPemOrDer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = new CertificateRequest("CN=gw-1 Device CA", key, HashAlgorithmName.SHA384).CreateSigningRequestPem();
        Assert.AreEqual(SigningRequestKeyAlgorithm.EcdsaP384, SigningRequestReader.ReadPem(pem).Key.Algorithm);
        Assert.AreEqual("gw-1 Device CA", SigningRequestReader.Read(System.Text.Encoding.ASCII.GetBytes("junk before\n" + pem)).CommonName);
        Assert.AreEqual("gw-1 Device CA", SigningRequestReader.Read(new CertificateRequest("CN=gw-1 Device CA", key, HashAlgorithmName.SHA384).CreateSigningRequest()).CommonName);
    }

    [TestMethod]
    public void AcceptsRsa2048AndRefusesSmallRsaAndOtherCurves()
    {
        using var rsa = RSA.Create(2048);
        var rsaRequest = new CertificateRequest("CN=legacy-1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
        Assert.AreEqual(new SigningRequestKey(SigningRequestKeyAlgorithm.Rsa, 2048), SigningRequestReader.ReadDer(rsaRequest).Key);

        using var small = RSA.Create(1024);
        var smallRequest = new CertificateRequest("CN=weak", small, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
        AssertRejected(SigningRequestRejection.UnsupportedKey, smallRequest);

        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        AssertRejected(SigningRequestRejection.UnsupportedKey, new CertificateRequest("CN=p521", p521, HashAlgorithmName.SHA512).CreateSigningRequest());
    }

    [TestMethod]
    public void RefusesARequestWhoseSignatureDoesNotMatchItsKey()
    {
        using var claimed = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=sensor-0001"), new PublicKey(claimed), HashAlgorithmName.SHA256);
        var forged = request.CreateSigningRequest(X509SignatureGenerator.CreateForECDsa(signer));

        AssertRejected(SigningRequestRejection.SignatureInvalid, forged);
    }

    [TestMethod]
    public void RefusesEmptyOversizedTrailingAndNonPemInput()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var valid = TestHierarchy.DeviceCsr("sensor-0001", key);

        AssertRejected(SigningRequestRejection.Malformed, []);
        AssertRejected(SigningRequestRejection.Malformed, new byte[SigningRequestReader.MaxLength + 1]);
        AssertRejected(SigningRequestRejection.Malformed, [.. valid, 0x00]);
        var noBlock = Assert.ThrowsExactly<SigningRequestRejectedException>(() => SigningRequestReader.ReadPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        Assert.AreEqual(SigningRequestRejection.Malformed, noBlock.Reason);
        var notPem = Assert.ThrowsExactly<SigningRequestRejectedException>(() => SigningRequestReader.Read("hello"u8));
        Assert.AreEqual(SigningRequestRejection.Malformed, notPem.Reason);
    }

    /// <summary>
    /// A fuzz-style corpus from a real CSR: every truncation and every single-bit flip must end
    /// in a typed refusal — never another exception, never acceptance (every bit is either
    /// structure, signed content or the signature itself).
    /// </summary>
    [TestMethod]
    public void EveryTruncationAndBitFlipOfARealRequestIsATypedRefusal()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var valid = TestHierarchy.DeviceCsr("sensor-0001", key);
        var reasons = new Dictionary<SigningRequestRejection, int>();
        var accepted = new List<string>();

        foreach (var (label, mutated) in Mutations(valid))
        {
            try
            {
                SigningRequestReader.ReadDer(mutated);
                accepted.Add(label);
            }
            catch (SigningRequestRejectedException ex)
            {
                reasons[ex.Reason] = reasons.GetValueOrDefault(ex.Reason) + 1;
            }
        }

        Assert.IsEmpty(accepted, "mutations accepted: " + string.Join(", ", accepted));
        Assert.IsTrue(reasons.ContainsKey(SigningRequestRejection.Malformed), "truncations are malformed");
        Assert.IsTrue(reasons.ContainsKey(SigningRequestRejection.SignatureInvalid), "flips in the signed content break the signature");
        Console.WriteLine("refusals: " + string.Join(", ", reasons.OrderBy(r => r.Key).Select(r => $"{r.Key}={r.Value}")));
    }

    [TestMethod]
    public void RandomMultiByteDamageIsATypedRefusal()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var valid = TestHierarchy.DeviceCsr("sensor-0001", key);
        var random = new Random(4242);
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])valid.Clone();
            var edits = random.Next(1, 6);
            for (var e = 0; e < edits; e++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            if (mutated.AsSpan().SequenceEqual(valid))
            {
                continue;
            }

            Assert.ThrowsExactly<SigningRequestRejectedException>(() => SigningRequestReader.ReadDer(mutated), $"iteration {i}");
        }
    }

    private static IEnumerable<(string Label, byte[] Bytes)> Mutations(byte[] valid)
    {
        for (var length = 0; length < valid.Length; length++)
        {
            yield return ($"truncated to {length}", valid[..length]);
        }

        for (var bit = 0; bit < valid.Length * 8; bit++)
        {
            var flipped = (byte[])valid.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            yield return ($"bit {bit} flipped", flipped);
        }
    }

    private static void AssertRejected(SigningRequestRejection expected, byte[] der)
    {
        var error = Assert.ThrowsExactly<SigningRequestRejectedException>(() => SigningRequestReader.ReadDer(der));
        Assert.AreEqual(expected, error.Reason, error.Message);
    }
}
