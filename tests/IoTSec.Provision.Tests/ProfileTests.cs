using System;
using IoTSec.Firmware.Tests.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Provision.Tests;

/// <summary>A bad profile is refused before any device is touched, naming the key.</summary>
[TestClass]
public sealed class ProfileTests
{
    private ProvisioningBench _bench = null!;

    [TestInitialize]
    public void CreateBench() => _bench = new ProvisioningBench();

    [TestCleanup]
    public void DeleteBench() => _bench.Dispose();

    [TestMethod]
    [DataRow("heartbeatIntervalSeconds: 300", "heartbeatIntervalSecs: 300", "heartbeatIntervalSecs", "unknown key")]
    [DataRow("heartbeatIntervalSeconds: 300", "heartbeatIntervalSeconds: 5", "heartbeatIntervalSeconds", "outside")]
    [DataRow("heartbeatIntervalSeconds: 300", "heartbeatIntervalSeconds: soon", "heartbeatIntervalSeconds", "whole number")]
    [DataRow("  mqttPort: 8883", "  mqttPort: 70000", "gateway.mqttPort", "MQTT port")]
    [DataRow("  mqttPort: 8883\n", "", "mqttPort", "missing key")]
    [DataRow("deviceClass: env-sensor", "deviceClass: Env Sensor!", "deviceClass", "device class")]
    [DataRow("certificate: gateway-root.pem", "certificate: ota-signing.pub.pem", "trustAnchors.gatewayRoot.certificate", "no PEM certificate")]
    [DataRow("publicKey: ota-signing.pub.pem", "publicKey: gateway-root.pem", "trustAnchors.otaSigningKey.publicKey", "CERTIFICATE")]
    [DataRow("keyId: ota-1", "keyId: gw-root-1", "trustAnchors", "key id")]
    public void ABadKeyIsRefusedNamingIt(string good, string bad, string key, string reason)
    {
        string yaml = ProvisioningBench.GoodProfile.Replace(good, bad, StringComparison.Ordinal);
        Assert.AreNotEqual(ProvisioningBench.GoodProfile, yaml, "the row does not change the profile");
        string profile = _bench.WriteProfile("bad.yaml", yaml);

        // The port does not exist: a profile refusal must come first, whatever the device.
        ToolRun run = _bench.Provision("/nonexistent/tty", profile);

        Assert.AreEqual(ExitCode.BadInput, run.Code, run.ToString());
        StringAssert.Contains(run.Error, key, run.ToString());
        StringAssert.Contains(run.Error, reason, run.ToString());
    }

    [TestMethod]
    [DataRow("&a [*a]: x\n", "anchors (&a)")]
    [DataRow("x: *a\n", "aliases")]
    [DataRow("deviceClass: &c env-sensor\n", "anchors")]
    [DataRow("a: [[[[[[[[[[1]]]]]]]]]]\n", "nested deeper")]
    [DataRow("deviceClass: [unclosed\n", "not valid YAML")]
    public void AMalformedOrHostileDocumentIsRefusedNotCrashedOn(string yaml, string reason)
    {
        ToolRun run = _bench.Provision("/nonexistent/tty", _bench.WriteProfile("hostile.yaml", yaml));
        Assert.AreEqual(ExitCode.BadInput, run.Code, run.ToString());
        StringAssert.Contains(run.Error, reason, run.ToString());
    }

    [TestMethod]
    public void TheGoodProfileProvisionsAfterTheBadOneIsFixed()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _bench.Flash);
        Assert.AreEqual(ExitCode.Ok, _bench.Provision(pty.EndB).Code);
    }
}
