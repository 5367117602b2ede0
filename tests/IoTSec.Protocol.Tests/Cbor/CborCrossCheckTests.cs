using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IoTSec.Fuzz.Targets;
using IoTSec.Protocol.Cbor;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using CborWriter = IoTSec.Protocol.Cbor.CborWriter;
using Sfc = System.Formats.Cbor;

namespace IoTSec.Protocol.Tests.Cbor;

/// <summary>
/// Random structures written and read by both the portable subset and System.Formats.Cbor.
/// CTAP2 canonical mode sorts map keys by major type, then length, then bytes, which for
/// integer and string keys is exactly RFC 8949's bytewise order of encodings, so both
/// writers must produce identical bytes and each reader must accept the other's output.
/// </summary>
[TestClass]
public sealed class CborCrossCheckTests
{
    private const int Structures = 400;

    [TestMethod]
    public void RandomStructures_EncodeIdentically_AndDecodeBothWays_InCtap2CanonicalMode()
    {
        for (var seed = 0; seed < Structures; seed++)
        {
            var random = new Random(seed);
            var item = Generate(random, depth: 0, allowTags: false);
            var expected = item.Diagnostic();

            var ours = Encode(item);
            var reference = new Sfc.CborWriter(Sfc.CborConformanceMode.Ctap2Canonical);
            item.WriteReference(reference, random, shuffleKeys: true);
            var theirs = reference.Encode();

            CollectionAssert.AreEqual(theirs, ours, "seed " + seed + ": " + expected);
            Assert.AreEqual(expected, CborDiagnostic.Read(theirs), "seed " + seed);
            Assert.AreEqual(expected, CborDiagnostic.ReadWithReference(ours, Sfc.CborConformanceMode.Ctap2Canonical), "seed " + seed);
        }
    }

    [TestMethod]
    public void RandomStructuresWithTags_EncodeIdentically_AndDecodeBothWays_InStrictMode()
    {
        for (var seed = 0; seed < Structures; seed++)
        {
            var random = new Random(10_000 + seed);
            var item = Generate(random, depth: 0, allowTags: true);
            var expected = item.Diagnostic();

            var ours = Encode(item);
            var reference = new Sfc.CborWriter(Sfc.CborConformanceMode.Strict);
            item.WriteReference(reference, random, shuffleKeys: false);

            CollectionAssert.AreEqual(reference.Encode(), ours, "seed " + seed + ": " + expected);
            Assert.AreEqual(expected, CborDiagnostic.Read(reference.Encode()), "seed " + seed);
            Assert.AreEqual(expected, CborDiagnostic.ReadWithReference(ours, Sfc.CborConformanceMode.Strict), "seed " + seed);

            // Transcoding through our reader and writer is the identity on deterministic input.
            var reader = new IoTSec.Protocol.Cbor.CborReader(ours);
            var writer = new CborWriter();
            CborTranscoder.Copy(reader, writer);
            reader.ReadEnd();
            CollectionAssert.AreEqual(ours, writer.Encode(), "seed " + seed);
        }
    }

    [TestMethod]
    public void MutatedEncodings_AreAcceptedOnlyWhenTheReferenceAgrees_AndOtherwiseRefusedWithCborException()
    {
        var accepted = 0;
        for (var seed = 0; seed < Structures; seed++)
        {
            var random = new Random(20_000 + seed);
            var valid = Encode(Generate(random, depth: 0, allowTags: false));
            for (var round = 0; round < 25; round++)
            {
                var mutated = Mutate(valid, random);
                string? ours;
                try
                {
                    ours = CborDiagnostic.Read(mutated);
                }
                catch (CborException)
                {
                    ours = null;
                }

                var theirs = ReferenceDiagnostic(mutated, Sfc.CborConformanceMode.Ctap2Canonical);
                var hex = Convert.ToHexStringLower(mutated);
                if (ours is not null)
                {
                    accepted++;

                    // CTAP2 canonical mode refuses tags, which our subset reads: compare
                    // tagged input with the reference in strict mode instead.
                    var reference = theirs ?? (ContainsTag(mutated) ? ReferenceDiagnostic(mutated, Sfc.CborConformanceMode.Strict) : null);
                    Assert.AreEqual(reference, ours, "accepted by us, not by the reference: " + hex);
                }
                else if (theirs is not null)
                {
                    // The reference accepts something we refuse: only the subset's own
                    // restrictions (floats, other simple values, depth) may explain it.
                    var error = Assert.ThrowsExactly<CborException>(() => CborDiagnostic.Read(mutated));
                    Assert.IsTrue(
                        error.Reason is CborError.UnsupportedFloat or CborError.UnsupportedSimpleValue or CborError.NestingTooDeep,
                        "refused by us (" + error.Message + "), accepted by the reference: " + hex);
                }
            }
        }

        Assert.IsGreaterThan(0, accepted, "some mutations stay valid");
    }

    private static byte[] Encode(TestItem item)
    {
        var writer = new CborWriter();
        item.Write(writer);
        return writer.Encode();
    }

    /// <summary>The reference's reading, or null when it refuses.</summary>
    private static string? ReferenceDiagnostic(byte[] encoded, Sfc.CborConformanceMode mode)
    {
        try
        {
            return CborDiagnostic.ReadWithReference(encoded, mode);
        }
        catch (Sfc.CborContentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool ContainsTag(byte[] encoded)
    {
        var reader = new IoTSec.Protocol.Cbor.CborReader(encoded);
        var found = false;
        while (reader.PeekState() != IoTSec.Protocol.Cbor.CborReaderState.Finished)
        {
            switch (reader.PeekState())
            {
                case IoTSec.Protocol.Cbor.CborReaderState.Tag:
                    reader.ReadTag();
                    found = true;
                    break;
                case IoTSec.Protocol.Cbor.CborReaderState.StartArray:
                    reader.ReadStartArray();
                    break;
                case IoTSec.Protocol.Cbor.CborReaderState.EndArray:
                    reader.ReadEndArray();
                    break;
                case IoTSec.Protocol.Cbor.CborReaderState.StartMap:
                    reader.ReadStartMap();
                    break;
                case IoTSec.Protocol.Cbor.CborReaderState.EndMap:
                    reader.ReadEndMap();
                    break;
                default:
                    reader.SkipValue();
                    break;
            }
        }

        return found;
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var mutated = (byte[])valid.Clone();
        switch (random.Next(4))
        {
            case 0:
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                return mutated;
            case 1:
                mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
                return mutated;
            case 2:
                return mutated[..random.Next(mutated.Length)];
            default:
                var extended = new byte[mutated.Length + 1];
                mutated.CopyTo(extended, 0);
                extended[^1] = (byte)random.Next(256);
                return extended;
        }
    }

    private static TestItem Generate(Random random, int depth, bool allowTags)
    {
        var choice = random.Next(depth >= 4 ? 6 : 9);
        switch (choice)
        {
            case 0:
                return new UnsignedItem(RandomArgument(random));
            case 1:
                return new NegativeItem(RandomArgument(random));
            case 2:
                return new BytesItem(RandomBytes(random));
            case 3:
                return new TextItem(RandomText(random));
            case 4:
                return new BooleanItem(random.Next(2) == 1);
            case 5:
                return new NullItem();
            case 6:
                var items = new TestItem[random.Next(random.Next(2) == 0 ? 4 : 30)];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Generate(random, depth + 1, allowTags);
                }

                return new ArrayItem(items);
            case 7:
                return GenerateMap(random, depth, allowTags);
            default:
                return allowTags
                    ? new TagItem(RandomArgument(random), Generate(random, depth + 1, allowTags))
                    : GenerateMap(random, depth, allowTags);
        }
    }

    private static MapItem GenerateMap(Random random, int depth, bool allowTags)
    {
        // Keys are integers and strings: the kinds for which CTAP2's order is RFC 8949's.
        var byEncoding = new SortedDictionary<byte[], (TestItem Key, TestItem Value)>(
            Comparer<byte[]>.Create((a, b) => CborKeyOrder.Compare(a, 0, a.Length, b, 0, b.Length)));
        var count = random.Next(random.Next(2) == 0 ? 4 : 24);
        for (var i = 0; i < count; i++)
        {
            TestItem key = random.Next(4) switch
            {
                0 => new UnsignedItem(RandomArgument(random)),
                1 => new NegativeItem(RandomArgument(random)),
                2 => new BytesItem(RandomBytes(random)),
                _ => new TextItem(RandomText(random)),
            };
            byEncoding.TryAdd(Encode(key), (key, Generate(random, depth + 1, allowTags)));
        }

        return new MapItem(byEncoding.Values.ToArray());
    }

    private static ulong RandomArgument(Random random)
    {
        // Mostly near the boundaries where the head's width changes.
        ulong[] edges = [0, 1, 23, 24, 255, 256, 65535, 65536, uint.MaxValue, (ulong)uint.MaxValue + 1, long.MaxValue, ulong.MaxValue];
        return random.Next(3) switch
        {
            0 => edges[random.Next(edges.Length)],
            1 => (ulong)random.Next(300),
            _ => (ulong)random.NextInt64() >> random.Next(64),
        };
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(random.Next(8) == 0 ? 300 : 6)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random)
    {
        string[] pieces = ["a", "b", "z", "é", "€", "水", "\U0001F600", "\U0010FFFF", "\u0000", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff"];
        var length = random.Next(random.Next(8) == 0 ? 40 : 5);
        var text = string.Empty;
        for (var i = 0; i < length; i++)
        {
            text += pieces[random.Next(pieces.Length)];
        }

        return text;
    }

    private abstract class TestItem
    {
        public abstract string Diagnostic();

        public abstract void Write(CborWriter writer);

        public abstract void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys);
    }

    private sealed class UnsignedItem(ulong value) : TestItem
    {
        public override string Diagnostic() => value.ToString(CultureInfo.InvariantCulture);

        public override void Write(CborWriter writer) => writer.WriteUInt64(value);

        public override void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys) => writer.WriteUInt64(value);
    }

    private sealed class NegativeItem(ulong argument) : TestItem
    {
        public override string Diagnostic() => CborDiagnostic.Negative(argument);

        public override void Write(CborWriter writer) => writer.WriteCborNegativeIntegerRepresentation(argument);

        public override void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys) => writer.WriteCborNegativeIntegerRepresentation(argument);
    }

    private sealed class BytesItem(byte[] value) : TestItem
    {
        public override string Diagnostic() => CborDiagnostic.Bytes(value);

        public override void Write(CborWriter writer) => writer.WriteByteString(value);

        public override void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys) => writer.WriteByteString(value);
    }

    private sealed class TextItem(string value) : TestItem
    {
        public override string Diagnostic() => CborDiagnostic.Text(value);

        public override void Write(CborWriter writer) => writer.WriteTextString(value);

        public override void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys) => writer.WriteTextString(value);
    }

    private sealed class BooleanItem(bool value) : TestItem
    {
        public override string Diagnostic() => value ? "true" : "false";

        public override void Write(CborWriter writer) => writer.WriteBoolean(value);

        public override void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys) => writer.WriteBoolean(value);
    }

    private sealed class NullItem : TestItem
    {
        public override string Diagnostic() => "null";

        public override void Write(CborWriter writer) => writer.WriteNull();

        public override void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys) => writer.WriteNull();
    }

    private sealed class TagItem(ulong tag, TestItem inner) : TestItem
    {
        public override string Diagnostic() => tag.ToString(CultureInfo.InvariantCulture) + "(" + inner.Diagnostic() + ")";

        public override void Write(CborWriter writer)
        {
            writer.WriteTag(tag);
            inner.Write(writer);
        }

        public override void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys)
        {
            writer.WriteTag((Sfc.CborTag)tag);
            inner.WriteReference(writer, random, shuffleKeys);
        }
    }

    private sealed class ArrayItem(TestItem[] items) : TestItem
    {
        public override string Diagnostic() => "[" + string.Join(", ", items.Select(i => i.Diagnostic())) + "]";

        public override void Write(CborWriter writer)
        {
            writer.WriteStartArray(items.Length);
            foreach (var item in items)
            {
                item.Write(writer);
            }
        }

        public override void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys)
        {
            writer.WriteStartArray(items.Length);
            foreach (var item in items)
            {
                item.WriteReference(writer, random, shuffleKeys);
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>A map whose pairs are held in RFC 8949 deterministic key order.</summary>
    private sealed class MapItem((TestItem Key, TestItem Value)[] pairs) : TestItem
    {
        public override string Diagnostic() => "{" + string.Join(", ", pairs.Select(p => p.Key.Diagnostic() + ": " + p.Value.Diagnostic())) + "}";

        public override void Write(CborWriter writer)
        {
            writer.WriteStartMap(pairs.Length);
            foreach (var (key, value) in pairs)
            {
                key.Write(writer);
                value.Write(writer);
            }
        }

        public override void WriteReference(Sfc.CborWriter writer, Random random, bool shuffleKeys)
        {
            // In canonical modes System.Formats.Cbor sorts keys itself: hand them over shuffled.
            var order = pairs.ToArray();
            if (shuffleKeys)
            {
                random.Shuffle(order);
            }

            writer.WriteStartMap(order.Length);
            foreach (var (key, value) in order)
            {
                key.WriteReference(writer, random, shuffleKeys);
                value.WriteReference(writer, random, shuffleKeys);
            }

            writer.WriteEndMap();
        }
    }
}
