using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Crypto.CryptoTestData;
using Sha256 = IoTSec.Protocol.Crypto.Sha256;

namespace IoTSec.Protocol.Tests.Crypto;

/// <summary>
/// The portable SHA-256 against the FIPS 180-2 examples, NIST CAVP byte-oriented vectors, and
/// .NET's SHA-256 on random messages fed in random pieces.
/// </summary>
[TestClass]
public sealed class Sha256Tests
{
    // FIPS 180-2, appendix B.1 and B.2 (one- and two-block messages).
    [TestMethod]
    [DataRow("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [DataRow("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Hash_MatchesFips180Examples(string message, string digestHex)
    {
        CollectionAssert.AreEqual(Hex(digestHex), Sha256.Hash(Encoding.ASCII.GetBytes(message)));
    }

    // FIPS 180-2, appendix B.3: one million 'a', fed in uneven pieces so the buffer is
    // exercised at every alignment.
    [TestMethod]
    public void Update_OneMillionA_MatchesFips180Example()
    {
        var message = new byte[1_000_000];
        Array.Fill(message, (byte)'a');
        using var sha = new Sha256();
        FeedInRandomPieces(new Random(180), message, sha.Update);
        CollectionAssert.AreEqual(Hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"), sha.Final());
        CollectionAssert.AreEqual(Hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"), Sha256.Hash(message));
    }

    // NIST CAVP "SHA Test Vectors for Hashing Byte-Oriented Messages" (shabytetestvectors),
    // SHA256ShortMsg.rsp and SHA256LongMsg.rsp, typed in by hand. They include every padding
    // boundary: 55 bytes (length fits the block), 56 (it does not), 63, 64 (one whole block).
    [TestMethod]
    [DataRow(0, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [DataRow(8, "d3", "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1")]
    [DataRow(16, "11af", "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98")]
    [DataRow(24, "b4190e", "dff2e73091f6c05e528896c4c831b9448653dc2ff043528f6769437bc7b975c2")]
    [DataRow(32, "74ba2521", "b16aa56be3880d18cd41e68384cf1ec8c17680c45a02b1575dc1518923ae8b0e")]
    [DataRow(64, "5738c929c4f4ccb6", "963bb88f27f512777aab6c8b1a02c70ec0ad651d428f870036e1917120fb48bf")]
    [DataRow(440, "3ebfb06db8c38d5ba037f1363e118550aad94606e26835a01af05078533cc25f2f39573c04b632f62f68c294ab31f2a3e2a1a0d8c2be51", "6595a2ef537a69ba8583dfbf7f5bec0ab1f93ce4c8ee1916eff44a93af5749c4")]
    [DataRow(448, "2d52447d1244d2ebc28650e7b05654bad35b3a68eedc7f8515306b496d75f3e73385dd1b002625024b81a02f2fd6dffb6e6d561cb7d0bd7a", "cfb88d6faf2de3a69d36195acec2e255e2af2b7d933997f348e09f6ce5758360")]
    [DataRow(504, "e2f76e97606a872e317439f1a03fcd92e632e5bd4e7cbc4e97f1afc19a16fde92d77cbe546416b51640cddb92af996534dfd81edb17c4424cf1ac4d75aceeb", "18041bd4665083001fba8c5411d2d748e8abbfdcdfd9218cb02b68a78e7d4c23")]
    [DataRow(512, "5a86b737eaea8ee976a0a24da63e7ed7eefad18a101c1211e2b3650c5187c2a8a650547208251f6d4237e661c7bf4c77f335390394c37fa1a9f9be836ac28509", "42e61e174fbb3897d6dd6cef3dd2802fe67b331953b06114a65c772859dfc1aa")]
    [DataRow(1304, "451101250ec6f26652249d59dc974b7361d571a8101cdfd36aba3b5854d3ae086b5fdd4597721b66e3c0dc5d8c606d9657d0e323283a5217d1f53f2f284f57b85c8a61ac8924711f895c5ed90ef17745ed2d728abd22a5f7a13479a462d71b56c19a74a40b655c58edfe0a188ad2cf46cbf30524f65d423c837dd1ff2bf462ac4198007345bb44dbb7b1c861298cdf61982a833afc728fae1eda2f87aa2c9480858bec", "3c593aa539fdcdae516cdf2f15000f6634185c88f505b39775fb9ab137a10aa2")]
    public void Hash_MatchesNistCavpVectors(int lengthInBits, string messageHex, string digestHex)
    {
        var message = Hex(messageHex);
        Assert.AreEqual(lengthInBits, message.Length * 8, "vector transcribed with the wrong length");
        var expected = Hex(digestHex);

        CollectionAssert.AreEqual(expected, Sha256.Hash(message), "one-shot");

        using var sha = new Sha256();
        for (int i = 0; i < message.Length; i++)
        {
            sha.Update(message, i, 1);
        }

        CollectionAssert.AreEqual(expected, sha.Final(), "one byte at a time");
    }

    [TestMethod]
    public void Update_InRandomPieces_MatchesDotNet()
    {
        var random = new Random(256);
        using var sha = new Sha256();
        var sizes = new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 65_537 };
        foreach (int size in sizes)
        {
            CheckOne(random, sha, size);
        }

        for (int i = 0; i < 300; i++)
        {
            CheckOne(random, sha, random.Next(2048));
        }

        static void CheckOne(Random random, Sha256 sha, int size)
        {
            var message = RandomBytes(random, size);
            sha.Reset();
            FeedInRandomPieces(random, message, sha.Update);
            CollectionAssert.AreEqual(SHA256.HashData(message), sha.Final(), "size " + size);
        }
    }

    [TestMethod]
    public void Hash_OfARange_HashesOnlyThatRange()
    {
        var random = new Random(7);
        var buffer = RandomBytes(random, 500);
        CollectionAssert.AreEqual(SHA256.HashData(buffer.AsSpan(17, 333)), Sha256.Hash(buffer, 17, 333));
        CollectionAssert.AreEqual(SHA256.HashData(ReadOnlySpan<byte>.Empty), Sha256.Hash(buffer, 500, 0));
    }

    [TestMethod]
    public void Final_WritesExactlyTheDigest_AtTheOffset()
    {
        var output = new byte[40];
        Array.Fill(output, (byte)0xEE);
        using var sha = new Sha256();
        sha.Update(Encoding.ASCII.GetBytes("abc"), 0, 3);
        sha.Final(output, 5);

        CollectionAssert.AreEqual(Hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), output[5..37]);
        Assert.IsTrue(output[..5].AsSpan().IndexOfAnyExcept((byte)0xEE) < 0, "bytes before the digest changed");
        Assert.IsTrue(output[37..].AsSpan().IndexOfAnyExcept((byte)0xEE) < 0, "bytes after the digest changed");
    }

    // The defined lifecycle: Final ends the message. Appending to it, or finishing it twice,
    // is refused until Reset, which starts a fresh message.
    [TestMethod]
    public void UpdateOrFinal_AfterFinal_ThrowUntilReset()
    {
        var abc = Encoding.ASCII.GetBytes("abc");
        using var sha = new Sha256();
        sha.Update(abc, 0, 3);
        sha.Final();

        var update = Assert.ThrowsExactly<InvalidOperationException>(() => sha.Update(abc, 0, 3));
        StringAssert.Contains(update.Message, "Reset");
        Assert.ThrowsExactly<InvalidOperationException>(() => sha.Final());

        sha.Reset();
        sha.Update(abc, 0, 3);
        CollectionAssert.AreEqual(Hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), sha.Final());
    }

    [TestMethod]
    public void Reset_MidMessage_DiscardsWhatWasAbsorbed()
    {
        using var sha = new Sha256();
        sha.Update(new byte[100], 0, 100);
        sha.Reset();
        sha.Update(Encoding.ASCII.GetBytes("abc"), 0, 3);
        CollectionAssert.AreEqual(Hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), sha.Final());
    }

    [TestMethod]
    public void Dispose_WipesStateAndRefusesFurtherUse()
    {
        var sha = new Sha256();
        sha.Update(RandomBytes(new Random(3), 100), 0, 100);
        sha.Dispose();

        Assert.IsTrue(AllArrayFieldsAreZero(sha), "state, schedule and buffer must be zero after Dispose");
        Assert.ThrowsExactly<ObjectDisposedException>(() => sha.Update(new byte[1], 0, 1));
        Assert.ThrowsExactly<ObjectDisposedException>(() => sha.Final());
        Assert.ThrowsExactly<ObjectDisposedException>(sha.Reset);
    }

    [TestMethod]
    public void Final_LeavesNoMessageBytesInTheInstance()
    {
        using var sha = new Sha256();
        var secret = RandomBytes(new Random(4), 100);
        sha.Update(secret, 0, secret.Length);
        sha.Final();

        // Only the chaining value (the digest itself) may remain; schedule and buffer are wiped.
        foreach (var field in typeof(Sha256).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic))
        {
            if (field.Name == "_state" || field.GetValue(sha) is not Array array)
            {
                continue;
            }

            foreach (var item in array)
            {
                Assert.AreEqual(0UL, Convert.ToUInt64(item, System.Globalization.CultureInfo.InvariantCulture), field.Name + " still holds data after Final");
            }
        }
    }

    [TestMethod]
    public void Update_RejectsBadRanges_WithoutCorruptingTheMessage()
    {
        using var sha = new Sha256();
        var data = new byte[10];
        sha.Update(Encoding.ASCII.GetBytes("ab"), 0, 2);

        Assert.ThrowsExactly<ArgumentNullException>(() => sha.Update(null!, 0, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sha.Update(data, -1, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sha.Update(data, 11, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sha.Update(data, 5, 6));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sha.Update(data, 5, -1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sha.Update(data, int.MaxValue, int.MaxValue));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sha.Final(new byte[31], 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sha.Final(new byte[40], 9));
        Assert.ThrowsExactly<ArgumentNullException>(() => sha.Final(null!, 0));
        Assert.ThrowsExactly<ArgumentNullException>(() => Sha256.Hash(null!));

        sha.Update(Encoding.ASCII.GetBytes("c"), 0, 1);
        CollectionAssert.AreEqual(Hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), sha.Final());
    }

    // A device hashes a whole firmware slot with one instance: the cost in memory must not
    // grow with the input, nor with the number of messages hashed.
    [TestMethod]
    public void ReusedInstance_AllocatesNothingPerBlockOrPerMessage()
    {
        var data = RandomBytes(new Random(5), 1 << 20);
        var digest = new byte[32];
        using var sha = new Sha256();
        for (int warm = 0; warm < 3; warm++)
        {
            sha.Reset();
            sha.Update(data, 0, data.Length);
            sha.Final(digest, 0);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 4; i++)
        {
            sha.Reset();
            sha.Update(data, 1, 1000);
            sha.Update(data, 1001, data.Length - 1001);
            sha.Final(digest, 0);
        }

        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
        CollectionAssert.AreEqual(SHA256.HashData(data.AsSpan(1)), digest);
    }

    [TestMethod]
    public void Sizes_AreInBytes()
    {
        using var sha = new Sha256();
        Assert.AreEqual(32, sha.HashSize);
        Assert.AreEqual(64, sha.BlockSize);
    }
}
