using System;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Tests.Rsa;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Cose.CoseTestMessages;
using PortableCoseSign1 = IoTSec.Protocol.Cose.CoseSign1;

namespace IoTSec.Protocol.Tests.Cose;

/// <summary>Every refusal of the COSE_Sign1 verifier, each with its own reason.</summary>
[TestClass]
public sealed class CoseSign1VerifierTests
{
    private static readonly Lazy<RSA> OtaKey = new(() => TestKeys.Load(TestKeys.OtaKey2048Pem));
    private static readonly Lazy<RSA> OtherKey = new(() => TestKeys.Load(TestKeys.OtherKey2048Pem));
    private static readonly byte[] Payload = "payload"u8.ToArray();

    [TestMethod]
    public void WellFormedMessage_Verifies()
    {
        var message = Build(HeaderMap((1, -37), (3, ContentType), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value);
        CollectionAssert.AreEqual(Payload, Verifier().Verify(message, ContentType).GetPayload());
    }

    [TestMethod]
    public void AlgorithmOtherThanPs256_IsRefused()
    {
        // ES256, signed by .NET with an EC key: refused before any key lookup or math.
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var headers = new CoseHeaderMap { { CoseHeaderLabel.ContentType, ContentType }, { CoseHeaderLabel.KeyIdentifier, TestKeys.OtaKeyId } };
        var es256 = CoseSign1Message.SignEmbedded(Payload, new CoseSigner(ec, HashAlgorithmName.SHA256, headers, null));
        Expect(CoseRejection.UnsupportedAlgorithm, es256);

        // RS256 (-257) and a text alg.
        Expect(CoseRejection.UnsupportedAlgorithm, Build(HeaderMap((1, -257), (3, ContentType), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value));
        Expect(CoseRejection.UnsupportedAlgorithm, Build(HeaderMap((1, "PS256"), (3, ContentType), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value));
    }

    [TestMethod]
    public void AlgorithmMissingFromTheProtectedHeader_IsRefused()
    {
        Expect(CoseRejection.MissingAlgorithm, Build(HeaderMap((3, ContentType), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value));

        // In the unprotected header it would not be signed: it does not count.
        Expect(CoseRejection.MissingAlgorithm, Build(HeaderMap((3, ContentType), (4, TestKeys.OtaKeyId)), [(1, -37)], Payload, OtaKey.Value));

        // An empty protected header.
        Expect(CoseRejection.MissingAlgorithm, Build([], [(4, TestKeys.OtaKeyId)], Payload, OtaKey.Value));
    }

    [TestMethod]
    public void CriticalHeader_IsRefused()
    {
        Expect(CoseRejection.UnsupportedCriticalHeader, Build(HeaderMap((1, -37), (2, new[] { 99 }), (3, ContentType), (4, TestKeys.OtaKeyId), (99, 1)), [], Payload, OtaKey.Value));
    }

    [TestMethod]
    public void MissingKid_IsRefused()
    {
        Expect(CoseRejection.MissingKeyId, Build(HeaderMap((1, -37), (3, ContentType)), [], Payload, OtaKey.Value));
    }

    [TestMethod]
    public void UnknownKid_IsRefused()
    {
        Expect(CoseRejection.UnknownKey, Build(HeaderMap((1, -37), (3, ContentType), (4, TestKeys.OtherKeyId)), [], Payload, OtherKey.Value));
    }

    [TestMethod]
    public void SignatureByAnotherKey_UnderATrustedKid_IsRefused()
    {
        Expect(CoseRejection.BadSignature, Build(HeaderMap((1, -37), (3, ContentType), (4, TestKeys.OtaKeyId)), [], Payload, OtherKey.Value));
    }

    [TestMethod]
    public void TamperedPayloadOrProtectedHeader_IsRefused()
    {
        var protectedMap = HeaderMap((1, -37), (3, ContentType), (4, TestKeys.OtaKeyId));
        var good = Build(protectedMap, [], Payload, OtaKey.Value);
        var signature = PortableCoseSign1.Decode(good).GetSignature();

        Expect(CoseRejection.BadSignature, Assemble(protectedMap, [], "PAYLOAD"u8.ToArray(), signature));

        // A protected header with the same meaning but another encoding is another message.
        var reordered = HeaderMap((1, -37), (4, TestKeys.OtaKeyId), (3, ContentType));
        Expect(CoseRejection.BadSignature, Assemble(reordered, [], Payload, signature));

        // The signature's length is checked first.
        Expect(CoseRejection.BadSignature, Assemble(protectedMap, [], Payload, signature[1..]));
    }

    [TestMethod]
    public void WrongOrMissingContentType_IsRefused()
    {
        Expect(CoseRejection.WrongContentType, Build(HeaderMap((1, -37), (3, "application/iotsec-anchor-update+cbor"), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value));
        Expect(CoseRejection.WrongContentType, Build(HeaderMap((1, -37), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value));
        Expect(CoseRejection.WrongContentType, Build(HeaderMap((1, -37), (3, 60), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value));

        // An unprotected content type is not signed and does not count.
        Expect(CoseRejection.WrongContentType, Build(HeaderMap((1, -37), (4, TestKeys.OtaKeyId)), [(3, ContentType)], Payload, OtaKey.Value));
    }

    [TestMethod]
    public void MalformedStructures_AreRefused()
    {
        var protectedMap = HeaderMap((1, -37), (3, ContentType), (4, TestKeys.OtaKeyId));
        var good = Build(protectedMap, [], Payload, OtaKey.Value);

        Expect(CoseRejection.Malformed, Build(protectedMap, [], Payload, OtaKey.Value, tagged: false));
        Expect(CoseRejection.Malformed, [0xD1, .. good[1..]]);
        Expect(CoseRejection.Malformed, [.. good, 0x00]);
        Expect(CoseRejection.Malformed, [0xD2, 0x83, .. good[2..]]);

        // Duplicate labels, within a map and across the two.
        Expect(CoseRejection.Malformed, Build(HeaderMap((1, -37), (1, -37), (3, ContentType), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value));
        Expect(CoseRejection.Malformed, Build(protectedMap, [(4, TestKeys.OtaKeyId)], Payload, OtaKey.Value));
        Expect(CoseRejection.Malformed, Build(HeaderMap((1, -37), ("x", 1), ("x", 2), (3, ContentType), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value));

        // Ill-typed header values, crit outside the protected header, an empty kid.
        Expect(CoseRejection.Malformed, Build(HeaderMap((1, -37), (3, ContentType), (4, "kid")), [], Payload, OtaKey.Value));
        Expect(CoseRejection.Malformed, Build(HeaderMap((1, -37), (3, ContentType), (4, Array.Empty<byte>())), [], Payload, OtaKey.Value));
        Expect(CoseRejection.Malformed, Build(HeaderMap((1, -37), (3, ContentType), (4, TestKeys.OtaKeyId)), [(2, new[] { 1 })], Payload, OtaKey.Value));
        Expect(CoseRejection.Malformed, Build(HeaderMap((1, new[] { -37 }), (3, ContentType), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value));
        Expect(CoseRejection.Malformed, Build(HeaderMap((new byte[] { 1 }, -37)), [], Payload, OtaKey.Value));

        // The protected header is not a map, or has bytes after it.
        Expect(CoseRejection.Malformed, Build([0x01], [], Payload, OtaKey.Value));
        Expect(CoseRejection.Malformed, Build([.. protectedMap, 0x00], [], Payload, OtaKey.Value));

        // A detached payload (nil), made by .NET.
        var headers = new CoseHeaderMap { { CoseHeaderLabel.ContentType, ContentType }, { CoseHeaderLabel.KeyIdentifier, TestKeys.OtaKeyId } };
        var detached = CoseSign1Message.SignDetached(Payload, new CoseSigner(OtaKey.Value, RSASignaturePadding.Pss, HashAlgorithmName.SHA256, headers, null));
        Expect(CoseRejection.Malformed, detached);

        // Every truncation.
        for (int length = 0; length < good.Length; length++)
        {
            Expect(CoseRejection.Malformed, good[..length]);
        }
    }

    [TestMethod]
    public void UnknownNonCriticalHeaders_AreIgnored()
    {
        var message = Build(HeaderMap((1, -37), (3, ContentType), (4, TestKeys.OtaKeyId), (-70000, "x"), ("note", new[] { 1, 2 })), [(33, Array.Empty<byte>())], Payload, OtaKey.Value);
        CollectionAssert.AreEqual(Payload, Verifier().Verify(message, ContentType).GetPayload());
    }

    [TestMethod]
    public void Verifier_RefusesDuplicateKids_AndFindsEachKey()
    {
        var ota = new CoseTrustedKey(TestKeys.OtaKeyId, TestKeys.PublicKeyOf(OtaKey.Value));
        var other = new CoseTrustedKey(TestKeys.OtherKeyId, TestKeys.PublicKeyOf(OtherKey.Value));
        Assert.ThrowsExactly<ArgumentException>(() => new CoseSign1Verifier([ota, new CoseTrustedKey(TestKeys.OtaKeyId, TestKeys.PublicKeyOf(OtherKey.Value))], PortableDigests.Instance));
        Assert.ThrowsExactly<ArgumentException>(() => new CoseTrustedKey([], TestKeys.PublicKeyOf(OtaKey.Value)));

        var both = new CoseSign1Verifier([ota, other], PortableDigests.Instance);
        Assert.AreEqual(2, both.KeyCount);
        both.Verify(Build(HeaderMap((1, -37), (3, ContentType), (4, TestKeys.OtherKeyId)), [], Payload, OtherKey.Value), ContentType);
        both.Verify(Build(HeaderMap((1, -37), (3, ContentType), (4, TestKeys.OtaKeyId)), [], Payload, OtaKey.Value), ContentType);
    }

    [TestMethod]
    public void ReasonNames_AreDistinct()
    {
        foreach (CoseRejection reason in Enum.GetValues<CoseRejection>())
        {
            Assert.AreEqual(reason.ToString(), CoseRejectedException.ReasonName(reason));
        }
    }

    private static CoseSign1Verifier Verifier() =>
        new([new CoseTrustedKey(TestKeys.OtaKeyId, TestKeys.PublicKeyOf(OtaKey.Value))], PortableDigests.Instance);

    private static void Expect(CoseRejection reason, byte[] message)
    {
        var ex = Assert.ThrowsExactly<CoseRejectedException>(() => Verifier().Verify(message, ContentType));
        Assert.AreEqual(reason, ex.Reason, ex.Message);
    }
}
