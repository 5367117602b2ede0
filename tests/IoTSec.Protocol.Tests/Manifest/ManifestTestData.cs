using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Rsa;
using IoTSec.Protocol.Tests.Rsa;

namespace IoTSec.Protocol.Tests.Manifest;

/// <summary>
/// The sample release of the known-good vectors (the same bytes as the worked example in
/// docs/protocols/ota-manifest.md), and builders for signed envelopes.
/// </summary>
internal static class ManifestTestData
{
    /// <summary>Vendor UUID 4f8a6c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b.</summary>
    public static readonly byte[] VendorId = Convert.FromHexString("4f8a6c1e2b3d4e5f8a9b0c1d2e3f4a5b");

    /// <summary>Device-class UUID 9d2c7b1a-5e6f-4a3b-9c8d-7e6f5a4b3c2d.</summary>
    public static readonly byte[] ClassId = Convert.FromHexString("9d2c7b1a5e6f4a3b9c8d7e6f5a4b3c2d");

    /// <summary>2030-01-01T00:00:00Z, the sample's expiry.</summary>
    public const long Expiry = 1_893_456_000;

    /// <summary>2027-01-01T00:00:00Z, a trusted time before the expiry.</summary>
    public const long Now = 1_798_761_600;

    public const ulong Sequence = 7;

    /// <summary>The sample's unsigned payload (OtaManifest.Encode of <see cref="Sample"/>).</summary>
    public const string SamplePayloadHex =
        "a90101020703504f8a6c1e2b3d4e5f8a9b0c1d2e3f4a5b04509d2c7b1a5e6f4a3b9c8d7e6f5a4b3c2d0565312e342e30" +
        "0665312e322e30071a70dbd8800881a3010002822f5820d41d438c379110c7f7b2c561b1f04f26c1b4549110791f8e02" +
        "2f48974280c13e031910000966776176652d31";

    /// <summary>The sample signed once with the OTA test key (PSS is randomized, so the signature is frozen).</summary>
    public const string SignedManifestHex =
        "d2845833a30138240378206170706c69636174696f6e2f696f747365632d6d616e69666573742b63626f72044a6f7461" +
        "2d746573742d31a05873a90101020703504f8a6c1e2b3d4e5f8a9b0c1d2e3f4a5b04509d2c7b1a5e6f4a3b9c8d7e6f5a" +
        "4b3c2d0565312e342e300665312e322e30071a70dbd8800881a3010002822f5820d41d438c379110c7f7b2c561b1f04f" +
        "26c1b4549110791f8e022f48974280c13e031910000966776176652d31590100a555e98af8eedfd7fbe586ff0081b648" +
        "bf15876ecec30cd583f0866ed8c92cf6acc4a1bae8d9beed557dd899334bfc1da3aea5fad4ea741379d04391b7b1889e" +
        "6df7907c6efba357af81459525de8390b9f42f7c603f5f4df21082d773e0db459ce8e866b1599d9d7779a3da6091b4c2" +
        "d88c991ce1a1e575552c4b6dad7c0816847b21f01fc6ca03ea89fc4e70256798a848a494231522e0f455ea9703f6ed7d" +
        "33999ced74bd891ee096f1f7abea1a2608b5c389472a4f0633d81b952ea6ca04209a19a037ee1b07d91a20663834e6d8" +
        "33edb0a67ff9847dc35bb55c674d53d2eda8f174f95ed3e5f791dad8e49cbdea97630543b2348f6ebe1d0e592d6c236e";

    /// <summary>The sample anchor update (OTA key rotation to the other test key), unsigned.</summary>
    public const string AnchorUpdatePayloadHex =
        "a4010102000359011ba50103024a6f74612d746573742d3203382420590100be695ae5f98342d6f32b434b1f51960590" +
        "0d95574411470b9efee31ce03b28a26d5de84be215e13d555e34f4f6948a7180ad42161ec0b3362d00e46d1dc237ca21" +
        "543a9bf41693aa5da62ffa133391951a672680b6a4a0d169118199347a3db052f5041fdbed9424790308b910f6627491" +
        "b66ea92b14e8118dd19cd2434e7e59f3d2f33c5cf19d1935e51aec0333c657bf137765d0208f2e7f56d2525677b396aa" +
        "b103a4a523e74d1a68da15f2585a66245e4b96a02900481b9bc7e6754dfefb17448ad805e28d8ce035e5b1a850c91619" +
        "8024939093506d1253dec21c8f342ff34f6fbe1fa70a95022887aefddae25c6bcdb211660f6e1369a7a0715547a0bd21" +
        "43010001044a6f74612d746573742d32";

    /// <summary>The anchor update signed once with the OTA test key.</summary>
    public const string SignedAnchorUpdateHex =
        "d2845838a30138240378256170706c69636174696f6e2f696f747365632d616e63686f722d7570646174652b63626f72" +
        "044a6f74612d746573742d31a0590130a4010102000359011ba50103024a6f74612d746573742d3203382420590100be" +
        "695ae5f98342d6f32b434b1f519605900d95574411470b9efee31ce03b28a26d5de84be215e13d555e34f4f6948a7180" +
        "ad42161ec0b3362d00e46d1dc237ca21543a9bf41693aa5da62ffa133391951a672680b6a4a0d169118199347a3db052" +
        "f5041fdbed9424790308b910f6627491b66ea92b14e8118dd19cd2434e7e59f3d2f33c5cf19d1935e51aec0333c657bf" +
        "137765d0208f2e7f56d2525677b396aab103a4a523e74d1a68da15f2585a66245e4b96a02900481b9bc7e6754dfefb17" +
        "448ad805e28d8ce035e5b1a850c916198024939093506d1253dec21c8f342ff34f6fbe1fa70a95022887aefddae25c6b" +
        "cdb211660f6e1369a7a0715547a0bd2143010001044a6f74612d746573742d325901006ed6c9c815bb1d7eb9ee6badda" +
        "201d1e9727536170967cc2e52029865cdfb0a6a5f079f0bc4c3487ee8ae79cd9462b771f501d0b6f6491882c152ccb2b" +
        "0dbcf3ae2cc71360ef0d33151f2f300b6e01358b66f5636df8fe83dc4855cd354ea87b2a7dc7350951bb219d6e348d77" +
        "774b42e9d014af876bd4286c135f0accdf4680b4e1d615d638e91976d3115e532190579ddda1c76c8acd6377bfdcfb48" +
        "96ca949d85bbc8559d255f472a5e803a0443a7350becf4a9844e6e48a3f79c47c9e38a6d73199bd454eac0a9cce560b7" +
        "1e56fc24b3819e97ea784b2cbbe278ed7079d9fe63c6824734ce628959b0156d12669b3783c779233577b371a9f7a53a" +
        "3d9a04";

    private static readonly Lazy<RSA> OtaRsa = new(() => TestKeys.Load(TestKeys.OtaKey2048Pem));
    private static readonly Lazy<RSA> OtherRsa = new(() => TestKeys.Load(TestKeys.OtherKey2048Pem));

    public static RSA OtaKey => OtaRsa.Value;

    public static RSA OtherKey => OtherRsa.Value;

    /// <summary>The application bundle of the sample: 4096 deterministic bytes.</summary>
    public static byte[] Image()
    {
        var image = new byte[4096];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = (byte)((i * 31) + 7);
        }

        return image;
    }

    public static OtaManifest Sample(
        ulong sequence = Sequence,
        string firmwareVersion = "1.4.0",
        string minimumRunningVersion = "1.2.0",
        long expiry = Expiry,
        string rolloutId = "wave-1",
        byte[]? vendorId = null,
        byte[]? classId = null,
        ManifestComponent[]? components = null)
    {
        var image = Image();
        components ??= [new ManifestComponent(ManifestComponentIds.ApplicationBundle, SHA256.HashData(image), image.Length)];
        return new OtaManifest(sequence, vendorId ?? VendorId, classId ?? ClassId, firmwareVersion, minimumRunningVersion, expiry, components, rolloutId);
    }

    public static TrustAnchorUpdate SampleAnchorUpdate(ulong sequence = 1, long expiry = TrustAnchorUpdate.NoExpiry)
    {
        var newKey = RsaCoseKey.Encode(TestKeys.PublicKeyOf(OtherKey), TestKeys.OtherKeyId);
        return new TrustAnchorUpdate(sequence, TrustAnchorKind.OtaSigningKey, newKey, TestKeys.OtherKeyId, expiry);
    }

    /// <summary>Signs <paramref name="payload"/> into a COSE_Sign1 with the portable encoder and .NET's RSA-PSS.</summary>
    public static byte[] Sign(byte[] payload, string contentType, RSA signer, byte[] keyId)
    {
        var protectedHeader = CoseSign1.EncodeProtectedHeader(CoseAlgorithms.Ps256, contentType, keyId);
        var signature = signer.SignData(CoseSign1.BuildToBeSigned(protectedHeader, [], payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return CoseSign1.Encode(protectedHeader, payload, signature);
    }

    public static byte[] SignManifest(OtaManifest manifest, RSA? signer = null, byte[]? keyId = null) =>
        Sign(manifest.Encode(), ManifestContentTypes.Manifest, signer ?? OtaKey, keyId ?? TestKeys.OtaKeyId);

    public static byte[] SignAnchorUpdate(TrustAnchorUpdate update, RSA? signer = null, byte[]? keyId = null) =>
        Sign(update.Encode(), ManifestContentTypes.AnchorUpdate, signer ?? OtaKey, keyId ?? TestKeys.OtaKeyId);

    public static CoseTrustedKey[] TrustedOtaKeys() => [new CoseTrustedKey(TestKeys.OtaKeyId, TestKeys.PublicKeyOf(OtaKey))];

    public static ManifestDeviceContext Context(
        ulong securityCounter = 6,
        string runningVersion = "1.3.2",
        long trustedTime = Now,
        long applicationSlotSize = 512 * 1024,
        long nativeImageSlotSize = 0,
        byte[]? vendorId = null,
        byte[]? classId = null) =>
        new(vendorId ?? VendorId, classId ?? ClassId, securityCounter, runningVersion, trustedTime, applicationSlotSize, nativeImageSlotSize);
}
