using IoTSec.Gateway.Core.Policy;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Policy;

/// <summary>Topic patterns: MQTT wildcard semantics, and {device} never matching another device.</summary>
[TestClass]
public sealed class TopicPatternTests
{
    [TestMethod]
    [DataRow("iotsec/v1/d/{device}/up/telemetry", "iotsec/v1/d/pump-1/up/telemetry", true, DisplayName = "own topic")]
    [DataRow("iotsec/v1/d/{device}/up/telemetry", "iotsec/v1/d/pump-2/up/telemetry", false, DisplayName = "another device's topic")]
    [DataRow("iotsec/v1/d/{device}/up/telemetry", "iotsec/v1/d/pump-1x/up/telemetry", false, DisplayName = "a device whose id extends ours")]
    [DataRow("iotsec/v1/d/{device}/up/telemetry", "iotsec/v1/d/pump/up/telemetry", false, DisplayName = "a device whose id is a prefix of ours")]
    [DataRow("iotsec/v1/d/{device}/up/telemetry", "iotsec/v1/d/pump-1/up/telemetry/extra", false, DisplayName = "an extra level")]
    [DataRow("iotsec/v1/d/{device}/up/telemetry", "iotsec/v1/d/pump-1/up/telemetry/", false, DisplayName = "a trailing slash")]
    [DataRow("iotsec/v1/d/{device}/up/telemetry", "iotsec/v1/d/pump-1/up", false, DisplayName = "a missing level")]
    [DataRow("iotsec/v1/d/{device}/up/telemetry", "iotsec/v1/d//up/telemetry", false, DisplayName = "an empty device level")]
    [DataRow("iotsec/v1/d/{device}/up/telemetry", "IOTSEC/v1/d/pump-1/up/telemetry", false, DisplayName = "case matters")]
    [DataRow("iotsec/v1/d/{device}/up/+", "iotsec/v1/d/pump-1/up/alert", true, DisplayName = "'+' one level")]
    [DataRow("iotsec/v1/d/{device}/up/+", "iotsec/v1/d/pump-1/up/", true, DisplayName = "'+' matches an empty level (MQTT)")]
    [DataRow("iotsec/v1/d/{device}/up/+", "iotsec/v1/d/pump-1/up/a/b", false, DisplayName = "'+' is not two levels")]
    [DataRow("site/{device}/#", "site/pump-1", true, DisplayName = "'#' matches the parent level (MQTT)")]
    [DataRow("site/{device}/#", "site/pump-1/a/b/c", true, DisplayName = "'#' matches many levels")]
    [DataRow("site/{device}/#", "site/pump-2/a", false, DisplayName = "'#' after another device")]
    [DataRow("#", "$SYS/broker/load", false, DisplayName = "'#' does not match $ topics")]
    [DataRow("+/x", "$SYS/x", false, DisplayName = "'+' does not match $ topics")]
    [DataRow("#", "anything/at/all", true, DisplayName = "'#' alone")]
    public void Matches(string pattern, string topic, bool expected)
    {
        var compiled = TopicPattern.TryParse(pattern, out var problem);

        Assert.IsNotNull(compiled, problem);
        Assert.AreEqual(expected, compiled.Matches(topic, "pump-1"));
    }

    [TestMethod]
    [DataRow("iotsec/v1/d/{device}/down/#", "iotsec/v1/d/pump-1/down/#", true, DisplayName = "the same filter")]
    [DataRow("iotsec/v1/d/{device}/down/#", "iotsec/v1/d/pump-1/down/cmd", true, DisplayName = "a narrower topic")]
    [DataRow("iotsec/v1/d/{device}/down/#", "iotsec/v1/d/pump-1/down/+", true, DisplayName = "a narrower wildcard")]
    [DataRow("iotsec/v1/d/{device}/down/#", "iotsec/v1/d/+/down/#", false, DisplayName = "all devices' downlinks")]
    [DataRow("iotsec/v1/d/{device}/down/#", "iotsec/v1/d/pump-2/down/#", false, DisplayName = "another device's downlinks")]
    [DataRow("iotsec/v1/d/{device}/down/#", "iotsec/v1/d/#", false, DisplayName = "a wider '#'")]
    [DataRow("iotsec/v1/d/{device}/down/#", "#", false, DisplayName = "everything")]
    [DataRow("iotsec/v1/d/{device}/down/cmd", "iotsec/v1/d/pump-1/down/+", false, DisplayName = "'+' is wider than one topic")]
    [DataRow("site/{device}/config/+", "site/pump-1/config/+", true, DisplayName = "'+' under '+'")]
    [DataRow("site/{device}/config/+", "site/pump-1/config/#", false, DisplayName = "'#' under '+'")]
    public void Covers(string pattern, string filter, bool expected)
    {
        var compiled = TopicPattern.TryParse(pattern, out var problem);

        Assert.IsNotNull(compiled, problem);
        Assert.IsTrue(TopicPattern.IsValidFilter(filter));
        Assert.AreEqual(expected, compiled.Covers(filter, "pump-1"));
    }

    [TestMethod]
    [DataRow("a/#/b", false)]
    [DataRow("a/b#", false)]
    [DataRow("a+/b", false)]
    [DataRow("a/+/#", true)]
    [DataRow("+", true)]
    [DataRow("", false)]
    public void IsValidFilter(string filter, bool expected) => Assert.AreEqual(expected, TopicPattern.IsValidFilter(filter));
}
