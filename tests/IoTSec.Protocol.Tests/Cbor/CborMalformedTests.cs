using System;
using IoTSec.Protocol.Cbor;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Sfc = System.Formats.Cbor;

namespace IoTSec.Protocol.Tests.Cbor;

/// <summary>
/// A corpus of malformed, non-deterministic and out-of-subset inputs. Each must be refused
/// with exactly one specific <see cref="CborError"/>, and never with another exception type.
/// Where the input is invalid deterministic CBOR in general (not merely outside our subset),
/// System.Formats.Cbor in CTAP2 canonical mode must refuse it too.
/// </summary>
[TestClass]
public sealed class CborMalformedTests
{
    [TestMethod]
    // Truncation: heads, contents and items cut short.
    [DataRow("", CborError.Truncated, true)]
    [DataRow("18", CborError.Truncated, true)]
    [DataRow("19 01", CborError.Truncated, true)]
    [DataRow("1a 00 01 00", CborError.Truncated, true)]
    [DataRow("1b 00 00 00 01 00 00 00", CborError.Truncated, true)]
    [DataRow("41", CborError.Truncated, true)]
    [DataRow("62 61", CborError.Truncated, true)]
    [DataRow("82 01", CborError.Truncated, true)]
    [DataRow("a1 01", CborError.Truncated, true)]
    [DataRow("a2 01 02", CborError.Truncated, true)]
    [DataRow("c2", CborError.Truncated, true)]
    [DataRow("83 01 82 02", CborError.Truncated, true)]
    // Claimed lengths and counts far beyond the input: refused before allocating or looping.
    [DataRow("5a ff ff ff ff 00", CborError.Truncated, true)]
    [DataRow("5b ff ff ff ff ff ff ff ff", CborError.Truncated, true)]
    [DataRow("7b 7f ff ff ff ff ff ff ff", CborError.Truncated, true)]
    [DataRow("9a ff ff ff ff 00 00", CborError.Truncated, true)]
    [DataRow("9b 00 00 00 01 00 00 00 00 00", CborError.Truncated, true)]
    [DataRow("bb ff ff ff ff ff ff ff ff 00", CborError.Truncated, true)]
    [DataRow("83 01 02", CborError.Truncated, true)]
    [DataRow("a2 01 02 03", CborError.Truncated, true)]
    // Indefinite lengths and the break code.
    [DataRow("5f ff", CborError.IndefiniteLength, true)]
    [DataRow("7f ff", CborError.IndefiniteLength, true)]
    [DataRow("9f ff", CborError.IndefiniteLength, true)]
    [DataRow("bf ff", CborError.IndefiniteLength, true)]
    [DataRow("ff", CborError.IndefiniteLength, true)]
    [DataRow("81 ff", CborError.IndefiniteLength, true)]
    // Reserved additional information, and 31 where no indefinite form exists.
    [DataRow("1c", CborError.ReservedAdditionalInfo, true)]
    [DataRow("1d", CborError.ReservedAdditionalInfo, true)]
    [DataRow("1e", CborError.ReservedAdditionalInfo, true)]
    [DataRow("3c", CborError.ReservedAdditionalInfo, true)]
    [DataRow("5d", CborError.ReservedAdditionalInfo, true)]
    [DataRow("7e", CborError.ReservedAdditionalInfo, true)]
    [DataRow("9c", CborError.ReservedAdditionalInfo, true)]
    [DataRow("bd", CborError.ReservedAdditionalInfo, true)]
    [DataRow("dc 00", CborError.ReservedAdditionalInfo, true)]
    [DataRow("fc", CborError.ReservedAdditionalInfo, true)]
    [DataRow("fe", CborError.ReservedAdditionalInfo, true)]
    [DataRow("1f", CborError.ReservedAdditionalInfo, true)]
    [DataRow("3f", CborError.ReservedAdditionalInfo, true)]
    [DataRow("df 00", CborError.ReservedAdditionalInfo, true)]
    // Non-shortest heads (RFC 8949 §4.2.1).
    [DataRow("18 17", CborError.NonShortestEncoding, true)]
    [DataRow("18 00", CborError.NonShortestEncoding, true)]
    [DataRow("19 00 ff", CborError.NonShortestEncoding, true)]
    [DataRow("1a 00 00 ff ff", CborError.NonShortestEncoding, true)]
    [DataRow("1b 00 00 00 00 ff ff ff ff", CborError.NonShortestEncoding, true)]
    [DataRow("38 00", CborError.NonShortestEncoding, true)]
    [DataRow("3b 00 00 00 00 00 00 00 00", CborError.NonShortestEncoding, true)]
    [DataRow("58 00", CborError.NonShortestEncoding, true)]
    [DataRow("59 00 01 00", CborError.NonShortestEncoding, true)]
    [DataRow("78 01 61", CborError.NonShortestEncoding, true)]
    [DataRow("98 01 00", CborError.NonShortestEncoding, true)]
    [DataRow("b8 00", CborError.NonShortestEncoding, true)]
    [DataRow("d8 12 80", CborError.NonShortestEncoding, false)]
    [DataRow("81 19 00 05", CborError.NonShortestEncoding, true)]
    // Map keys: duplicates and order (bytewise, not RFC 7049 length-first).
    [DataRow("a2 01 02 01 03", CborError.DuplicateMapKey, true)]
    [DataRow("a2 61 61 00 61 61 01", CborError.DuplicateMapKey, true)]
    [DataRow("a1 00 a2 01 00 01 00", CborError.DuplicateMapKey, true)]
    [DataRow("a2 03 04 01 02", CborError.MapKeyOutOfOrder, true)]
    [DataRow("a2 61 62 00 61 61 00", CborError.MapKeyOutOfOrder, true)]
    [DataRow("a2 20 00 18 18 00", CborError.MapKeyOutOfOrder, true)]
    [DataRow("a2 61 61 00 01 00", CborError.MapKeyOutOfOrder, true)]
    [DataRow("a3 01 00 02 00 02 00", CborError.DuplicateMapKey, true)]
    // Simple values and floats outside the subset.
    [DataRow("f7", CborError.UnsupportedSimpleValue, false)]
    [DataRow("e0", CborError.UnsupportedSimpleValue, false)]
    [DataRow("f3", CborError.UnsupportedSimpleValue, false)]
    [DataRow("f8 20", CborError.UnsupportedSimpleValue, false)]
    [DataRow("f8 18", CborError.UnsupportedSimpleValue, true)]
    [DataRow("f9 3c 00", CborError.UnsupportedFloat, false)]
    [DataRow("fa 47 c3 50 00", CborError.UnsupportedFloat, false)]
    [DataRow("fb 3f f1 99 99 99 99 99 9a", CborError.UnsupportedFloat, false)]
    [DataRow("f9", CborError.UnsupportedFloat, true)]
    [DataRow("a1 00 f9 00 00", CborError.UnsupportedFloat, false)]
    // Invalid UTF-8 (RFC 3629): stray continuation, overlong forms, surrogates, beyond U+10FFFF.
    [DataRow("61 80", CborError.InvalidUtf8, true)]
    [DataRow("61 ff", CborError.InvalidUtf8, true)]
    [DataRow("62 c0 80", CborError.InvalidUtf8, true)]
    [DataRow("62 c1 bf", CborError.InvalidUtf8, true)]
    [DataRow("63 e0 80 80", CborError.InvalidUtf8, true)]
    [DataRow("64 f0 80 80 80", CborError.InvalidUtf8, true)]
    [DataRow("63 ed a0 80", CborError.InvalidUtf8, true)]
    [DataRow("66 ed a0 bd ed b2 a9", CborError.InvalidUtf8, true)]
    [DataRow("64 f4 90 80 80", CborError.InvalidUtf8, true)]
    [DataRow("62 e2 82", CborError.InvalidUtf8, true)]
    [DataRow("62 c2 41", CborError.InvalidUtf8, true)]
    [DataRow("61 c2", CborError.InvalidUtf8, true)]
    [DataRow("a1 61 c2 00", CborError.InvalidUtf8, true)]
    // Trailing bytes after the top-level item.
    [DataRow("00 00", CborError.TrailingBytes, true)]
    [DataRow("80 80", CborError.TrailingBytes, true)]
    [DataRow("a0 ff", CborError.TrailingBytes, true)]
    public void MalformedInput_IsRefusedWithItsReason(string hex, CborError reason, bool referenceRefusesToo)
    {
        var encoded = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

        var error = Assert.ThrowsExactly<CborException>(() => ReadWhole(encoded));
        Assert.AreEqual(reason, error.Reason, error.Message);
        StringAssert.Contains(error.Message, "at offset " + error.Offset);
        Assert.IsTrue(error.Offset >= 0 && error.Offset <= encoded.Length, "offset inside the input");

        if (referenceRefusesToo)
        {
            Assert.IsFalse(ReferenceAccepts(encoded), "System.Formats.Cbor (CTAP2 canonical) accepts it");
        }
    }

    [TestMethod]
    public void Depth16_IsAccepted_Depth17_IsRefused()
    {
        var sixteen = Nested(16, 0x81);
        Assert.AreEqual(new string('[', 16) + "0" + new string(']', 16), CborDiagnostic.Read(sixteen));

        var error = Assert.ThrowsExactly<CborException>(() => ReadWhole(Nested(17, 0x81)));
        Assert.AreEqual(CborError.NestingTooDeep, error.Reason);
        Assert.AreEqual(16, error.Offset);

        // Tags and maps count as levels too, and an empty innermost container still nests.
        Assert.AreEqual(CborError.NestingTooDeep, Assert.ThrowsExactly<CborException>(() => ReadWhole(Nested(17, 0xc1))).Reason);
        var mapsThenEmpty = new byte[33];
        Array.Fill(mapsThenEmpty, (byte)0xa1, 0, 16);
        mapsThenEmpty[16] = 0x80; // the innermost key: an empty array at level 17
        Assert.AreEqual(CborError.NestingTooDeep, Assert.ThrowsExactly<CborException>(() => ReadWhole(mapsThenEmpty)).Reason);
    }

    [TestMethod]
    public void DeepNestingBomb_IsRefusedAtTheLimit()
    {
        // A million nested array heads: refused at level 17 without recursing further.
        var bomb = new byte[1_000_000];
        Array.Fill(bomb, (byte)0x81);

        var error = Assert.ThrowsExactly<CborException>(() => ReadWhole(bomb));
        Assert.AreEqual(CborError.NestingTooDeep, error.Reason);
    }

    [TestMethod]
    [Timeout(5_000, CooperativeCancellation = true)]
    public void HugeClaimedCounts_FailFast_WithoutAllocating()
    {
        // 2^32 items claimed, then 2^64 - 1 pairs, then a 4 GiB string, each in a small input.
        foreach (var hex in new[] { "9b0000000100000000", "bbffffffffffffffff", "5b0000000100000000", "9affffffff" + "00000000" })
        {
            var encoded = Convert.FromHexString(hex);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.ThrowsExactly<CborException>(() => new IoTSec.Protocol.Cbor.CborReader(encoded).SkipValue());
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.AreEqual(CborError.Truncated, error.Reason, hex);
            Assert.IsLessThan(16 * 1024, allocated, "allocated " + allocated + " bytes for " + hex);
        }
    }

    /// <summary>Reads one item completely through the public API and requires the input to end.</summary>
    internal static void ReadWhole(byte[] encoded)
    {
        var reader = new IoTSec.Protocol.Cbor.CborReader(encoded);
        reader.SkipValue();
        reader.ReadEnd();
    }

    private static byte[] Nested(int levels, byte head)
    {
        var encoded = new byte[levels + 1];
        Array.Fill(encoded, head, 0, levels);
        encoded[levels] = 0x00;
        return encoded;
    }

    private static bool ReferenceAccepts(byte[] encoded)
    {
        try
        {
            var reader = new Sfc.CborReader(encoded, Sfc.CborConformanceMode.Ctap2Canonical);
            reader.SkipValue();
            return reader.BytesRemaining == 0;
        }
        catch (Sfc.CborContentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
