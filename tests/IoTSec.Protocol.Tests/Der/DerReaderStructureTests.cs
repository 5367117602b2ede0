using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>Constructed elements, context tags, skipping, trailing data and the depth limit.</summary>
[TestClass]
public sealed class DerReaderStructureTests
{
    [TestMethod]
    public void Sequence_GivesASubReaderOverItsContents()
    {
        var reader = new DerReader(DerBytes.Hex("3006 020101 020102 0500"));

        var sequence = reader.ReadSequence();

        Assert.AreEqual(1, sequence.Depth);
        Assert.AreEqual(1, sequence.ReadInt32());
        Assert.AreEqual(2, sequence.ReadInt32());
        Assert.IsFalse(sequence.HasData);
        sequence.ThrowIfNotEmpty();
        Assert.IsTrue(reader.NextIs(DerTag.Null));
        reader.ReadNull();
        Assert.IsFalse(reader.HasData);
        Assert.IsFalse(reader.NextIs(DerTag.Null));
    }

    [TestMethod]
    public void ExplicitContextTags_ZeroAndThree()
    {
        var reader = new DerReader(DerBytes.Hex("A003 020102 A305 3003 010100"));

        Assert.AreEqual(0xA0, reader.PeekTag());
        Assert.AreEqual(2, reader.ReadExplicit(0).ReadInt32());
        var extensions = reader.ReadExplicit(3);
        Assert.IsFalse(extensions.ReadSequence().ReadBoolean());
    }

    [TestMethod]
    public void WrongTag_IsUnexpectedTag_AndNothingIsConsumed()
    {
        var reader = new DerReader(DerBytes.Hex("3100"));

        var e = Assert.ThrowsExactly<DerException>(() => reader.ReadSequence());

        Assert.AreEqual(DerError.UnexpectedTag, e.Reason);
        Assert.AreEqual(0, reader.Position);
        Assert.AreEqual(0, reader.ReadSet().Remaining);
    }

    [TestMethod]
    public void ConstructedFormsOfPrimitiveTypes_AreRefused()
    {
        // DER (X.690 §10.2) forbids constructed OCTET STRING and BIT STRING.
        Assert.AreEqual(DerError.UnexpectedTag, Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex("2403 040101")).ReadOctetString()).Reason);
        Assert.AreEqual(DerError.UnexpectedTag, Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex("2304 03020000")).ReadBitString(out _)).Reason);
    }

    [TestMethod]
    public void SkipElement_ReportsWhereTheWholeEncodingLies()
    {
        var bytes = DerBytes.Hex("0500 3003 020105 0101FF");
        var reader = new DerReader(bytes);
        reader.Skip();

        int start = reader.SkipElement(out int length);

        Assert.AreEqual(2, start);
        Assert.AreEqual(5, length);
        CollectionAssert.AreEqual(DerBytes.Hex("0101FF"), reader.ReadEncodedValue());
    }

    [TestMethod]
    public void TrailingData_IsReportedWithItsOffset()
    {
        var reader = new DerReader(DerBytes.Hex("0500 00"));
        reader.ReadNull();

        var e = Assert.ThrowsExactly<DerException>(() => reader.ThrowIfNotEmpty());

        Assert.AreEqual(DerError.TrailingData, e.Reason);
        Assert.AreEqual(2, e.Offset);
    }

    [TestMethod]
    public void NestingUpToTheLimit_IsRead_OneMoreIsRefused()
    {
        var ok = new DerReader(Nested(DerReader.MaxDepth));
        for (int i = 0; i < DerReader.MaxDepth; i++)
        {
            ok = ok.ReadSequence();
        }

        Assert.AreEqual(DerReader.MaxDepth, ok.Depth);

        var deep = new DerReader(Nested(DerReader.MaxDepth + 1));
        for (int i = 0; i < DerReader.MaxDepth; i++)
        {
            deep = deep.ReadSequence();
        }

        var e = Assert.ThrowsExactly<DerException>(() => deep.ReadSequence());
        Assert.AreEqual(DerError.NestingTooDeep, e.Reason);
        Assert.AreEqual(2 * DerReader.MaxDepth, e.Offset);
    }

    [TestMethod]
    public void AThousandNestedSequences_AreRefusedWithoutRecursion()
    {
        var reader = new DerReader(Nested(1000));

        var e = Assert.ThrowsExactly<DerException>(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                reader = reader.ReadSequence();
            }
        });

        Assert.AreEqual(DerError.NestingTooDeep, e.Reason);
    }

    [TestMethod]
    public void Skip_ChecksTheContentsOfAConstructedElement()
    {
        Assert.AreEqual(DerError.IndefiniteLength, Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex("3002 0480")).Skip()).Reason);
        Assert.AreEqual(DerError.Truncated, Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex("A003 0402 00")).Skip()).Reason);
        Assert.AreEqual(DerError.NestingTooDeep, Assert.ThrowsExactly<DerException>(() => new DerReader(Nested(1000)).Skip()).Reason);
        new DerReader(Nested(DerReader.MaxDepth)).Skip();

        // A primitive element's content is opaque: it may look like anything.
        new DerReader(DerBytes.Hex("0402 0480")).Skip();
    }

    [TestMethod]
    public void ReadConstructed_RejectsAPrimitiveTag_AsAProgrammingError()
    {
        var reader = new DerReader(DerBytes.Hex("0400"));

        Assert.ThrowsExactly<System.ArgumentException>(() => reader.ReadConstructed(0x04));
        Assert.ThrowsExactly<System.ArgumentException>(() => reader.ReadPrimitive(0x30, out _));
        Assert.ThrowsExactly<System.ArgumentOutOfRangeException>(() => reader.ReadExplicit(31));
    }

    /// <summary><paramref name="depth"/> SEQUENCEs, each holding the next; the innermost empty.</summary>
    internal static byte[] Nested(int depth)
    {
        byte[] value = DerBytes.Sequence();
        for (int i = 1; i < depth; i++)
        {
            value = DerBytes.Sequence(value);
        }

        return value;
    }
}
