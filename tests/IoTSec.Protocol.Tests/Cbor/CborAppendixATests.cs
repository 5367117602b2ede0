using System;
using IoTSec.Fuzz.Targets;
using IoTSec.Protocol.Cbor;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Cbor;

/// <summary>
/// The examples of RFC 8949 Appendix A. Those inside the subset decode to the listed value
/// and re-encode to the same bytes (Appendix A uses preferred serialization, and its maps
/// happen to be in deterministic key order); floats and indefinite lengths are refused
/// with their specific reason.
/// </summary>
[TestClass]
public sealed class CborAppendixATests
{
    [TestMethod]
    [DataRow("00", "0")]
    [DataRow("01", "1")]
    [DataRow("0a", "10")]
    [DataRow("17", "23")]
    [DataRow("1818", "24")]
    [DataRow("1819", "25")]
    [DataRow("1864", "100")]
    [DataRow("1903e8", "1000")]
    [DataRow("1a000f4240", "1000000")]
    [DataRow("1b000000e8d4a51000", "1000000000000")]
    [DataRow("1bffffffffffffffff", "18446744073709551615")]
    [DataRow("c249010000000000000000", "2(h'010000000000000000')")]
    [DataRow("3bffffffffffffffff", "-18446744073709551616")]
    [DataRow("c349010000000000000000", "3(h'010000000000000000')")]
    [DataRow("20", "-1")]
    [DataRow("29", "-10")]
    [DataRow("3863", "-100")]
    [DataRow("3903e7", "-1000")]
    [DataRow("f4", "false")]
    [DataRow("f5", "true")]
    [DataRow("f6", "null")]
    [DataRow("c074323031332d30332d32315432303a30343a30305a", "0(\"2013-03-21T20:04:00Z\")")]
    [DataRow("c11a514b67b0", "1(1363896240)")]
    [DataRow("d74401020304", "23(h'01020304')")]
    [DataRow("d818456449455446", "24(h'6449455446')")]
    [DataRow("d82076687474703a2f2f7777772e6578616d706c652e636f6d", "32(\"http://www.example.com\")")]
    [DataRow("40", "h''")]
    [DataRow("4401020304", "h'01020304'")]
    [DataRow("60", "\"\"")]
    [DataRow("6161", "\"a\"")]
    [DataRow("6449455446", "\"IETF\"")]
    [DataRow("62225c", "\"\\u0022\\u005c\"")]
    [DataRow("62c3bc", "\"\\u00fc\"")]
    [DataRow("63e6b0b4", "\"\\u6c34\"")]
    [DataRow("64f0908591", "\"\\ud800\\udd51\"")]
    [DataRow("80", "[]")]
    [DataRow("83010203", "[1, 2, 3]")]
    [DataRow("8301820203820405", "[1, [2, 3], [4, 5]]")]
    [DataRow("98190102030405060708090a0b0c0d0e0f101112131415161718181819", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]")]
    [DataRow("a0", "{}")]
    [DataRow("a201020304", "{1: 2, 3: 4}")]
    [DataRow("a26161016162820203", "{\"a\": 1, \"b\": [2, 3]}")]
    [DataRow("826161a161626163", "[\"a\", {\"b\": \"c\"}]")]
    [DataRow("a56161614161626142616361436164614461656145", "{\"a\": \"A\", \"b\": \"B\", \"c\": \"C\", \"d\": \"D\", \"e\": \"E\"}")]
    public void SubsetExample_DecodesToItsValue_AndReencodesToTheSameBytes(string hex, string diagnostic)
    {
        var encoded = Convert.FromHexString(hex);

        Assert.AreEqual(diagnostic, CborDiagnostic.Read(encoded));

        var reader = new IoTSec.Protocol.Cbor.CborReader(encoded);
        var writer = new IoTSec.Protocol.Cbor.CborWriter();
        CborTranscoder.Copy(reader, writer);
        reader.ReadEnd();
        CollectionAssert.AreEqual(encoded, writer.Encode());
    }

    [TestMethod]
    public void LargestUnsigned_ReadsAsUInt64_ButOverflowsInt64()
    {
        var encoded = Convert.FromHexString("1bffffffffffffffff");

        Assert.AreEqual(ulong.MaxValue, new IoTSec.Protocol.Cbor.CborReader(encoded).ReadUInt64());
        var error = Assert.ThrowsExactly<CborException>(() => new IoTSec.Protocol.Cbor.CborReader(encoded).ReadInt64());
        Assert.AreEqual(CborError.IntegerOverflow, error.Reason);
    }

    [TestMethod]
    public void SmallestNegative_ReadsAsRepresentation_ButOverflowsInt64()
    {
        // -18446744073709551616 = -1 - (2^64 - 1): representable on the wire, not in a long.
        var encoded = Convert.FromHexString("3bffffffffffffffff");

        Assert.AreEqual(ulong.MaxValue, new IoTSec.Protocol.Cbor.CborReader(encoded).ReadCborNegativeIntegerRepresentation());
        var error = Assert.ThrowsExactly<CborException>(() => new IoTSec.Protocol.Cbor.CborReader(encoded).ReadInt64());
        Assert.AreEqual(CborError.IntegerOverflow, error.Reason);

        var writer = new IoTSec.Protocol.Cbor.CborWriter();
        writer.WriteCborNegativeIntegerRepresentation(ulong.MaxValue);
        CollectionAssert.AreEqual(encoded, writer.Encode());
    }

    [TestMethod]
    [DataRow("f90000")]
    [DataRow("f98000")]
    [DataRow("f93c00")]
    [DataRow("fb3ff199999999999a")]
    [DataRow("f93e00")]
    [DataRow("f97bff")]
    [DataRow("fa47c35000")]
    [DataRow("fa7f7fffff")]
    [DataRow("fb7e37e43c8800759c")]
    [DataRow("f90001")]
    [DataRow("f90400")]
    [DataRow("f9c400")]
    [DataRow("fbc010666666666666")]
    [DataRow("f97c00")]
    [DataRow("f97e00")]
    [DataRow("f9fc00")]
    [DataRow("fa7f800000")]
    [DataRow("fa7fc00000")]
    [DataRow("faff800000")]
    [DataRow("fb7ff0000000000000")]
    [DataRow("fb7ff8000000000000")]
    [DataRow("fbfff0000000000000")]
    [DataRow("c1fb41d452d9ec200000")]
    public void FloatExample_IsRefusedAsUnsupportedFloat(string hex)
    {
        AssertRefused(hex, CborError.UnsupportedFloat);
    }

    [TestMethod]
    [DataRow("f7")]
    [DataRow("f0")]
    [DataRow("f8ff")]
    public void OtherSimpleValueExample_IsRefusedAsUnsupportedSimpleValue(string hex)
    {
        AssertRefused(hex, CborError.UnsupportedSimpleValue);
    }

    [TestMethod]
    [DataRow("5f42010243030405ff")]
    [DataRow("7f657374726561646d696e67ff")]
    [DataRow("9fff")]
    [DataRow("9f018202039f0405ffff")]
    [DataRow("9f01820203820405ff")]
    [DataRow("83018202039f0405ff")]
    [DataRow("83019f0203ff820405")]
    [DataRow("9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff")]
    [DataRow("bf61610161629f0203ffff")]
    [DataRow("826161bf61626163ff")]
    [DataRow("bf6346756ef563416d7421ff")]
    public void IndefiniteLengthExample_IsRefusedAsIndefiniteLength(string hex)
    {
        AssertRefused(hex, CborError.IndefiniteLength);
    }

    private static void AssertRefused(string hex, CborError reason)
    {
        var encoded = Convert.FromHexString(hex);
        var error = Assert.ThrowsExactly<CborException>(() => CborDiagnostic.Read(encoded));
        Assert.AreEqual(reason, error.Reason, error.Message);
    }
}
