using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Tests.Crypto;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Manifest;

/// <summary>The streaming image check: digest and size enforced over chunks as the device receives them.</summary>
[TestClass]
public sealed class ComponentDigestCheckTests
{
    [TestMethod]
    public void ImageInRandomChunks_Passes()
    {
        var random = new Random(124);
        foreach (int size in new[] { 0, 1, 63, 64, 65, 4096, 100_003 })
        {
            var image = CryptoTestData.RandomBytes(random, size);
            var component = new ManifestComponent(ManifestComponentIds.ApplicationBundle, SHA256.HashData(image), image.Length);
            using var check = new ComponentDigestCheck(component, PortableDigests.Instance);
            CryptoTestData.FeedInRandomPieces(random, image, check.Update);
            Assert.AreEqual(size, check.BytesReceived);
            Assert.AreEqual(size, check.BytesExpected);
            check.Complete();
        }
    }

    [TestMethod]
    public void SampleImage_MatchesTheKnownGoodManifest()
    {
        var manifest = OtaManifest.Decode(Convert.FromHexString(ManifestTestData.SamplePayloadHex));
        var image = ManifestTestData.Image();
        using var check = new ComponentDigestCheck(manifest.GetComponent(0), new DotNetDigests());
        check.Update(image, 0, 1000);
        check.Update(image, 1000, image.Length - 1000);
        check.Complete();
    }

    [TestMethod]
    public void AlteredImage_IsRefused_WithDigestMismatch()
    {
        var image = ManifestTestData.Image();
        var component = new ManifestComponent(0, SHA256.HashData(image), image.Length);
        image[2000] ^= 1;
        using var check = new ComponentDigestCheck(component, PortableDigests.Instance);
        check.Update(image, 0, image.Length);
        Assert.AreEqual(ManifestRejection.DigestMismatch, Assert.ThrowsExactly<ManifestRejectedException>(check.Complete).Reason);
    }

    [TestMethod]
    public void ShortImage_IsRefused_WithSizeMismatch()
    {
        var image = ManifestTestData.Image();
        var component = new ManifestComponent(0, SHA256.HashData(image), image.Length);
        using var check = new ComponentDigestCheck(component, PortableDigests.Instance);
        check.Update(image, 0, image.Length - 1);
        Assert.AreEqual(ManifestRejection.SizeMismatch, Assert.ThrowsExactly<ManifestRejectedException>(check.Complete).Reason);
        Assert.ThrowsExactly<InvalidOperationException>(check.Complete);
    }

    [TestMethod]
    public void ImageGrowingPastItsSize_IsRefused_AtTheChunkThatOverflows()
    {
        var image = ManifestTestData.Image();
        var component = new ManifestComponent(0, SHA256.HashData(image), image.Length);
        using var check = new ComponentDigestCheck(component, PortableDigests.Instance);
        check.Update(image, 0, image.Length - 10);
        var ex = Assert.ThrowsExactly<ManifestRejectedException>(() => check.Update(new byte[11], 0, 11));
        Assert.AreEqual(ManifestRejection.SizeMismatch, ex.Reason);
        Assert.AreEqual(image.Length - 10, check.BytesReceived);
        Assert.ThrowsExactly<InvalidOperationException>(() => check.Update(new byte[1], 0, 1));
    }

    [TestMethod]
    public void BadArguments_AreRefused()
    {
        var component = new ManifestComponent(0, new byte[32], 10);
        using var check = new ComponentDigestCheck(component, PortableDigests.Instance);
        Assert.ThrowsExactly<ArgumentNullException>(() => check.Update(null!, 0, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => check.Update(new byte[4], 2, 3));
        Assert.ThrowsExactly<ArgumentNullException>(() => new ComponentDigestCheck(null!, PortableDigests.Instance));
    }
}
