using System;
using System.Formats.Asn1;
using System.Globalization;
using System.Text;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>X.509 times: exactly the forms RFC 5280 §4.1.2.5 allows, read as UTC.</summary>
[TestClass]
public sealed class DerTimeTests
{
    [TestMethod]
    [DataRow("17", "491231235959Z", "2049-12-31T23:59:59")]
    [DataRow("17", "500101000000Z", "1950-01-01T00:00:00")]
    [DataRow("17", "991231235959Z", "1999-12-31T23:59:59")]
    [DataRow("17", "000229120000Z", "2000-02-29T12:00:00")]
    [DataRow("17", "250301120000Z", "2025-03-01T12:00:00")]
    [DataRow("18", "20500101000000Z", "2050-01-01T00:00:00")]
    [DataRow("18", "99991231235959Z", "9999-12-31T23:59:59")]
    [DataRow("18", "21000228000000Z", "2100-02-28T00:00:00")]
    [DataRow("18", "24000229000000Z", "2400-02-29T00:00:00")]
    [DataRow("18", "19491231235959Z", "1949-12-31T23:59:59")]
    [DataRow("18", "16010101000000Z", "1601-01-01T00:00:00")]
    public void ValidTimes_AreReadAsUtc(string tag, string text, string expected)
    {
        var value = new DerReader(Time(tag, text)).ReadTime();

        Assert.AreEqual(DateTime.Parse(expected, CultureInfo.InvariantCulture), value);
        Assert.AreEqual(DateTimeKind.Utc, value.Kind);
    }

    [TestMethod]
    [DataRow("17", "4912312359Z")] // no seconds: RFC 5280 requires them
    [DataRow("17", "491231235959")] // no 'Z'
    [DataRow("17", "491231235959+0000")] // offset form
    [DataRow("17", "4912312359+0100")]
    [DataRow("17", "491231235959z")]
    [DataRow("17", "49123123595.Z")]
    [DataRow("17", "4a1231235959Z")]
    [DataRow("17", " 91231235959Z")]
    [DataRow("17", "-91231235959Z")]
    [DataRow("17", "491331235959Z")] // month 13
    [DataRow("17", "490031235959Z")] // month 0
    [DataRow("17", "490100235959Z")] // day 0
    [DataRow("17", "490431235959Z")] // April 31
    [DataRow("17", "010229000000Z")] // 2001 is not a leap year
    [DataRow("17", "491231245959Z")] // hour 24
    [DataRow("17", "491231236059Z")] // minute 60
    [DataRow("17", "491231235960Z")] // leap second
    [DataRow("17", "")]
    [DataRow("18", "20500101000000.5Z")] // fractions: RFC 5280 forbids them
    [DataRow("18", "20500101000000.Z")]
    [DataRow("18", "205001010000Z")] // no seconds
    [DataRow("18", "20500101000000")] // local time
    [DataRow("18", "20500101000000+0000")]
    [DataRow("18", "21000229000000Z")] // 2100 is not a leap year
    [DataRow("18", "15991231235959Z")] // before what nanoFramework's DateTime holds
    [DataRow("18", "00000101000000Z")]
    [DataRow("18", "491231235959Z")] // a UTCTime body under the GeneralizedTime tag
    [DataRow("17", "20500101000000Z")] // and the reverse
    public void OtherForms_AreInvalidTime(string tag, string text)
    {
        var e = Assert.ThrowsExactly<DerException>(() => new DerReader(Time(tag, text)).ReadTime());

        Assert.AreEqual(DerError.InvalidTime, e.Reason);
    }

    [TestMethod]
    public void OtherTags_AreUnexpected()
    {
        var e = Assert.ThrowsExactly<DerException>(() => new DerReader(Time("13", "491231235959Z")).ReadTime());

        Assert.AreEqual(DerError.UnexpectedTag, e.Reason);
    }

    [TestMethod]
    public void RandomInstants_ReadAsDotNetsDerWriterWroteThem()
    {
        var random = new Random(3);
        var first = new DateTime(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks / TimeSpan.TicksPerSecond;
        var last = new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).Ticks / TimeSpan.TicksPerSecond;
        for (int i = 0; i < 20_000; i++)
        {
            var instant = new DateTimeOffset(random.NextInt64(first, last + 1) * TimeSpan.TicksPerSecond, TimeSpan.Zero);
            var writer = new AsnWriter(AsnEncodingRules.DER);
            if (instant.Year >= 1950 && instant.Year < 2050 && random.Next(2) == 0)
            {
                writer.WriteUtcTime(instant);
            }
            else
            {
                writer.WriteGeneralizedTime(instant, omitFractionalSeconds: true);
            }

            Assert.AreEqual(instant.UtcDateTime, new DerReader(writer.Encode()).ReadTime());
        }
    }

    private static byte[] Time(string tag, string text) => DerBytes.Tlv(Convert.FromHexString(tag)[0], Encoding.ASCII.GetBytes(text));
}
