using System;
using System.Collections.Generic;
using System.Linq;
using IoTSec.Protocol.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

[TestClass]
public sealed class CobsTests
{
    /// <summary>
    /// The examples of the Wikipedia article "Consistent Overhead Byte Stuffing" (which
    /// follow Cheshire and Baker's paper), without the trailing 0x00 delimiter that the
    /// article shows: our encoder leaves delimiting to the frame writer.
    /// </summary>
    public static IEnumerable<object[]> PublishedExamples()
    {
        yield return Example("empty", [], [0x01]);
        yield return Example("00", [0x00], [0x01, 0x01]);
        yield return Example("00 00", [0x00, 0x00], [0x01, 0x01, 0x01]);
        yield return Example("00 11 00", [0x00, 0x11, 0x00], [0x01, 0x02, 0x11, 0x01]);
        yield return Example("11 22 00 33", [0x11, 0x22, 0x00, 0x33], [0x03, 0x11, 0x22, 0x02, 0x33]);
        yield return Example("11 22 33 44", [0x11, 0x22, 0x33, 0x44], [0x05, 0x11, 0x22, 0x33, 0x44]);
        yield return Example("11 00 00 00", [0x11, 0x00, 0x00, 0x00], [0x02, 0x11, 0x01, 0x01, 0x01]);

        // 01 02 ... FE (254 bytes) -> FF 01 02 ... FE
        yield return Example("01..FE", Range(0x01, 0xFE), [0xFF, .. Range(0x01, 0xFE)]);

        // 00 01 02 ... FE (255 bytes) -> 01 FF 01 02 ... FE
        yield return Example("00 01..FE", [0x00, .. Range(0x01, 0xFE)], [0x01, 0xFF, .. Range(0x01, 0xFE)]);

        // 01 02 ... FE FF (255 bytes) -> FF 01 02 ... FE 02 FF
        yield return Example("01..FF", Range(0x01, 0xFF), [0xFF, .. Range(0x01, 0xFE), 0x02, 0xFF]);

        // 02 03 ... FF 00 (255 bytes) -> FF 02 03 ... FF 01 01
        yield return Example("02..FF 00", [.. Range(0x02, 0xFF), 0x00], [0xFF, .. Range(0x02, 0xFF), 0x01, 0x01]);

        // 03 04 ... FF 00 01 (255 bytes) -> FE 03 04 ... FF 02 01
        yield return Example("03..FF 00 01", [.. Range(0x03, 0xFF), 0x00, 0x01], [0xFE, .. Range(0x03, 0xFF), 0x02, 0x01]);
    }

    [TestMethod]
    [DynamicData(nameof(PublishedExamples))]
    public void Encode_ProducesThePublishedBytes(string name, byte[] decoded, byte[] encoded)
    {
        CollectionAssert.AreEqual(encoded, Cobs.Encode(decoded, 0, decoded.Length), name);
    }

    [TestMethod]
    [DynamicData(nameof(PublishedExamples))]
    public void Decode_RestoresThePublishedInput(string name, byte[] decoded, byte[] encoded)
    {
        CollectionAssert.AreEqual(decoded, Cobs.Decode(encoded, 0, encoded.Length), name);
    }

    [TestMethod]
    public void RoundTrip_RandomData_NeverEmitsZero_AndStaysWithinTheBound()
    {
        var random = new Random(1999);
        for (int trial = 0; trial < 2000; trial++)
        {
            int length = random.Next(0, 1200);
            var data = new byte[length];
            random.NextBytes(data);

            // Vary the density of zeros: none, some, mostly zeros.
            int zeroEvery = trial % 3 == 0 ? 0 : trial % 3 == 1 ? 7 : 1;
            for (int i = 0; i < length && zeroEvery > 0; i++)
            {
                if (random.Next(zeroEvery + 1) == 0)
                {
                    data[i] = 0;
                }
                else if (data[i] == 0)
                {
                    data[i] = 1;
                }
            }

            var encoded = Cobs.Encode(data, 0, length);
            Assert.DoesNotContain((byte)0, encoded);
            Assert.IsLessThanOrEqualTo(Cobs.MaxEncodedLength(length), encoded.Length);
            CollectionAssert.AreEqual(data, Cobs.Decode(encoded, 0, encoded.Length), "length " + length);
        }
    }

    [TestMethod]
    public void RoundTrip_AtBlockBoundaries()
    {
        foreach (int length in new[] { 253, 254, 255, 508, 509, 2059 })
        {
            var data = Enumerable.Range(0, length).Select(i => (byte)(1 + (i % 255))).ToArray();
            var encoded = Cobs.Encode(data, 0, length);
            Assert.AreEqual(length + ((length + 253) / 254), encoded.Length, "all non-zero, length " + length);
            CollectionAssert.AreEqual(data, Cobs.Decode(encoded, 0, encoded.Length));
        }
    }

    [TestMethod]
    public void Decode_AcceptsTheNonCanonicalTrailingEmptyBlock()
    {
        // Some encoders close a final full block with an extra 0x01; it means nothing more.
        byte[] encoded = [0xFF, .. Range(0x01, 0xFE), 0x01];
        CollectionAssert.AreEqual(Range(0x01, 0xFE), Cobs.Decode(encoded, 0, encoded.Length));
    }

    [TestMethod]
    public void EncodeAndDecode_IntoCallerBuffers_HonourOffsets()
    {
        byte[] data = [0x11, 0x22, 0x00, 0x33];
        var encoded = new byte[10];
        int n = Cobs.Encode(data, 0, data.Length, encoded, 3);
        CollectionAssert.AreEqual(new byte[] { 0x03, 0x11, 0x22, 0x02, 0x33 }, encoded[3..(3 + n)]);

        var decoded = new byte[10];
        int m = Cobs.Decode(encoded, 3, n, decoded, 2);
        CollectionAssert.AreEqual(data, decoded[2..(2 + m)]);
    }

    [TestMethod]
    [DataRow(new byte[] { 0x03, 0x11, 0x00, 0x33 }, ConsoleProtocolError.CobsZeroByte, DisplayName = "zero inside a block")]
    [DataRow(new byte[] { 0x00 }, ConsoleProtocolError.CobsZeroByte, DisplayName = "zero as a code byte")]
    [DataRow(new byte[] { 0x02, 0x11, 0x00, 0x01 }, ConsoleProtocolError.CobsZeroByte, DisplayName = "zero where the next code should be")]
    [DataRow(new byte[] { 0x05, 0x11, 0x22 }, ConsoleProtocolError.CobsOverrun, DisplayName = "code past the end")]
    [DataRow(new byte[] { 0x02, 0x11, 0x03, 0x22 }, ConsoleProtocolError.CobsOverrun, DisplayName = "second code past the end")]
    [DataRow(new byte[] { 0xFF }, ConsoleProtocolError.CobsOverrun, DisplayName = "full block with no data")]
    [DataRow(new byte[0], ConsoleProtocolError.CobsOverrun, DisplayName = "empty")]
    public void Decode_RejectsMalformedInput_WithTheTypedException(byte[] encoded, ConsoleProtocolError reason)
    {
        var e = Assert.ThrowsExactly<ConsoleProtocolException>(() => Cobs.Decode(encoded, 0, encoded.Length));
        Assert.AreEqual(reason, e.Reason);
        Assert.IsFalse(e.IsTransient);
    }

    [TestMethod]
    public void Decode_OnRandomBytes_ThrowsOnlyTheTypedException()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 20000; trial++)
        {
            var junk = new byte[random.Next(0, 40)];
            random.NextBytes(junk);
            try
            {
                var decoded = Cobs.Decode(junk, 0, junk.Length);
                var again = Cobs.Encode(decoded, 0, decoded.Length);
                CollectionAssert.AreEqual(decoded, Cobs.Decode(again, 0, again.Length));
            }
            catch (ConsoleProtocolException)
            {
                // The only acceptable failure.
            }
        }
    }

    private static object[] Example(string name, byte[] decoded, byte[] encoded) => [name, decoded, encoded];

    private static byte[] Range(int first, int last) =>
        Enumerable.Range(first, last - first + 1).Select(i => (byte)i).ToArray();
}
