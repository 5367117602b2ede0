using System;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Policy;

/// <summary><c>iotsec-gateway policy check FILE</c>, run through the real command tree.</summary>
[TestClass]
public sealed class PolicyCommandTests
{
    [TestMethod]
    public void Check_OfTheDocumentedExample_PrintsItsClassesAndRules()
    {
        using var directory = new TemporaryDataDirectory();

        var result = GatewayCli.Run(directory.Path, "policy", "check", PolicyText.ExamplePath);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, ": valid, sha256 ");
        StringAssert.Contains(result.Output, "quarantine: class 'quarantine' after 10 violations within 1min");
        StringAssert.Contains(result.Output, "class infusion-pump: 5 publish rule(s), 1 subscribe rule(s), 2 firmware digest(s), heartbeat every 1min");
        StringAssert.Contains(result.Output, "  publish   iotsec/v1/d/{device}/up/telemetry  json schema schemas/pump-telemetry.schema.json, max 2048 B, qos 0,1, retain no, rate 1/s burst 10");
        StringAssert.Contains(result.Output, "  subscribe iotsec/v1/d/{device}/down/#  qos 0,1");
        Assert.AreEqual(string.Empty, result.Error);
    }

    [TestMethod]
    public void Check_OfABadFile_PrintsEveryErrorWithItsPosition_AndExits1()
    {
        using var directory = new TemporaryDataDirectory();
        var path = directory.Write("bad.yaml", PolicyText.Small
            .Replace("  window: 1min", "  window: soon", StringComparison.Ordinal)
            .Replace("topic: iotsec/v1/d/{device}/up/posture", "topic: iotsec/v1/d/{device}/down/cmd", StringComparison.Ordinal));

        var result = GatewayCli.Run(directory.Path, "policy", "check", path);

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, path + ":5:11: quarantine.window: 'soon' is not a duration such as 30s, 5min or 1h");
        StringAssert.Contains(result.Error, path + ":24:16: classes.sensor.publish[2].topic: 'iotsec/v1/d/{device}/down/cmd' allows publishing on downlink topics");
        StringAssert.Contains(result.Error, "error: " + path + ": 2 error(s); the policy is refused");
        Assert.AreEqual(string.Empty, result.Output);
        Assert.DoesNotContain("   at ", result.Error, "no stack trace for a user error");
    }

    [TestMethod]
    public void Check_OfAMissingFile_Exits1WithAMessage()
    {
        using var directory = new TemporaryDataDirectory();

        var result = GatewayCli.Run(directory.Path, "policy", "check", directory.File("nope.yaml"));

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "cannot read the file");
    }
}
