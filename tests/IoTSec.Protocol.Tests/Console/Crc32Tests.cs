using System;
using System.Text;
using IoTSec.Protocol.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using HashingCrc32 = System.IO.Hashing.Crc32;

namespace IoTSec.Protocol.Tests.Console;

[TestClass]
public sealed class Crc32Tests
{
    // The CRC catalogue's check value ("123456789") and zlib/PNG results for common strings.
    [TestMethod]
    [DataRow("123456789", 0xCBF43926u)]
    [DataRow("", 0x00000000u)]
    [DataRow("a", 0xE8B7BE43u)]
    [DataRow("abc", 0x352441C2u)]
    [DataRow("message digest", 0x20159D7Fu)]
    [DataRow("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Compute_MatchesPublishedVectors(string text, uint expected)
    {
        var data = Encoding.ASCII.GetBytes(text);
        Assert.AreEqual(expected, Crc32.Compute(data, 0, data.Length));
    }

    [TestMethod]
    public void Compute_AgreesWithSystemIoHashingAndZlib_OnRandomData()
    {
        var random = new Random(20240611);
        for (int length = 0; length < 600; length += 1 + (length / 16))
        {
            var data = new byte[length];
            random.NextBytes(data);
            uint ours = Crc32.Compute(data, 0, data.Length);
            Assert.AreEqual(HashingCrc32.HashToUInt32(data), ours, "System.IO.Hashing, length " + length);
            Assert.AreEqual(Zlib.Crc32(0, data), ours, "zlib, length " + length);
        }
    }

    [TestMethod]
    public void Update_ContinuesACrcLikeZlib()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        for (int split = 0; split <= data.Length; split++)
        {
            uint head = Crc32.Compute(data, 0, split);
            uint whole = Crc32.Update(head, data, split, data.Length - split);
            Assert.AreEqual(0x414FA339u, whole, "split at " + split);
            Assert.AreEqual(Zlib.Crc32(head, data[split..]), whole, "zlib continuation at " + split);
        }
    }

    [TestMethod]
    public void Compute_HonoursOffsetAndCount()
    {
        var data = Encoding.ASCII.GetBytes("xx123456789yy");
        Assert.AreEqual(0xCBF43926u, Crc32.Compute(data, 2, 9));
    }

    [TestMethod]
    public void Compute_RejectsRangesOutsideTheBuffer()
    {
        var data = new byte[4];
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Crc32.Compute(data, 2, 3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Crc32.Compute(data, -1, 1));
        Assert.ThrowsExactly<ArgumentNullException>(() => Crc32.Compute(null!, 0, 0));
    }
}
