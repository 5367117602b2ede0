using System;
using System.Security.Cryptography;
using System.Text;
using IoTSec.Protocol.Crypto;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Crypto.CryptoTestData;

namespace IoTSec.Protocol.Tests.Crypto;

/// <summary>HMAC-SHA256 against RFC 4231 and .NET's HMACSHA256.</summary>
[TestClass]
public sealed class HmacSha256Tests
{
    // 131 bytes of 0xaa: longer than the block, so the key is hashed first (RFC 2104 section 2).
    private const string LongKey131 =
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    // RFC 4231 section 4, test cases 1-7 (HMAC-SHA-256 column). Case 5 specifies only the
    // first 128 bits of the output (a truncated MAC, RFC 2104 section 5).
    [TestMethod]
    [DataRow("case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")]
    [DataRow("case 2", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    [DataRow("case 3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")]
    [DataRow("case 4", "0102030405060708090a0b0c0d0e0f10111213141516171819", "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")]
    [DataRow("case 5", "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e", "a3b6167473100ee06e0c796c2955552b")]
    [DataRow("case 6", LongKey131, "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")]
    [DataRow("case 7", LongKey131, "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e", "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")]
    public void Compute_MatchesRfc4231(string name, string keyHex, string dataHex, string macHex)
    {
        var key = Hex(keyHex);
        var data = Hex(dataHex);
        var expected = Hex(macHex);

        var oneShot = HmacSha256.Compute(key, data);
        CollectionAssert.AreEqual(expected, oneShot[..expected.Length], name + " one-shot");

        using var hmac = new HmacSha256(key);
        FeedInRandomPieces(new Random(4231), data, hmac.Update);
        var streamed = hmac.Final();
        CollectionAssert.AreEqual(oneShot, streamed, name + " streamed");

        // The same vectors through a SHA-256 that is not the portable one (the padded-key path
        // a device with a native digest takes).
        using var overOther = new HmacSha256(key, new DotNetSha256());
        overOther.Update(data, 0, data.Length);
        CollectionAssert.AreEqual(oneShot, overOther.Final(), name + " over another SHA-256");

        // A receiver checks a truncated MAC by comparing the leftmost bytes in constant time.
        Assert.IsTrue(ConstantTime.AreEqual(expected, 0, streamed, 0, expected.Length), name + " verify");
    }

    [TestMethod]
    public void Compute_MatchesDotNet_ForKeysAroundTheBlockSize()
    {
        var random = new Random(2104);
        var keyLengths = new[] { 0, 1, 31, 32, 33, 63, 64, 65, 100, 128, 131, 200 };
        foreach (int keyLength in keyLengths)
        {
            for (int i = 0; i < 10; i++)
            {
                var key = RandomBytes(random, keyLength);
                var data = RandomBytes(random, random.Next(600));
                var expected = HMACSHA256.HashData(key, data);
                CollectionAssert.AreEqual(expected, HmacSha256.Compute(key, data), "key " + keyLength + " one-shot");

                using var hmac = new HmacSha256(key);
                FeedInRandomPieces(random, data, hmac.Update);
                CollectionAssert.AreEqual(expected, hmac.Final(), "key " + keyLength + " streamed");

                using var overOther = new HmacSha256(key, new DotNetSha256());
                FeedInRandomPieces(random, data, overOther.Update);
                CollectionAssert.AreEqual(expected, overOther.Final(), "key " + keyLength + " over another SHA-256");
            }
        }
    }

    [TestMethod]
    public void Reset_AuthenticatesManyMessagesUnderOneKey()
    {
        var random = new Random(11);
        var key = RandomBytes(random, 32);
        using var hmac = new HmacSha256(key);
        var mac = new byte[32];
        for (int i = 0; i < 50; i++)
        {
            var data = RandomBytes(random, random.Next(300));
            hmac.Reset();
            hmac.Update(data, 0, data.Length);
            hmac.Final(mac, 0);
            CollectionAssert.AreEqual(HMACSHA256.HashData(key, data), mac, "message " + i);
        }
    }

    [TestMethod]
    public void Compute_WithRanges_ReadsAndWritesOnlyThoseRanges()
    {
        var random = new Random(12);
        var key = RandomBytes(random, 20);
        var buffer = RandomBytes(random, 300);
        var output = new byte[50];
        HmacSha256.Compute(key, buffer, 10, 200, output, 9);
        CollectionAssert.AreEqual(HMACSHA256.HashData(key, buffer.AsSpan(10, 200)), output[9..41]);
        Assert.IsTrue(output[..9].AsSpan().IndexOfAnyExcept((byte)0) < 0);
        Assert.IsTrue(output[41..].AsSpan().IndexOfAnyExcept((byte)0) < 0);

        // The MAC may be written over the message it authenticates (as HKDF does).
        var expected = HMACSHA256.HashData(key, buffer.AsSpan(0, 100));
        HmacSha256.Compute(key, buffer, 0, 100, buffer, 50);
        CollectionAssert.AreEqual(expected, buffer[50..82]);
    }

    [TestMethod]
    public void UpdateOrFinal_AfterFinal_ThrowUntilReset()
    {
        var key = Encoding.ASCII.GetBytes("Jefe");
        var data = Encoding.ASCII.GetBytes("what do ya want for nothing?");
        using var hmac = new HmacSha256(key);
        hmac.Update(data);
        var first = hmac.Final();

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => hmac.Update(data));
        StringAssert.Contains(error.Message, "Reset");
        Assert.ThrowsExactly<InvalidOperationException>(() => hmac.Final());

        hmac.Reset();
        hmac.Update(data);
        CollectionAssert.AreEqual(first, hmac.Final());
        CollectionAssert.AreEqual(Hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), first);
    }

    [TestMethod]
    [DataRow(20)]
    [DataRow(131)]
    public void Dispose_WipesKeyMaterial_AndRefusesFurtherUse(int keyLength)
    {
        var key = RandomBytes(new Random(keyLength), keyLength);
        var hmac = new HmacSha256(key);
        hmac.Update(new byte[70], 0, 70);
        hmac.Final();
        hmac.Dispose();

        Assert.IsTrue(AllArrayFieldsAreZero(hmac), "midstates, pads and inner digest must be zero after Dispose");
        var sha = typeof(HmacSha256).GetField("_hash", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(hmac)!;
        Assert.IsTrue(AllArrayFieldsAreZero(sha), "the underlying SHA-256 must be wiped too");
        Assert.ThrowsExactly<ObjectDisposedException>(() => hmac.Update(new byte[1]));
        Assert.ThrowsExactly<ObjectDisposedException>(() => hmac.Final());
        Assert.ThrowsExactly<ObjectDisposedException>(hmac.Reset);
        hmac.Dispose();
    }

    [TestMethod]
    public void Clear_OverAnotherHash_WipesPadsAndDisposesTheHash()
    {
        var inner = new DotNetSha256();
        var hmac = new HmacSha256(RandomBytes(new Random(1), 40), inner);
        hmac.Clear();

        Assert.IsTrue(AllArrayFieldsAreZero(hmac), "padded keys must be zero after Clear");
        Assert.IsTrue(inner.Disposed, "the HMAC owns the hash it was given");
        Assert.ThrowsExactly<ObjectDisposedException>(() => hmac.Update(new byte[1]));
    }

    [TestMethod]
    public void Constructor_RejectsMissingKeyOrUnsuitableHash()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => new HmacSha256(null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => new HmacSha256(new byte[16], null!));
        var error = Assert.ThrowsExactly<ArgumentException>(() => new HmacSha256(new byte[16], new WrongSizeHash()));
        Assert.AreEqual("sha256", error.ParamName);
        Assert.ThrowsExactly<ArgumentNullException>(() => HmacSha256.Compute(new byte[1], null!));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HmacSha256.Compute(new byte[1], new byte[10], 0, 10, new byte[31], 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HmacSha256.Compute(new byte[1], new byte[10], 5, 6, new byte[32], 0));
    }

    [TestMethod]
    public void ReusedInstance_AllocatesNothingPerMessage()
    {
        var key = RandomBytes(new Random(9), 32);
        var message = RandomBytes(new Random(10), 200);
        var mac = new byte[32];
        using var hmac = new HmacSha256(key);
        for (int warm = 0; warm < 3; warm++)
        {
            hmac.Reset();
            hmac.Update(message, 0, message.Length);
            hmac.Final(mac, 0);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            hmac.Reset();
            hmac.Update(message, 0, 77);
            hmac.Update(message, 77, 123);
            hmac.Final(mac, 0);
        }

        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
        CollectionAssert.AreEqual(HMACSHA256.HashData(key, message), mac);
    }
}
