using System;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Tests.Rsa;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Manifest.ManifestTestData;
using PortableCoseSign1 = IoTSec.Protocol.Cose.CoseSign1;

namespace IoTSec.Protocol.Tests.Manifest;

/// <summary>
/// The signed manifest end to end: the frozen known-good envelope verifies (with the portable
/// verifier and with .NET's COSE), every flipped bit is refused, and each way a manifest can
/// be wrong for a device is refused with its own reason.
/// </summary>
[TestClass]
public sealed class ManifestVerifierTests
{
    private static readonly byte[] SignedManifest = Convert.FromHexString(SignedManifestHex);

    [TestMethod]
    public void KnownGoodSignedManifest_Verifies()
    {
        var manifest = Verifier().Verify(SignedManifest, Context());
        Assert.AreEqual(Sequence, manifest.SequenceNumber);
        Assert.AreEqual("1.4.0", manifest.FirmwareVersion);
        CollectionAssert.AreEqual(Convert.FromHexString(SamplePayloadHex), manifest.Encode());
    }

    [TestMethod]
    public void KnownGoodSignedManifest_VerifiesWithDotNetCose()
    {
        var message = CoseSign1Message.DecodeSign1(SignedManifest);
        using var publicKey = RSA.Create(OtaKey.ExportParameters(false));
        Assert.IsTrue(message.VerifyEmbedded(publicKey));
        CollectionAssert.AreEqual(Convert.FromHexString(SamplePayloadHex), message.Content!.Value.ToArray());
    }

    [TestMethod]
    public void KnownGoodSignedManifest_ReassemblesToTheSameBytes()
    {
        var decoded = PortableCoseSign1.Decode(SignedManifest);
        var protectedHeader = PortableCoseSign1.EncodeProtectedHeader(CoseAlgorithms.Ps256, ManifestContentTypes.Manifest, TestKeys.OtaKeyId);
        CollectionAssert.AreEqual(protectedHeader, decoded.GetProtectedHeader());
        CollectionAssert.AreEqual(SignedManifest, PortableCoseSign1.Encode(protectedHeader, Sample().Encode(), decoded.GetSignature()));
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void EveryFlippedBit_OfTheSignedManifest_IsRefused()
    {
        var verifier = Verifier();
        var context = Context();
        for (int bit = 0; bit < SignedManifest.Length * 8; bit++)
        {
            var tampered = (byte[])SignedManifest.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.ThrowsExactly<ManifestRejectedException>(() => verifier.Verify(tampered, context), "bit " + bit);
        }
    }

    [TestMethod]
    public void Expired_IsRefused_AtAndAfterTheExpiry()
    {
        Expect(ManifestRejection.Expired, SignedManifest, Context(trustedTime: Expiry));
        Expect(ManifestRejection.Expired, SignedManifest, Context(trustedTime: Expiry + 86_400));
        Verifier().Verify(SignedManifest, Context(trustedTime: Expiry - 1));
    }

    [TestMethod]
    public void NoTrustedTime_IsRefused()
    {
        Expect(ManifestRejection.NoTrustedTime, SignedManifest, Context(trustedTime: ManifestDeviceContext.NoTrustedTime));
    }

    [TestMethod]
    public void AnotherKey_IsRefused()
    {
        // Signed by a key the device does not trust, under its own kid...
        Expect(ManifestRejection.UnknownKey, SignManifest(Sample(), OtherKey, TestKeys.OtherKeyId), Context());

        // ... or claiming the trusted kid.
        Expect(ManifestRejection.BadSignature, SignManifest(Sample(), OtherKey, TestKeys.OtaKeyId), Context());
    }

    [TestMethod]
    public void LowerOrEqualSequence_IsRefused()
    {
        Expect(ManifestRejection.SequenceTooOld, SignedManifest, Context(securityCounter: Sequence));
        Expect(ManifestRejection.SequenceTooOld, SignedManifest, Context(securityCounter: Sequence + 1));
        Expect(ManifestRejection.SequenceTooOld, SignManifest(Sample(sequence: 0)), Context(securityCounter: 0));
        Verifier().Verify(SignedManifest, Context(securityCounter: Sequence - 1));
    }

    [TestMethod]
    public void OtherVendorOrClass_IsRefused()
    {
        var other = new byte[16];
        Expect(ManifestRejection.WrongVendor, SignedManifest, Context(vendorId: other));
        Expect(ManifestRejection.WrongClass, SignedManifest, Context(classId: other));
    }

    [TestMethod]
    public void RunningVersionBelowTheMinimum_IsRefused()
    {
        Expect(ManifestRejection.RunningVersionTooOld, SignedManifest, Context(runningVersion: "1.1.9"));
        Expect(ManifestRejection.RunningVersionTooOld, SignedManifest, Context(runningVersion: "1.2.0-rc.1"));
        Expect(ManifestRejection.RunningVersionTooOld, SignedManifest, Context(runningVersion: "0.99.99"));
        Verifier().Verify(SignedManifest, Context(runningVersion: "1.2.0"));
        Verifier().Verify(SignedManifest, Context(runningVersion: "1.2.0+other.build"));
        Verifier().Verify(SignedManifest, Context(runningVersion: "1.10.0"));
    }

    [TestMethod]
    public void ComponentLargerThanItsSlot_IsRefused()
    {
        Expect(ManifestRejection.TooLarge, SignedManifest, Context(applicationSlotSize: 4095));
        Verifier().Verify(SignedManifest, Context(applicationSlotSize: 4096));
    }

    [TestMethod]
    public void NativeImageComponent_IsRefused_UnlessTheDeviceHasASlotForIt()
    {
        var native = Sample(components: [new ManifestComponent(ManifestComponentIds.NativeImage, new byte[32], 100)]);
        var envelope = SignManifest(native);
        Expect(ManifestRejection.UnsupportedComponent, envelope, Context());
        Verifier().Verify(envelope, Context(nativeImageSlotSize: 1024));

        var unknown = SignManifest(Sample(components: [new ManifestComponent(7, new byte[32], 100)]));
        Expect(ManifestRejection.UnsupportedComponent, unknown, Context(nativeImageSlotSize: 1024));
    }

    [TestMethod]
    public void AnchorUpdate_PresentedAsAManifest_IsRefused()
    {
        Expect(ManifestRejection.WrongContentType, Convert.FromHexString(SignedAnchorUpdateHex), Context());

        // Even a manifest payload is refused under the anchor-update content type.
        Expect(ManifestRejection.WrongContentType, Sign(Sample().Encode(), ManifestContentTypes.AnchorUpdate, OtaKey, TestKeys.OtaKeyId), Context());
    }

    [TestMethod]
    public void CoseRefusals_KeepTheirDistinctReasons()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var headers = new CoseHeaderMap { { CoseHeaderLabel.ContentType, ManifestContentTypes.Manifest }, { CoseHeaderLabel.KeyIdentifier, TestKeys.OtaKeyId } };
        var es256 = CoseSign1Message.SignEmbedded(Sample().Encode(), new CoseSigner(ec, HashAlgorithmName.SHA256, headers, null));
        Expect(ManifestRejection.UnsupportedAlgorithm, es256, Context());

        var noKid = Sign(Sample().Encode(), ManifestContentTypes.Manifest, OtaKey, []);
        Expect(ManifestRejection.MissingKeyId, noKid, Context());

        var noAlg = Cose.CoseTestMessages.Build(Cose.CoseTestMessages.HeaderMap((3, ManifestContentTypes.Manifest), (4, TestKeys.OtaKeyId)), [], Sample().Encode(), OtaKey);
        Expect(ManifestRejection.MissingAlgorithm, noAlg, Context());

        var critical = Cose.CoseTestMessages.Build(Cose.CoseTestMessages.HeaderMap((1, -37), (2, new[] { 99 }), (3, ManifestContentTypes.Manifest), (4, TestKeys.OtaKeyId)), [], Sample().Encode(), OtaKey);
        Expect(ManifestRejection.UnsupportedCriticalHeader, critical, Context());

        Expect(ManifestRejection.Malformed, SignedManifest[..100], Context());
        Expect(ManifestRejection.Malformed, new byte[ManifestVerifier.MaxEnvelopeLength + 1], Context());
    }

    [TestMethod]
    public void SignedButMalformedPayload_IsRefused()
    {
        Expect(ManifestRejection.Malformed, Sign([0xA0], ManifestContentTypes.Manifest, OtaKey, TestKeys.OtaKeyId), Context());
        Expect(ManifestRejection.UnsupportedManifestVersion, Sign([0xA1, 0x01, 0x02], ManifestContentTypes.Manifest, OtaKey, TestKeys.OtaKeyId), Context());
    }

    [TestMethod]
    public void ManifestSignedBy3072BitKey_Verifies()
    {
        using var rsa3072 = TestKeys.Load(TestKeys.Key3072Pem);
        var verifier = new ManifestVerifier([new CoseTrustedKey([3], TestKeys.PublicKeyOf(rsa3072))], PortableDigests.Instance);
        var envelope = SignManifest(Sample(), rsa3072, [3]);
        Assert.AreEqual(Sequence, verifier.Verify(envelope, Context()).SequenceNumber);
    }

    [TestMethod]
    public void CheckContext_AloneAppliesTheSameRules()
    {
        var manifest = Sample();
        ManifestVerifier.CheckContext(manifest, Context());
        var ex = Assert.ThrowsExactly<ManifestRejectedException>(() => ManifestVerifier.CheckContext(manifest, Context(securityCounter: 100)));
        Assert.AreEqual(ManifestRejection.SequenceTooOld, ex.Reason);
    }

    [TestMethod]
    public void DeviceContext_RefusesInvalidArguments()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Context(runningVersion: "one"));
        Assert.ThrowsExactly<ArgumentException>(() => Context(vendorId: new byte[8]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Context(trustedTime: -2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Context(applicationSlotSize: -1));
        Assert.IsFalse(Context(trustedTime: ManifestDeviceContext.NoTrustedTime).HasTrustedTime);
        Assert.AreEqual(0, Context().SlotSizeFor(9));
    }

    private static ManifestVerifier Verifier() => new(TrustedOtaKeys(), PortableDigests.Instance);

    private static void Expect(ManifestRejection reason, byte[] envelope, ManifestDeviceContext context)
    {
        var ex = Assert.ThrowsExactly<ManifestRejectedException>(() => Verifier().Verify(envelope, context));
        Assert.AreEqual(reason, ex.Reason, ex.Message);
    }
}
