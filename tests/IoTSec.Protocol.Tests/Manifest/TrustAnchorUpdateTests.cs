using System;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Rsa;
using IoTSec.Protocol.Tests.Rsa;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Manifest.ManifestTestData;

namespace IoTSec.Protocol.Tests.Manifest;

/// <summary>
/// Trust-anchor updates: the known-good rotation verifies and yields a key that then verifies
/// manifests; replays, unknown signers, invalid anchors and type confusion are refused.
/// </summary>
[TestClass]
public sealed class TrustAnchorUpdateTests
{
    private static readonly byte[] SignedUpdate = Convert.FromHexString(SignedAnchorUpdateHex);

    [TestMethod]
    public void SampleUpdate_EncodesToTheKnownGoodBytes()
    {
        CollectionAssert.AreEqual(Convert.FromHexString(AnchorUpdatePayloadHex), SampleAnchorUpdate().Encode());

        var reader = new System.Formats.Cbor.CborReader(Convert.FromHexString(AnchorUpdatePayloadHex), CborConformanceMode.Canonical);
        Assert.AreEqual(4, reader.ReadStartMap());
        Assert.AreEqual(1u, reader.ReadUInt32());
        Assert.AreEqual(1ul, reader.ReadUInt64());
        Assert.AreEqual(2u, reader.ReadUInt32());
        Assert.AreEqual(0u, reader.ReadUInt32());
        Assert.AreEqual(3u, reader.ReadUInt32());
        CollectionAssert.AreEqual(RsaCoseKey.Encode(TestKeys.PublicKeyOf(OtherKey), TestKeys.OtherKeyId), reader.ReadByteString());
        Assert.AreEqual(4u, reader.ReadUInt32());
        CollectionAssert.AreEqual(TestKeys.OtherKeyId, reader.ReadByteString());
        reader.ReadEndMap();
    }

    [TestMethod]
    public void KnownGoodUpdate_Verifies_AndTheNewKeyVerifiesManifests()
    {
        var update = Verifier().Verify(SignedUpdate, 0, TrustAnchorUpdateVerifier.NoTrustedTime);
        Assert.AreEqual(1ul, update.Sequence);
        Assert.AreEqual(TrustAnchorKind.OtaSigningKey, update.Kind);
        Assert.IsFalse(update.HasExpiry);
        CollectionAssert.AreEqual(TestKeys.OtherKeyId, update.GetKeyId());

        var newKey = update.ToTrustedKey();
        Assert.IsTrue(newKey.Key.HasSameValue(TestKeys.PublicKeyOf(OtherKey)));

        // After the rotation the device trusts the new key only.
        var rotated = new ManifestVerifier([newKey], PortableDigests.Instance);
        rotated.Verify(SignManifest(Sample(), OtherKey, TestKeys.OtherKeyId), Context());
        var old = Assert.ThrowsExactly<ManifestRejectedException>(() => rotated.Verify(Convert.FromHexString(SignedManifestHex), Context()));
        Assert.AreEqual(ManifestRejection.UnknownKey, old.Reason);
    }

    [TestMethod]
    public void Replay_IsRefused()
    {
        Expect(AnchorUpdateRejection.SequenceTooOld, SignedUpdate, updateCounter: 1);
        Expect(AnchorUpdateRejection.SequenceTooOld, SignedUpdate, updateCounter: 5);
    }

    [TestMethod]
    public void UnknownSigner_IsRefused()
    {
        // Only the current OTA key may rotate anchors: the new key cannot vouch for itself.
        Expect(AnchorUpdateRejection.UnknownKey, SignAnchorUpdate(SampleAnchorUpdate(), OtherKey, TestKeys.OtherKeyId));
        Expect(AnchorUpdateRejection.BadSignature, SignAnchorUpdate(SampleAnchorUpdate(), OtherKey, TestKeys.OtaKeyId));
    }

    [TestMethod]
    public void TypeConfusion_IsRefused_BothWays()
    {
        Expect(AnchorUpdateRejection.WrongContentType, Convert.FromHexString(SignedManifestHex));
        Expect(AnchorUpdateRejection.WrongContentType, Sign(SampleAnchorUpdate().Encode(), ManifestContentTypes.Manifest, OtaKey, TestKeys.OtaKeyId));

        var asManifest = Assert.ThrowsExactly<ManifestRejectedException>(() => new ManifestVerifier(TrustedOtaKeys(), PortableDigests.Instance).Verify(SignedUpdate, Context()));
        Assert.AreEqual(ManifestRejection.WrongContentType, asManifest.Reason);
    }

    [TestMethod]
    public void Expiry_IsEnforced_WhenPresent()
    {
        var expiring = SignAnchorUpdate(SampleAnchorUpdate(expiry: Expiry));
        Assert.AreEqual(Expiry, Verifier().Verify(expiring, 0, Now).ExpiresAt);
        Expect(AnchorUpdateRejection.Expired, expiring, trustedTime: Expiry);
        Expect(AnchorUpdateRejection.NoTrustedTime, expiring, trustedTime: TrustAnchorUpdateVerifier.NoTrustedTime);
    }

    [TestMethod]
    public void GatewayRootCertificate_IsCarried()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=IoTSec gateway root", ec, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(10));
        var der = certificate.RawData;

        var update = new TrustAnchorUpdate(2, TrustAnchorKind.GatewayRoot, der, [0x67, 0x77], TrustAnchorUpdate.NoExpiry);
        var verified = Verifier().Verify(SignAnchorUpdate(update), 1, Now);
        Assert.AreEqual(TrustAnchorKind.GatewayRoot, verified.Kind);
        CollectionAssert.AreEqual(der, verified.GetAnchor());
        Assert.ThrowsExactly<InvalidOperationException>(() => verified.ToTrustedKey());
        using var roundTrip = X509CertificateLoader.LoadCertificate(verified.GetAnchor());
        Assert.AreEqual(certificate.Thumbprint, roundTrip.Thumbprint);
    }

    [TestMethod]
    public void InvalidAnchors_AreRefused()
    {
        // A signed update carrying a 1024-bit key: the device must not rotate onto it.
        using var small = RSA.Create(1024);
        var p = small.ExportParameters(false);
        ExpectSignedPayload(AnchorUpdateRejection.InvalidAnchor, Payload(1, 0, CoseKey(p.Modulus!, p.Exponent!, TestKeys.OtherKeyId), TestKeys.OtherKeyId));

        // The COSE_Key's own kid disagreeing with the update's.
        var other = TestKeys.PublicKeyOf(OtherKey);
        ExpectSignedPayload(AnchorUpdateRejection.InvalidAnchor, Payload(1, 0, RsaCoseKey.Encode(other, [9]), TestKeys.OtherKeyId));

        // Not a COSE_Key at all, and a "certificate" that is not one DER SEQUENCE.
        ExpectSignedPayload(AnchorUpdateRejection.InvalidAnchor, Payload(1, 0, [0xA0], TestKeys.OtherKeyId));
        ExpectSignedPayload(AnchorUpdateRejection.InvalidAnchor, Payload(1, 1, [0x30, 0x03, 0x02, 0x01], [1]));
        ExpectSignedPayload(AnchorUpdateRejection.InvalidAnchor, Payload(1, 1, [0x31, 0x00], [1]));

        // An unknown kind.
        ExpectSignedPayload(AnchorUpdateRejection.UnsupportedAnchorKind, Payload(1, 2, [0x30, 0x00], [1]));

        // Constructors refuse the same things for the tools.
        Assert.ThrowsExactly<ArgumentException>(() => new TrustAnchorUpdate(1, TrustAnchorKind.OtaSigningKey, [0xA0], [1], TrustAnchorUpdate.NoExpiry));
        Assert.ThrowsExactly<ArgumentException>(() => new TrustAnchorUpdate(1, TrustAnchorKind.GatewayRoot, [0x30, 0x00], [], TrustAnchorUpdate.NoExpiry));
    }

    [TestMethod]
    public void MalformedPayloads_AreRefused()
    {
        var payload = Convert.FromHexString(AnchorUpdatePayloadHex);
        for (int length = 0; length < payload.Length; length += 7)
        {
            ExpectDecode(AnchorUpdateRejection.Malformed, payload[..length]);
        }

        ExpectDecode(AnchorUpdateRejection.Malformed, [.. payload, 0]);
        ExpectDecode(AnchorUpdateRejection.Malformed, [0xA0]);
        ExpectDecode(AnchorUpdateRejection.Malformed, [0x80]);

        // Fields out of order, a sixth field, a wrong type, an empty kid.
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(4);
        w.WriteUInt32(2);
        w.WriteUInt32(0);
        w.WriteUInt32(1);
        w.WriteUInt32(1);
        w.WriteUInt32(3);
        w.WriteByteString(RsaCoseKey.Encode(TestKeys.PublicKeyOf(OtherKey), []));
        w.WriteUInt32(4);
        w.WriteByteString([1]);
        w.WriteEndMap();
        ExpectDecode(AnchorUpdateRejection.Malformed, w.Encode());
        ExpectDecode(AnchorUpdateRejection.Malformed, Payload(1, 0, RsaCoseKey.Encode(TestKeys.PublicKeyOf(OtherKey), []), [1], extraField: true));
        ExpectDecode(AnchorUpdateRejection.Malformed, Payload(1, 0, RsaCoseKey.Encode(TestKeys.PublicKeyOf(OtherKey), []), []));
        Expect(AnchorUpdateRejection.Malformed, new byte[TrustAnchorUpdateVerifier.MaxEnvelopeLength + 1]);
    }

    [TestMethod]
    public void ReasonNames_AreDistinct()
    {
        foreach (AnchorUpdateRejection reason in Enum.GetValues<AnchorUpdateRejection>())
        {
            Assert.AreEqual(reason.ToString(), AnchorUpdateRejectedException.ReasonName(reason));
        }
    }

    private static TrustAnchorUpdateVerifier Verifier() => new(TrustedOtaKeys(), PortableDigests.Instance);

    private static void Expect(AnchorUpdateRejection reason, byte[] envelope, ulong updateCounter = 0, long trustedTime = Now)
    {
        var ex = Assert.ThrowsExactly<AnchorUpdateRejectedException>(() => Verifier().Verify(envelope, updateCounter, trustedTime));
        Assert.AreEqual(reason, ex.Reason, ex.Message);
    }

    private static void ExpectSignedPayload(AnchorUpdateRejection reason, byte[] payload)
    {
        Expect(reason, Sign(payload, ManifestContentTypes.AnchorUpdate, OtaKey, TestKeys.OtaKeyId));
        ExpectDecode(reason, payload);
    }

    private static void ExpectDecode(AnchorUpdateRejection reason, byte[] payload)
    {
        var ex = Assert.ThrowsExactly<AnchorUpdateRejectedException>(() => TrustAnchorUpdate.Decode(payload));
        Assert.AreEqual(reason, ex.Reason, ex.Message);
    }

    private static byte[] Payload(ulong sequence, int kind, byte[] anchor, byte[] keyId, bool extraField = false)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(extraField ? 5 : 4);
        w.WriteUInt32(1);
        w.WriteUInt64(sequence);
        w.WriteUInt32(2);
        w.WriteInt32(kind);
        w.WriteUInt32(3);
        w.WriteByteString(anchor);
        w.WriteUInt32(4);
        w.WriteByteString(keyId);
        if (extraField)
        {
            w.WriteUInt32(6);
            w.WriteUInt32(0);
        }

        w.WriteEndMap();
        return w.Encode();
    }

    private static byte[] CoseKey(byte[] n, byte[] e, byte[] keyId)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(4);
        w.WriteInt32(1);
        w.WriteInt32(3);
        w.WriteInt32(2);
        w.WriteByteString(keyId);
        w.WriteInt32(-1);
        w.WriteByteString(n);
        w.WriteInt32(-2);
        w.WriteByteString(e);
        w.WriteEndMap();
        return w.Encode();
    }
}
