using System;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Tests.Rsa;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Manifest.ManifestTestData;

namespace IoTSec.Protocol.Tests.Manifest;

/// <summary>
/// The fuzz seeds in tests/IoTSec.Fuzz/corpus/manifest and corpus/anchor-update run through
/// the decode entry points: each is accepted or refused with the format's typed exception,
/// never anything else, and the seeds named "valid" verify.
/// </summary>
[TestClass]
public sealed class ManifestCorpusTests
{
    [TestMethod]
    public void ManifestSeeds_AreAcceptedOrRefusedTheDocumentedWay()
    {
        using var rsa3072 = TestKeys.Load(TestKeys.Key3072Pem);
        var verifier = new ManifestVerifier(
            [.. TrustedOtaKeys(), new CoseTrustedKey([3], TestKeys.PublicKeyOf(rsa3072))],
            PortableDigests.Instance);
        var context = Context(nativeImageSlotSize: 1 << 20);
        var seeds = Seeds("manifest");
        Assert.IsGreaterThanOrEqualTo(8, seeds.Length);
        foreach (var path in seeds)
        {
            var input = File.ReadAllBytes(path);
            bool valid = Path.GetFileName(path).StartsWith("seed-valid", StringComparison.Ordinal);
            try
            {
                verifier.Verify(input, context);
                Assert.IsTrue(valid, path + " verified but is not named valid");
            }
            catch (ManifestRejectedException ex)
            {
                Assert.IsFalse(valid, path + ": " + ex.Message);
            }

            DecodeOnly(input);
        }
    }

    [TestMethod]
    public void AnchorUpdateSeeds_AreAcceptedOrRefusedTheDocumentedWay()
    {
        var verifier = new TrustAnchorUpdateVerifier(TrustedOtaKeys(), PortableDigests.Instance);
        var seeds = Seeds("anchor-update");
        Assert.IsGreaterThanOrEqualTo(6, seeds.Length);
        foreach (var path in seeds)
        {
            var input = File.ReadAllBytes(path);
            bool valid = Path.GetFileName(path).StartsWith("seed-valid", StringComparison.Ordinal);
            try
            {
                verifier.Verify(input, 0, Now);
                Assert.IsTrue(valid, path + " verified but is not named valid");
            }
            catch (AnchorUpdateRejectedException ex)
            {
                Assert.IsFalse(valid, path + ": " + ex.Message);
            }

            DecodeOnly(input);
        }
    }

    [TestMethod]
    public void KnownGoodSeeds_AreTheFrozenVectors()
    {
        CollectionAssert.AreEqual(Convert.FromHexString(SignedManifestHex), File.ReadAllBytes(Seed("manifest", "seed-valid-known-good.bin")));
        CollectionAssert.AreEqual(Convert.FromHexString(SignedAnchorUpdateHex), File.ReadAllBytes(Seed("anchor-update", "seed-valid-ota-key-rotation.bin")));
    }

    [TestMethod]
    public void RandomMutationsOfTheSeeds_OnlyRaiseTypedRefusals()
    {
        // A short in-process fuzz: the afl++ harness goes much further, this keeps the
        // guarantee in every test run.
        var random = new Random(8949);
        var manifestVerifier = new ManifestVerifier(TrustedOtaKeys(), PortableDigests.Instance);
        var anchorVerifier = new TrustAnchorUpdateVerifier(TrustedOtaKeys(), PortableDigests.Instance);
        var context = Context();
        var seeds = new[] { Convert.FromHexString(SignedManifestHex), Convert.FromHexString(SignedAnchorUpdateHex), Sample().Encode() };
        for (int i = 0; i < 3000; i++)
        {
            var input = Mutate(random, seeds[i % seeds.Length]);
            try
            {
                manifestVerifier.Verify(input, context);
            }
            catch (ManifestRejectedException)
            {
            }

            try
            {
                anchorVerifier.Verify(input, 0, Now);
            }
            catch (AnchorUpdateRejectedException)
            {
            }

            DecodeOnly(input);
        }
    }

    /// <summary>The decoders a fuzz harness calls without a key: each refuses with its own typed exception only.</summary>
    internal static void DecodeOnly(byte[] input)
    {
        try
        {
            CoseSign1.Decode(input);
        }
        catch (CoseRejectedException)
        {
        }

        try
        {
            OtaManifest.Decode(input);
        }
        catch (ManifestRejectedException)
        {
        }

        try
        {
            TrustAnchorUpdate.Decode(input);
        }
        catch (AnchorUpdateRejectedException)
        {
        }

        try
        {
            IoTSec.Protocol.Rsa.RsaCoseKey.Decode(input);
        }
        catch (IoTSec.Protocol.Rsa.RsaKeyException)
        {
        }

        try
        {
            IoTSec.Protocol.Rsa.RsaSubjectPublicKeyInfo.Decode(input);
        }
        catch (IoTSec.Protocol.Rsa.RsaKeyException)
        {
        }
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var data = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                return data;
            case 1:
                data[random.Next(data.Length)] = (byte)random.Next(256);
                return data;
            case 2:
                return data[..random.Next(data.Length)];
            default:
                var extra = new byte[random.Next(1, 8)];
                random.NextBytes(extra);
                int at = random.Next(data.Length);
                return [.. data[..at], .. extra, .. data[at..]];
        }
    }

    private static string[] Seeds(string target)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "corpus", target);
        Assert.IsTrue(Directory.Exists(directory), directory);
        var files = Directory.GetFiles(directory, "seed-*.bin");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static string Seed(string target, string name) => Path.Combine(AppContext.BaseDirectory, "corpus", target, name);
}
