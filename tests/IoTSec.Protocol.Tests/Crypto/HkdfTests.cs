using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Crypto;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Crypto.CryptoTestData;

namespace IoTSec.Protocol.Tests.Crypto;

/// <summary>HKDF-SHA256 against RFC 5869 appendix A and .NET's HKDF.</summary>
[TestClass]
public sealed class HkdfTests
{
    // RFC 5869 appendix A.1-A.3 (the SHA-256 cases): basic, long inputs/outputs, and zero-length
    // salt and info.
    [TestMethod]
    [DataRow("A.1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9", 42,
        "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")]
    [DataRow("A.2",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
        "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
        "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
        82,
        "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87")]
    [DataRow("A.3", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
        "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")]
    public void Hkdf_MatchesRfc5869(string name, string ikmHex, string saltHex, string infoHex, int length, string prkHex, string okmHex)
    {
        var ikm = Hex(ikmHex);
        var salt = Hex(saltHex);
        var info = Hex(infoHex);
        var prk = Hex(prkHex);
        var okm = Hex(okmHex);

        CollectionAssert.AreEqual(prk, Hkdf.Extract(ikm, salt), name + " PRK");
        CollectionAssert.AreEqual(okm, Hkdf.Expand(prk, length, info), name + " OKM");
        CollectionAssert.AreEqual(okm, Hkdf.DeriveKey(ikm, length, salt, info), name + " DeriveKey");

        var native = new DotNetDigests();
        CollectionAssert.AreEqual(okm, Hkdf.DeriveKey(ikm, length, salt, info, native), name + " through another provider");
    }

    // RFC 5869 section 2.2/2.3: a missing salt is HashLen zeros, a missing info is empty.
    [TestMethod]
    public void MissingSaltAndInfo_MeanZerosAndEmpty()
    {
        var ikm = Hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        var prk = Hex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
        CollectionAssert.AreEqual(prk, Hkdf.Extract(ikm, null!));
        CollectionAssert.AreEqual(prk, Hkdf.Extract(ikm, new byte[32]));
        CollectionAssert.AreEqual(
            Hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
            Hkdf.DeriveKey(ikm, 42, null!, null!));
    }

    [TestMethod]
    public void Hkdf_MatchesDotNet_OnRandomInputs()
    {
        var random = new Random(5869);
        var lengths = new[] { 1, 31, 32, 33, 64, 65, 100, 1000, Hkdf.MaxOutputLength };
        foreach (int length in lengths)
        {
            var ikm = RandomBytes(random, random.Next(1, 100));
            var salt = RandomBytes(random, random.Next(0, 100));
            var info = RandomBytes(random, random.Next(0, 300));

            var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
            CollectionAssert.AreEqual(prk, Hkdf.Extract(ikm, salt), "extract, L " + length);
            CollectionAssert.AreEqual(HKDF.Expand(HashAlgorithmName.SHA256, prk, length, info), Hkdf.Expand(prk, length, info), "expand, L " + length);
            CollectionAssert.AreEqual(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, length, salt, info), Hkdf.DeriveKey(ikm, length, salt, info), "derive, L " + length);
        }

        // A PRK longer than HashLen is allowed (it is the HMAC key).
        var longPrk = RandomBytes(random, 80);
        CollectionAssert.AreEqual(HKDF.Expand(HashAlgorithmName.SHA256, longPrk, 50, [1, 2, 3]), Hkdf.Expand(longPrk, 50, [1, 2, 3]));
    }

    [TestMethod]
    public void OutputLength_AboveTheRfcLimit_IsRejectedClearly()
    {
        var prk = new byte[32];
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Hkdf.Expand(prk, Hkdf.MaxOutputLength + 1, null!));
        Assert.AreEqual("outputLength", error.ParamName);
        StringAssert.Contains(error.Message, "8160");
        Assert.IsInstanceOfType<ArgumentException>(error);

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Hkdf.DeriveKey(new byte[16], 10_000, null!, null!));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Hkdf.Expand(prk, 0, null!));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Hkdf.DeriveKey(new byte[16], -1, null!, null!));
        Assert.AreEqual(8160, Hkdf.Expand(prk, Hkdf.MaxOutputLength, null!).Length);
    }

    [TestMethod]
    public void Expand_RejectsAPrkShorterThanHashLen()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Hkdf.Expand(new byte[31], 32, null!));
        Assert.AreEqual("prk", error.ParamName);
        Assert.ThrowsExactly<ArgumentNullException>(() => Hkdf.Expand(null!, 32, null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => Hkdf.Extract(null!, null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => Hkdf.Extract(new byte[1], null!, null!));
    }

    // The provider seam: every HMAC goes through the provider a device layer hands in.
    [TestMethod]
    public void Provider_DoesEveryHmac()
    {
        var provider = new DotNetDigests();
        var okm = Hkdf.DeriveKey(new byte[] { 1, 2, 3 }, 100, new byte[] { 4 }, new byte[] { 5 }, provider);
        Assert.AreEqual(1 + 4, provider.HmacCalls, "one Extract plus ceil(100 / 32) Expand blocks");
        CollectionAssert.AreEqual(HKDF.DeriveKey(HashAlgorithmName.SHA256, [1, 2, 3], 100, [4], [5]), okm);
    }
}
