using System;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Tests.Rsa;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PortableCoseSign1 = IoTSec.Protocol.Cose.CoseSign1;

namespace IoTSec.Protocol.Tests.Cose;

/// <summary>
/// The portable COSE_Sign1 against System.Security.Cryptography.Cose in both directions:
/// what .NET signs, the portable verifier accepts; what the portable code encodes (the
/// Sig_structure and the message) and .NET's RSA signs, .NET's CoseSign1Message verifies.
/// </summary>
[TestClass]
public sealed class CoseSign1InteropTests
{
    private static readonly Lazy<RSA> OtaKey = new(() => TestKeys.Load(TestKeys.OtaKey2048Pem));

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void MessageSignedByDotNet_VerifiesWithThePortableVerifier(bool contentTypeFirst)
    {
        // .NET writes header maps in insertion order: kid before content type is not the
        // deterministic order, and must still verify (the bytes are signed as sent).
        var protectedHeaders = new CoseHeaderMap();
        if (contentTypeFirst)
        {
            protectedHeaders.Add(CoseHeaderLabel.ContentType, CoseTestMessages.ContentType);
            protectedHeaders.Add(CoseHeaderLabel.KeyIdentifier, TestKeys.OtaKeyId);
        }
        else
        {
            protectedHeaders.Add(CoseHeaderLabel.KeyIdentifier, TestKeys.OtaKeyId);
            protectedHeaders.Add(CoseHeaderLabel.ContentType, CoseTestMessages.ContentType);
        }

        var signer = new CoseSigner(OtaKey.Value, RSASignaturePadding.Pss, HashAlgorithmName.SHA256, protectedHeaders, null);
        var payload = "a manifest payload"u8.ToArray();
        var message = CoseSign1Message.SignEmbedded(payload, signer);

        var verified = Verifier().Verify(message, CoseTestMessages.ContentType);
        CollectionAssert.AreEqual(payload, verified.GetPayload());
        CollectionAssert.AreEqual(TestKeys.OtaKeyId, verified.GetKeyId());
        Assert.IsTrue(verified.KeyIdIsProtected);
        Assert.AreEqual(CoseAlgorithms.Ps256, verified.Algorithm);
    }

    [TestMethod]
    public void MessageSignedByDotNet_WithKidUnprotected_Verifies()
    {
        var protectedHeaders = new CoseHeaderMap { { CoseHeaderLabel.ContentType, CoseTestMessages.ContentType } };
        var unprotectedHeaders = new CoseHeaderMap { { CoseHeaderLabel.KeyIdentifier, TestKeys.OtaKeyId } };
        var signer = new CoseSigner(OtaKey.Value, RSASignaturePadding.Pss, HashAlgorithmName.SHA256, protectedHeaders, unprotectedHeaders);
        var message = CoseSign1Message.SignEmbedded([1, 2, 3], signer);

        var verified = Verifier().Verify(message, CoseTestMessages.ContentType);
        Assert.IsFalse(verified.KeyIdIsProtected);
    }

    [TestMethod]
    public void ManyMessagesSignedByDotNet_Verify()
    {
        var random = new Random(9052);
        var verifier = Verifier();
        for (int i = 0; i < 20; i++)
        {
            var payload = new byte[random.Next(0, 2000)];
            random.NextBytes(payload);
            var protectedHeaders = new CoseHeaderMap
            {
                { CoseHeaderLabel.ContentType, CoseTestMessages.ContentType },
                { CoseHeaderLabel.KeyIdentifier, TestKeys.OtaKeyId },
            };
            var message = CoseSign1Message.SignEmbedded(payload, new CoseSigner(OtaKey.Value, RSASignaturePadding.Pss, HashAlgorithmName.SHA256, protectedHeaders, null));
            CollectionAssert.AreEqual(payload, verifier.Verify(message, CoseTestMessages.ContentType).GetPayload());
        }
    }

    [TestMethod]
    public void PortableSigStructure_SignedByDotNet_VerifiesWithCoseSign1Message()
    {
        var payload = "firmware manifest"u8.ToArray();
        var protectedHeader = PortableCoseSign1.EncodeProtectedHeader(CoseAlgorithms.Ps256, CoseTestMessages.ContentType, TestKeys.OtaKeyId);
        var toBeSigned = PortableCoseSign1.BuildToBeSigned(protectedHeader, [], payload);
        var signature = OtaKey.Value.SignData(toBeSigned, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var message = PortableCoseSign1.Encode(protectedHeader, payload, signature);

        var decoded = CoseSign1Message.DecodeSign1(message);
        using var publicKey = RSA.Create(OtaKey.Value.ExportParameters(false));
        Assert.IsTrue(decoded.VerifyEmbedded(publicKey), ".NET must accept the portable encoding");
        CollectionAssert.AreEqual(payload, decoded.Content!.Value.ToArray());
        Assert.AreEqual(CoseTestMessages.ContentType, decoded.ProtectedHeaders[CoseHeaderLabel.ContentType].GetValueAsString());
        CollectionAssert.AreEqual(TestKeys.OtaKeyId, decoded.ProtectedHeaders[CoseHeaderLabel.KeyIdentifier].GetValueAsBytes());
        Assert.AreEqual(-37, decoded.ProtectedHeaders[CoseHeaderLabel.Algorithm].GetValueAsInt32());
        Assert.AreEqual(0, decoded.UnprotectedHeaders.Count);

        // And the portable verifier accepts its own encoding.
        CollectionAssert.AreEqual(payload, Verifier().Verify(message, CoseTestMessages.ContentType).GetPayload());
    }

    [TestMethod]
    public void SigStructure_MatchesAnIndependentEncoding()
    {
        var protectedHeader = PortableCoseSign1.EncodeProtectedHeader(CoseAlgorithms.Ps256, "t", [7]);
        var payload = new byte[300];
        new Random(4).NextBytes(payload);

        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartArray(4);
        writer.WriteTextString("Signature1");
        writer.WriteByteString(protectedHeader);
        writer.WriteByteString([]);
        writer.WriteByteString(payload);
        writer.WriteEndArray();

        CollectionAssert.AreEqual(writer.Encode(), PortableCoseSign1.BuildToBeSigned(protectedHeader, [], payload));
        CollectionAssert.AreEqual(Convert.FromHexString("A301382403617404410" + "7"), protectedHeader);
    }

    [TestMethod]
    public void ProtectedHeader_WithoutOptionalParameters_HoldsAlgOnly()
    {
        CollectionAssert.AreEqual(new byte[] { 0xA1, 0x01, 0x38, 0x24 }, PortableCoseSign1.EncodeProtectedHeader(CoseAlgorithms.Ps256, string.Empty, []));
    }

    [TestMethod]
    public void Decode_ExposesTheFieldsDotNetWrote()
    {
        var protectedHeaders = new CoseHeaderMap
        {
            { CoseHeaderLabel.ContentType, CoseTestMessages.ContentType },
            { CoseHeaderLabel.KeyIdentifier, TestKeys.OtaKeyId },
        };
        var payload = "x"u8.ToArray();
        var message = CoseSign1Message.SignEmbedded(payload, new CoseSigner(OtaKey.Value, RSASignaturePadding.Pss, HashAlgorithmName.SHA256, protectedHeaders, null));
        var dotNet = CoseSign1Message.DecodeSign1(message);

        var decoded = PortableCoseSign1.Decode(message);
        Assert.IsTrue(decoded.HasAlgorithm);
        Assert.AreEqual(CoseAlgorithms.Ps256, decoded.Algorithm);
        Assert.AreEqual(CoseTestMessages.ContentType, decoded.ContentType);
        Assert.IsFalse(decoded.HasCriticalHeader);
        CollectionAssert.AreEqual(dotNet.RawProtectedHeaders.ToArray(), decoded.GetProtectedHeader());
        CollectionAssert.AreEqual(dotNet.Signature.ToArray(), decoded.GetSignature());
        CollectionAssert.AreEqual(payload, decoded.GetPayload());
    }

    private static CoseSign1Verifier Verifier() =>
        new([new CoseTrustedKey(TestKeys.OtaKeyId, TestKeys.PublicKeyOf(OtaKey.Value))], PortableDigests.Instance);
}
