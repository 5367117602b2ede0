using System;
using System.Collections.Generic;
using System.Numerics;
using System.Security.Cryptography;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Rsa;
using IoTSec.Protocol.Tests.Crypto;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Rsa;

/// <summary>
/// PS256 verification: signatures made by .NET (RSASignaturePadding.Pss, salt = hash
/// length, which is PS256) verify; wrong key, tampered message and tampered signature are
/// refused; and encoded messages built by hand (signed with the raw private exponent) reach
/// every refusal of RFC 8017 §8.1.2 and §9.1.2.
/// </summary>
[TestClass]
public sealed class RsaPssSha256Tests
{
    private static readonly Lazy<RSA> Key2048 = new(() => TestKeys.Load(TestKeys.OtaKey2048Pem));
    private static readonly Lazy<RSA> Other2048 = new(() => TestKeys.Load(TestKeys.OtherKey2048Pem));
    private static readonly Lazy<RSA> Key3072 = new(() => TestKeys.Load(TestKeys.Key3072Pem));
    private static readonly Lazy<RSA> Key2049 = new(() => TestKeys.Load(TestKeys.Key2049Pem));

    public static IEnumerable<object[]> FixedKeys => [["2048"], ["2049"], ["3072"]];

    [TestMethod]
    [DynamicData(nameof(FixedKeys))]
    public void DotNetSignatures_OfRandomMessages_Verify(string keyName)
    {
        var rsa = FixedKey(keyName);
        var key = TestKeys.PublicKeyOf(rsa);
        Assert.AreEqual(rsa.KeySize, key.ModulusBits);
        var random = new Random(rsa.KeySize);
        for (int i = 0; i < 25; i++)
        {
            var message = CryptoTestData.RandomBytes(random, random.Next(0, 600));
            var signature = rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            Assert.AreEqual(PssVerificationResult.Valid, RsaPssSha256.VerifyData(key, message, signature), "message " + i);
        }
    }

    [TestMethod]
    public void DotNetSignatures_UnderFreshlyGeneratedKeys_Verify()
    {
        // Fresh keys each run: the fixed ones cannot hide a modulus-dependent bug.
        var random = new Random();
        foreach (int size in new[] { 2048, 2048, 2048, 3072 })
        {
            using var rsa = RSA.Create(size);
            var key = TestKeys.PublicKeyOf(rsa);
            for (int i = 0; i < 5; i++)
            {
                var message = CryptoTestData.RandomBytes(random, random.Next(0, 300));
                var signature = rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                Assert.AreEqual(PssVerificationResult.Valid, RsaPssSha256.VerifyData(key, message, signature));
            }
        }
    }

    [TestMethod]
    public void VerifyHash_WithANativeDigest_MatchesVerifyData()
    {
        var rsa = Key2048.Value;
        var key = TestKeys.PublicKeyOf(rsa);
        var message = "manifest"u8.ToArray();
        var signature = rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var digests = new DotNetDigests();
        Assert.AreEqual(PssVerificationResult.Valid, RsaPssSha256.VerifyHash(key, SHA256.HashData(message), signature, digests));
        Assert.IsGreaterThan(0, digests.Sha256Created, "the digest provider given is the one used");
        Assert.AreEqual(PssVerificationResult.Valid, RsaPssSha256.VerifyData(key, message, 0, message.Length, signature, digests));
    }

    [TestMethod]
    public void TamperedMessage_IsRefused_WithHashMismatch()
    {
        var rsa = Key2048.Value;
        var key = TestKeys.PublicKeyOf(rsa);
        var message = "firmware 1.2.3"u8.ToArray();
        var signature = rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        for (int bit = 0; bit < message.Length * 8; bit++)
        {
            var tampered = (byte[])message.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.AreEqual(PssVerificationResult.HashMismatch, RsaPssSha256.VerifyData(key, tampered, signature));
        }
    }

    [TestMethod]
    public void AnotherKey_IsRefused()
    {
        var message = "firmware 1.2.3"u8.ToArray();
        var signature = Key2048.Value.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var result = RsaPssSha256.VerifyData(TestKeys.PublicKeyOf(Other2048.Value), message, signature);

        // Under the wrong key s^e mod n is noise: refused at the first check it fails.
        Assert.AreNotEqual(PssVerificationResult.Valid, result);
    }

    [TestMethod]
    public void EveryFlippedSignatureBit_IsRefused()
    {
        var rsa = Key2048.Value;
        var key = TestKeys.PublicKeyOf(rsa);
        var message = "manifest"u8.ToArray();
        var signature = rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        for (int bit = 0; bit < signature.Length * 8; bit++)
        {
            var tampered = (byte[])signature.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.AreNotEqual(PssVerificationResult.Valid, RsaPssSha256.VerifyData(key, message, tampered), "bit " + bit);
        }
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(255)]
    [DataRow(257)]
    [DataRow(512)]
    public void SignatureOfTheWrongLength_IsRefused(int length)
    {
        var key = TestKeys.PublicKeyOf(Key2048.Value);
        Assert.AreEqual(PssVerificationResult.WrongSignatureLength, RsaPssSha256.VerifyData(key, [1, 2, 3], new byte[length]));
    }

    [TestMethod]
    public void SignatureNotBelowTheModulus_IsRefused()
    {
        var rsa = Key2048.Value;
        var key = TestKeys.PublicKeyOf(rsa);
        var n = rsa.ExportParameters(false).Modulus!;
        var nPlusOne = ToBytes(new BigInteger(n, isUnsigned: true, isBigEndian: true) + 1, n.Length);
        var allOnes = new byte[n.Length];
        Array.Fill(allOnes, (byte)0xFF);
        foreach (var signature in new[] { n, nPlusOne, allOnes })
        {
            Assert.AreEqual(PssVerificationResult.SignatureOutOfRange, RsaPssSha256.VerifyData(key, [1, 2, 3], signature));
        }
    }

    [TestMethod]
    [DynamicData(nameof(FixedKeys))]
    public void HandBuiltEncoding_Verifies(string keyName)
    {
        // Checks the test's own EMSA-PSS-ENCODE against the verifier, so the refusal tests
        // below start from an encoding known to be accepted.
        var rsa = FixedKey(keyName);
        var message = "hand-built"u8.ToArray();
        var em = EncodePss(SHA256.HashData(message), RandomNumberGenerator.GetBytes(32), rsa.KeySize - 1);
        Assert.AreEqual(PssVerificationResult.Valid, Verify(rsa, message, em));
    }

    [TestMethod]
    public void WrongTrailer_IsRefused()
    {
        var rsa = Key2048.Value;
        var message = "m"u8.ToArray();
        var em = EncodePss(SHA256.HashData(message), new byte[32], rsa.KeySize - 1);
        em[^1] = 0xBD;
        Assert.AreEqual(PssVerificationResult.BadTrailer, Verify(rsa, message, em));
    }

    [TestMethod]
    public void NonZeroLeftmostBit_IsRefused()
    {
        // 2048-bit key: emBits = 2047, so the top bit of EM must be zero (RFC 8017 §9.1.2 step 6).
        var rsa = Key2048.Value;
        var message = "m"u8.ToArray();
        var em = EncodePss(SHA256.HashData(message), new byte[32], rsa.KeySize - 1);

        // 0x80 exactly, so that EM stays below n (whose top byte is larger) and can be "signed".
        em[0] = 0x80;
        Assert.AreEqual(PssVerificationResult.NonZeroLeftmostBits, Verify(rsa, message, em));
    }

    [TestMethod]
    public void EncodedMessageLongerThanEmLen_IsRefused()
    {
        // 2049-bit key: emLen = 256 = k - 1, so m must be below 2^2048 (RFC 8017 §8.1.2 step 2c).
        var rsa = Key2049.Value;
        var key = TestKeys.PublicKeyOf(rsa);
        var m = (BigInteger.One << 2048) + 12345;
        var signature = SignRaw(rsa, m);
        Assert.AreEqual(PssVerificationResult.EncodedMessageTooLong, RsaPssSha256.VerifyData(key, [1], signature));
    }

    [TestMethod]
    public void NonZeroPadding_IsRefused()
    {
        var rsa = Key2048.Value;
        var message = "m"u8.ToArray();
        var mHash = SHA256.HashData(message);
        int emBits = rsa.KeySize - 1;

        // A byte of PS set: build DB by hand with the fault, then mask it.
        var em = EncodePss(mHash, new byte[32], emBits, db => db[10] = 0x01);
        Assert.AreEqual(PssVerificationResult.BadPadding, Verify(rsa, message, em));

        // The 0x01 separator missing.
        em = EncodePss(mHash, new byte[32], emBits, db => db[db.Length - 33] = 0x02);
        Assert.AreEqual(PssVerificationResult.BadPadding, Verify(rsa, message, em));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(20)]
    [DataRow(64)]
    public void OtherSaltLengths_AreRefused(int saltLength)
    {
        // PS256 fixes sLen = 32 (RFC 8230 §2); a valid PSS signature with another salt length
        // is not a PS256 signature. .NET makes such signatures only through its own salt
        // rule, so they are built by hand.
        var rsa = Key2048.Value;
        var message = "m"u8.ToArray();
        var em = EncodePss(SHA256.HashData(message), RandomNumberGenerator.GetBytes(saltLength), rsa.KeySize - 1);
        Assert.AreEqual(PssVerificationResult.BadPadding, Verify(rsa, message, em));
    }

    [TestMethod]
    public void EncodingOfAnotherMessage_IsRefused_WithHashMismatch()
    {
        var rsa = Key2048.Value;
        var em = EncodePss(SHA256.HashData("other"u8.ToArray()), new byte[32], rsa.KeySize - 1);
        Assert.AreEqual(PssVerificationResult.HashMismatch, Verify(rsa, "m"u8.ToArray(), em));
    }

    [TestMethod]
    public void ResultNames_AreDistinct()
    {
        var names = new HashSet<string>();
        foreach (PssVerificationResult result in Enum.GetValues<PssVerificationResult>())
        {
            Assert.AreEqual(result.ToString(), RsaPssSha256.ResultName(result));
            Assert.IsTrue(names.Add(RsaPssSha256.ResultName(result)));
        }
    }

    [TestMethod]
    public void NullArguments_AreRefused()
    {
        var key = TestKeys.PublicKeyOf(Key2048.Value);
        Assert.ThrowsExactly<ArgumentNullException>(() => RsaPssSha256.VerifyData(null!, [1], new byte[256]));
        Assert.ThrowsExactly<ArgumentNullException>(() => RsaPssSha256.VerifyData(key, null!, new byte[256]));
        Assert.ThrowsExactly<ArgumentNullException>(() => RsaPssSha256.VerifyData(key, [1], null!));
        Assert.ThrowsExactly<ArgumentException>(() => RsaPssSha256.VerifyHash(key, new byte[31], new byte[256], PortableDigests.Instance));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RsaPssSha256.VerifyData(key, [1], 0, 2, new byte[256], PortableDigests.Instance));
    }

    private static RSA FixedKey(string name) => name switch
    {
        "2048" => Key2048.Value,
        "2049" => Key2049.Value,
        "3072" => Key3072.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static PssVerificationResult Verify(RSA rsa, byte[] message, byte[] em)
    {
        var signature = SignRaw(rsa, new BigInteger(em, isUnsigned: true, isBigEndian: true));
        return RsaPssSha256.VerifyData(TestKeys.PublicKeyOf(rsa), message, signature);
    }

    /// <summary>s = m^d mod n, as k bytes: a "signature" whose s^e mod n is exactly m.</summary>
    internal static byte[] SignRaw(RSA rsa, BigInteger m)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: true);
        var n = new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true);
        var d = new BigInteger(parameters.D, isUnsigned: true, isBigEndian: true);
        Assert.IsLessThan(n, m);
        return ToBytes(BigInteger.ModPow(m, d, n), parameters.Modulus!.Length);
    }

    /// <summary>
    /// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with SHA-256 and MGF1-SHA-256, written from the RFC
    /// independently of the code under test; <paramref name="corruptDb"/> may alter DB before
    /// it is masked.
    /// </summary>
    internal static byte[] EncodePss(byte[] mHash, byte[] salt, int emBits, Action<byte[]>? corruptDb = null)
    {
        int emLen = (emBits + 7) / 8;
        var mPrime = new byte[8 + 32 + salt.Length];
        mHash.CopyTo(mPrime, 8);
        salt.CopyTo(mPrime, 40);
        var h = SHA256.HashData(mPrime);
        var db = new byte[emLen - 32 - 1];
        db[db.Length - salt.Length - 1] = 0x01;
        salt.CopyTo(db, db.Length - salt.Length);
        corruptDb?.Invoke(db);
        var mask = Mgf1(h, db.Length);
        for (int i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        db[0] &= (byte)(0xFF >> ((8 * emLen) - emBits));
        var em = new byte[emLen];
        db.CopyTo(em, 0);
        h.CopyTo(em, db.Length);
        em[^1] = 0xBC;
        return em;
    }

    private static byte[] Mgf1(byte[] seed, int length)
    {
        var output = new byte[length + 32];
        for (int counter = 0; counter * 32 < length; counter++)
        {
            var block = new byte[seed.Length + 4];
            seed.CopyTo(block, 0);
            block[^4] = (byte)(counter >> 24);
            block[^3] = (byte)(counter >> 16);
            block[^2] = (byte)(counter >> 8);
            block[^1] = (byte)counter;
            SHA256.HashData(block).CopyTo(output, counter * 32);
        }

        return output[..length];
    }

    internal static byte[] ToBytes(BigInteger value, int length)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[length];
        bytes.CopyTo(result, length - bytes.Length);
        return result;
    }
}
