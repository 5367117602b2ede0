using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Segmentation;
using IoTSec.Gateway.Tests.Policy;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Segmentation;

/// <summary>The renderer's text: one inet table with named sets and default drop, accepted by the kernel (nft -c).</summary>
[TestClass]
public sealed class NftablesRendererTests
{
    internal static readonly DeviceAddress[] Devices =
    [
        new("sensor-1", "sensor", IPAddress.Parse("10.20.1.2"), Quarantined: false),
        new("pump-1", "pump", IPAddress.Parse("10.20.2.2"), Quarantined: false),
        new("sensor-6", "sensor", IPAddress.Parse("2001:db8:20::6"), Quarantined: false),
    ];

    [TestMethod]
    public void Ruleset_IsOneInetTable_WithDefaultDropAndDeviceSets()
    {
        var rendered = NftablesRenderer.Render(SegmentationText.Parse(SegmentationText.Policy), Devices);
        var text = rendered.Ruleset;

        StringAssert.Contains(text, "table inet iotsec {");
        StringAssert.Contains(text, "type filter hook input priority filter; policy drop;");
        StringAssert.Contains(text, "type filter hook forward priority filter; policy drop;");
        StringAssert.Contains(text, "elements = { \"iot-a\" . 10.20.1.2 }", "the device is bound to its segment's interface");
        StringAssert.Contains(text, "iifname . ip saddr @class_2_sensor_v4 tcp dport { 8443, 8883 } accept");
        StringAssert.Contains(text, "iifname . ip saddr @class_0_pump_v4 oifname \"up0\" ip daddr @endpoint_0_cloud_v4 tcp dport 8883 accept");
        StringAssert.Contains(text, "iifname . ip saddr @quarantined_v4 tcp dport { 8443, 8444, 8883 } accept");
        Assert.AreEqual(1, rendered.Skipped.Count, "the IPv6 device is in no segment");
        StringAssert.StartsWith(rendered.Skipped[0], "sensor-6: address 2001:db8:20::6 is in no device segment");
        Assert.AreEqual(-1, text.IndexOf("2001:db8:20::6", StringComparison.Ordinal), "a device outside every segment gets no rule");
    }

    [TestMethod]
    public void Ruleset_TouchesOnlyTheIotsecTable()
    {
        var text = NftablesRenderer.Render(SegmentationText.Parse(SegmentationText.Policy), Devices).Ruleset;

        var lines = text.Split('\n').Where(l => l.Contains("table", StringComparison.Ordinal) && !l.StartsWith('#')).ToArray();
        CollectionAssert.AreEqual(new[] { "table inet iotsec", "delete table inet iotsec", "table inet iotsec {" }, lines);
        Assert.IsFalse(text.Contains("flush ruleset", StringComparison.Ordinal));
    }

    [TestMethod]
    public void QuarantinedDevice_LeavesItsClassSet()
    {
        var devices = (DeviceAddress[])Devices.Clone();
        devices[0] = devices[0] with { Quarantined = true };

        var text = NftablesRenderer.Render(SegmentationText.Parse(SegmentationText.Policy), devices).Ruleset;

        StringAssert.Contains(SetBlock(text, "quarantined_v4"), "\"iot-a\" . 10.20.1.2", "in the quarantine set");
        Assert.IsFalse(SetBlock(text, "class_2_sensor_v4").Contains("10.20.1.2", StringComparison.Ordinal), "not in its class set any more");
    }

    [TestMethod]
    public void AddressClaimedTwice_GivesNeitherDeviceARule()
    {
        DeviceAddress[] devices =
        [
            new("sensor-1", "sensor", IPAddress.Parse("10.20.1.2"), false),
            new("rogue", "pump", IPAddress.Parse("10.20.1.2"), false),
            new("ghost", "no-such-class", IPAddress.Parse("10.20.1.3"), false),
        ];

        var rendered = NftablesRenderer.Render(SegmentationText.Parse(SegmentationText.Policy), devices);

        Assert.AreEqual(-1, rendered.Ruleset.IndexOf("10.20.1.2", StringComparison.Ordinal));
        Assert.AreEqual(-1, rendered.Ruleset.IndexOf("10.20.1.3", StringComparison.Ordinal));
        Assert.AreEqual(3, rendered.Skipped.Count, string.Join("\n", rendered.Skipped));
    }

    [TestMethod]
    public void PolicyWithoutSegmentation_HasNoFirewall()
    {
        Assert.ThrowsExactly<InvalidOperationException>(() => NftablesRenderer.Render(PolicyText.Parse(PolicyText.Small), Devices));
    }

    [TestMethod]
    public async Task Ruleset_PassesTheKernelsCheck()
    {
        RequiredComponent.Root();
        RequiredComponent.Executable("nft", "nftables");
        var text = NftablesRenderer.Render(SegmentationText.Parse(SegmentationText.Policy), Devices).Ruleset;

        // Check mode: the kernel validates the whole transaction and commits nothing.
        await new NftablesCommand().CheckAsync(text);
        Console.WriteLine(text);
    }

    [TestMethod]
    public async Task BrokenRuleset_IsRefusedByTheCheck_WithNftsMessage()
    {
        RequiredComponent.Root();
        RequiredComponent.Executable("nft", "nftables");
        var text = NftablesRenderer.Render(SegmentationText.Parse(SegmentationText.Policy), Devices).Ruleset
            .Replace("tcp dport 8883 accept", "tcp dport 8883 acept", StringComparison.Ordinal);

        var error = await Assert.ThrowsExactlyAsync<NftablesCommandException>(() => new NftablesCommand().CheckAsync(text));

        StringAssert.Contains(error.Message, "syntax error");
    }

    private static string SetBlock(string ruleset, string name)
    {
        var start = ruleset.IndexOf("set " + name + " {", StringComparison.Ordinal);
        Assert.IsTrue(start >= 0, name);
        return ruleset[start..ruleset.IndexOf('}', start)];
    }
}
