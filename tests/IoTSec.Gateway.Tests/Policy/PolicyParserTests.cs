using System;
using System.Linq;
using System.Text;
using IoTSec.Gateway.Core.Policy;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Policy;

/// <summary>The policy file format: what loads, and every refusal named with line:column and key path.</summary>
[TestClass]
public sealed class PolicyParserTests
{
    [TestMethod]
    public void DocumentedExample_Loads_WithItsSchema()
    {
        var policy = PolicyFile.Load(PolicyText.ExamplePath);

        CollectionAssert.AreEquivalent(new[] { "infusion-pump", "sensor", "quarantine" }, policy.Classes.Keys.ToArray());
        Assert.AreEqual("quarantine", policy.Quarantine.ClassName);
        Assert.AreEqual(10, policy.Quarantine.Threshold);
        Assert.AreEqual(TimeSpan.FromMinutes(1), policy.Quarantine.Window);
        var telemetry = policy.Classes["infusion-pump"].PublishRules[1];
        Assert.AreEqual(PayloadType.Json, telemetry.Payload);
        Assert.IsNotNull(telemetry.Schema, "the schema file next to the example is compiled at load");
        Assert.AreEqual(64, policy.Sha256.Length);
    }

    [TestMethod]
    public void EmbeddedDevelopmentPolicy_Loads_WithTheDevelopmentClasses()
    {
        var policy = PolicyParser.Parse(DevelopmentPolicy.Bytes(), "development", null);

        Assert.IsNotNull(policy.Find("sensor"), "the EST examples' class");
        Assert.IsNotNull(policy.Find("infusion-pump"), "the inventory examples' class");
        Assert.AreEqual("quarantine", policy.QuarantineClass.Name);
    }

    [TestMethod]
    public void SmallPolicy_Loads_WithRulesInFileOrder()
    {
        var sensor = PolicyText.Parse(PolicyText.Small).Classes["sensor"];

        Assert.AreEqual(5, sensor.PublishRules.Count);
        Assert.AreEqual("iotsec/v1/d/{device}/up/heartbeat", sensor.PublishRules[0].Topic.Text);
        Assert.AreEqual(2.0, sensor.PublishRules[0].Rate.PerSecond);
        Assert.AreEqual(3, sensor.PublishRules[0].Rate.Burst);
        Assert.IsFalse(sensor.PublishRules[0].Retain, "retain defaults to refused");
        Assert.IsTrue(sensor.PublishRules[3].Retain);
        Assert.AreEqual(TimeSpan.FromSeconds(30), sensor.HeartbeatInterval);
    }

    [TestMethod]
    public void BadRate_IsReported_WithLineColumnAndKeyPath()
    {
        var errors = PolicyText.Errors(PolicyText.SmallWith("        rate: 10/s\n        burst: 2", "        rate: 5/x\n        burst: 2"));

        Assert.AreEqual(1, errors.Length, string.Join("\n", errors));
        Assert.AreEqual("22:15: classes.sensor.publish[1].rate: '5/x' is not a rate such as 10/s (a whole number per s, min or h)", errors[0]);
    }

    [TestMethod]
    public void EveryError_IsReported_NotOnlyTheFirst()
    {
        var yaml = PolicyText.Small
            .Replace("  threshold: 3", "  threshold: 0", StringComparison.Ordinal)
            .Replace("        payload: json", "        payload: xml", StringComparison.Ordinal)
            .Replace("        max-size: 64", "        max-size: big", StringComparison.Ordinal)
            .Replace("      - 1111111111111111111111111111111111111111111111111111111111111111\n    publish", "      - 11\n    publish", StringComparison.Ordinal);

        var errors = PolicyText.Errors(yaml);

        Assert.AreEqual(4, errors.Length, string.Join("\n", errors));
        StringAssert.StartsWith(errors[0], "4:14: quarantine.threshold: '0' is not a whole number from 1 to 1000");
        StringAssert.StartsWith(errors[1], "10:9: classes.sensor.firmware[0]: '11' is not a SHA-256 digest");
        StringAssert.StartsWith(errors[2], "19:18: classes.sensor.publish[1].payload: 'xml' is not a payload type");
        StringAssert.StartsWith(errors[3], "39:19: classes.sensor.publish[4].max-size: 'big' is not a whole number");
    }

    [TestMethod]
    public void UnknownKey_IsAnError()
    {
        var errors = PolicyText.Errors(PolicyText.SmallWith("        burst: 2\n", "        burst: 2\n        colour: red\n"));

        Assert.AreEqual(1, errors.Length, string.Join("\n", errors));
        StringAssert.StartsWith(errors[0], "24:9: classes.sensor.publish[1].colour: unknown key");
    }

    [TestMethod]
    [DataRow("        burst: 2\n", "", "classes.sensor.publish[1]: missing key 'burst'", DisplayName = "burst")]
    [DataRow("        qos: [0]\n", "", "classes.sensor.publish[1]: missing key 'qos'", DisplayName = "qos")]
    [DataRow("    heartbeat-interval: 30s\n    firmware:\n      - 1111", "    firmware:\n      - 1111", "classes.sensor: missing key 'heartbeat-interval'", DisplayName = "heartbeat interval")]
    [DataRow("version: 1\n", "", "missing key 'version'", DisplayName = "version")]
    public void MissingKey_IsAnError_NotADefault(string line, string replacement, string expected)
    {
        var errors = PolicyText.Errors(PolicyText.Small.Replace(line, replacement, StringComparison.Ordinal));

        Assert.IsTrue(errors.Any(error => error.EndsWith(expected, StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    [DataRow("iotsec/v1/d/{device}/down/cmd", DisplayName = "downlink topic")]
    [DataRow("iotsec/v1/d/{device}/down/#", DisplayName = "downlink wildcard")]
    [DataRow("iotsec/v1/d/{device}/+/telemetry", DisplayName = "'+' where down goes")]
    [DataRow("iotsec/v1/d/{device}/#", DisplayName = "'#' over down")]
    public void PublishRuleReachingDownlink_IsALoadError(string topic)
    {
        var errors = PolicyText.Errors(PolicyText.SmallWith("topic: iotsec/v1/d/{device}/up/telemetry", "topic: " + topic));

        Assert.AreEqual(1, errors.Length, string.Join("\n", errors));
        StringAssert.StartsWith(errors[0], "18:16: classes.sensor.publish[1].topic: '" + topic + "' allows publishing on downlink topics");
    }

    [TestMethod]
    [DataRow("iotsec/v1/d/+/up/telemetry", DisplayName = "'+' for the device")]
    [DataRow("iotsec/v1/d/#", DisplayName = "'#' over all devices")]
    [DataRow("\"#\"", DisplayName = "everything (quoted: # starts a YAML comment)")]
    [DataRow("+/v1/d/+/up/telemetry", DisplayName = "wildcards before the device")]
    [DataRow("iotsec/v1/d/pump-7/up/telemetry", DisplayName = "a fixed device id")]
    public void RuleReachingOtherDevices_IsALoadError(string topic)
    {
        var errors = PolicyText.Errors(PolicyText.SmallWith("topic: iotsec/v1/d/{device}/up/telemetry", "topic: " + topic));

        Assert.AreEqual(1, errors.Length, string.Join("\n", errors));
        StringAssert.Contains(errors[0], "reaches other devices' topics");
    }

    [TestMethod]
    [DataRow("site/x{device}/reading", "placeholder")]
    [DataRow("site/{dev}/reading", "placeholder")]
    [DataRow("site/a+/reading", "mixing a wildcard")]
    [DataRow("site/#/reading", "'#' before the last level")]
    public void MalformedPattern_IsALoadError(string topic, string expected)
    {
        var errors = PolicyText.Errors(PolicyText.SmallWith("topic: site/{device}/+/reading", "topic: " + topic));

        Assert.AreEqual(1, errors.Length, string.Join("\n", errors));
        StringAssert.Contains(errors[0], expected);
    }

    [TestMethod]
    public void QuarantineClass_MayNotOpenTelemetry()
    {
        var yaml = PolicyText.Small.Replace(
            "  quarantine:\n    heartbeat-interval: 30s\n    firmware: []\n    publish:\n      - topic: iotsec/v1/d/{device}/up/heartbeat",
            "  quarantine:\n    heartbeat-interval: 30s\n    firmware: []\n    publish:\n      - topic: iotsec/v1/d/{device}/up/telemetry",
            StringComparison.Ordinal);

        var errors = PolicyText.Errors(yaml);

        Assert.AreEqual(1, errors.Length, string.Join("\n", errors));
        StringAssert.Contains(errors[0], "classes.quarantine.publish[0].topic: 'iotsec/v1/d/{device}/up/telemetry' is not allowed in the quarantine class");
    }

    [TestMethod]
    public void UndefinedQuarantineClass_IsAnError()
    {
        var errors = PolicyText.Errors(PolicyText.SmallWith("  class: quarantine", "  class: jail"));

        Assert.AreEqual(1, errors.Length, string.Join("\n", errors));
        Assert.AreEqual("3:10: quarantine.class: class 'jail' is not defined under classes", errors[0]);
    }

    [TestMethod]
    public void AnchorsAliasesDuplicatesAndSecondDocuments_AreRefused()
    {
        var aliased = string.Join("\n", PolicyText.Errors("version: &v 1\nquarantine: *v\n"));
        StringAssert.Contains(aliased, "1:10: anchors (&v) are not allowed");
        StringAssert.Contains(aliased, "2:13: aliases (*v) are not allowed");
        Assert.IsTrue(PolicyText.Errors("version: 1\nversion: 1\n").Any(error => error.StartsWith("2:1: duplicate key 'version' (first on line 1)", StringComparison.Ordinal)));
        Assert.IsTrue(PolicyText.Errors(PolicyText.Small + "\n---\nversion: 1\n").Any(error => error.Contains("more than one YAML document", StringComparison.Ordinal)));
        Assert.IsTrue(PolicyText.Errors("version: !!str 1\n").Any(error => error.Contains("tags", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void HostileShapes_AreRefusedWithoutCrashing()
    {
        Assert.IsTrue(PolicyText.Errors(new string('[', 100_000))[0].Contains("nested more than", StringComparison.Ordinal));
        Assert.AreEqual("1:1: the file is empty", PolicyText.Errors(string.Empty)[0]);
        StringAssert.Contains(PolicyText.Errors("version: [\n")[0], "YAML syntax error");

        Assert.AreEqual("2:4: control character U+001B is not allowed in a policy file", PolicyText.Errors("version: 1\nab:\u001b\n")[0]);
        StringAssert.Contains(PolicyText.Errors("!!+40")[0], "YAML syntax error", "YamlDotNet's ArgumentException for a bad tag URI (found by fuzzing)");

        var notUtf8 = Assert.ThrowsExactly<PolicyRejectedException>(() => PolicyParser.Parse(new byte[] { 0x76, 0xff, 0xfe }, "x", null));
        StringAssert.Contains(notUtf8.Errors[0].Message, "not valid UTF-8");
        var tooLarge = Assert.ThrowsExactly<PolicyRejectedException>(() => PolicyParser.Parse(new byte[PolicyParser.MaxFileBytes + 1], "x", null));
        StringAssert.Contains(tooLarge.Errors[0].Message, "larger than");
    }

    [TestMethod]
    public void Schema_IsCompiledAtLoad_AndABadOneIsAnError()
    {
        var yaml = PolicyText.SmallWith("        payload: json\n", "        payload: json\n        schema: telemetry.json\n");

        var good = PolicyText.Parse(yaml, _ => """{ "type": "object", "required": ["t"] }""");
        Assert.IsNotNull(good.Classes["sensor"].PublishRules[1].Schema);

        var notJson = PolicyText.Errors(yaml, _ => "{ not json");
        StringAssert.StartsWith(notJson[0], "20:17: classes.sensor.publish[1].schema: schema 'telemetry.json' is not a valid JSON schema");

        var missing = PolicyText.Errors(yaml, _ => throw new System.IO.FileNotFoundException("no such file"));
        StringAssert.Contains(missing[0], "schema 'telemetry.json' cannot be read: no such file");

        var onCbor = PolicyText.Errors(PolicyText.SmallWith("        payload: cbor\n", "        payload: cbor\n        schema: x.json\n"), _ => "{}");
        StringAssert.Contains(onCbor[0], "a schema applies to payload json only");
    }

    [TestMethod]
    public void QuotedNumbersAndBooleans_AreNotNumbersAndBooleans()
    {
        Assert.IsTrue(PolicyText.Errors(PolicyText.SmallWith("        max-size: 64", "        max-size: \"64\"")).Any(error => error.Contains("max-size: '64' is not a whole number", StringComparison.Ordinal)));
        Assert.IsTrue(PolicyText.Errors(PolicyText.SmallWith("        retain: true", "        retain: yes")).Any(error => error.Contains("retain: 'yes' is not true or false", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Sha256_IsOfTheFileBytes()
    {
        var bytes = Encoding.UTF8.GetBytes(PolicyText.Small);

        var policy = PolicyParser.Parse(bytes, "x", null);

        Assert.AreEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), policy.Sha256);
    }
}
