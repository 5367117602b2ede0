using System;
using System.Text;
using IoTSec.Gateway.Core.Tamper;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>The persisted tamper flag's reader: strict, bounded, with messages that name what is wrong.</summary>
[TestClass]
public sealed class TamperFlagFormatTests
{
    [TestMethod]
    public void AFlagRoundTrips()
    {
        var flag = new TamperFlag(new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero), "the enclosure was opened");

        var decoded = TamperFlagFormat.Decode(TamperFlagFormat.Encode(flag));

        Assert.AreEqual(flag, decoded);
    }

    [TestMethod]
    [DataRow("", "not valid JSON")]
    [DataRow("[]", "not a JSON object")]
    [DataRow("{\"version\":1,\"since\":\"2026-11-25T06:00:00.0000000Z\"}", "'reason'")]
    [DataRow("{\"version\":2,\"since\":\"2026-11-25T06:00:00.0000000Z\",\"reason\":\"x\"}", "version 2")]
    [DataRow("{\"version\":1,\"since\":\"yesterday\",\"reason\":\"x\"}", "'since'")]
    [DataRow("{\"version\":1,\"version\":1,\"since\":\"2026-11-25T06:00:00.0000000Z\",\"reason\":\"x\"}", "repeated key 'version'")]
    [DataRow("{\"version\":1,\"since\":\"2026-11-25T06:00:00.0000000Z\",\"reason\":\"x\",\"extra\":true}", "key 'extra'")]
    [DataRow("{\"version\":1,\"since\":\"2026-11-25T06:00:00.0000000Z\",\"reason\":\"x\"} {}", "not valid JSON")]
    public void AFlagThatIsNotOneOfOursIsRejectedWithItsReason(string content, string expected)
    {
        var error = Assert.ThrowsExactly<TamperFlagException>(() => TamperFlagFormat.Decode(Encoding.UTF8.GetBytes(content)));

        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public void AnOversizedFlagIsRejectedBeforeParsing()
    {
        var error = Assert.ThrowsExactly<TamperFlagException>(() => TamperFlagFormat.Decode(new byte[TamperFlagFormat.MaxLength + 1]));

        StringAssert.Contains(error.Message, "more than 4096");
    }
}
