using System;
using System.Diagnostics;
using System.Net;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Policy;
using IoTSec.Gateway.Core.Segmentation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Segmentation;

/// <summary>
/// Real packets through the rendered ruleset, applied with nft inside a gateway network
/// namespace (<see cref="NetworkNamespaceLab"/>): device-a (class sensor) and device-b
/// (class pump) on their own segments, upstream with a listed endpoint (10.30.0.10 cloud,
/// 10.30.0.20 time) and an unlisted address (10.30.0.11).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SegmentationNamespaceTests
{
    private const string GatewayA = "10.20.1.1";
    private const string DeviceBAddress = "10.20.2.2";
    private const string Cloud = "10.30.0.10";
    private const string Unlisted = "10.30.0.11";
    private const string Time = "10.30.0.20";

    private static NetworkNamespaceLab? s_lab;

    private static NetworkNamespaceLab Lab => s_lab ?? throw new InvalidOperationException("the lab was not built");

    [ClassInitialize]
    public static async Task BuildLab(TestContext context)
    {
        _ = context;
        s_lab = NetworkNamespaceLab.Create();

        // Without a ruleset everything passes: every drop below is the firewall's doing.
        Assert.AreEqual("up-443", await WaitForAsync(() => Lab.TcpAsync(Lab.DeviceA, Unlisted, 443)));
        Assert.AreEqual("gw-2222", await WaitForAsync(() => Lab.TcpAsync(Lab.DeviceA, GatewayA, 2222)));
        Assert.AreEqual("db-9000", await WaitForAsync(() => Lab.TcpAsync(Lab.DeviceA, DeviceBAddress, 9000)));
        Assert.AreEqual("up-udp-123", await WaitForAsync(() => Lab.UdpAsync(Lab.DeviceB, Time, 123)));
        Assert.AreEqual("up6-443", await WaitForAsync(() => Lab.TcpAsync(Lab.DeviceA, "2001:db8:30::11", 443)));
        Assert.AreEqual("gw6-2222", await WaitForAsync(() => Lab.TcpAsync(Lab.DeviceA, "2001:db8:1::1", 2222)));
    }

    [ClassCleanup]
    public static void RemoveLab()
    {
        s_lab?.Dispose();
        s_lab = null;
    }

    [TestInitialize]
    public async Task ApplyTheTestPolicy() => await ApplyAsync(quarantineSensor: false);

    [TestMethod]
    public async Task AllowedFlows_Pass()
    {
        var results = await Task.WhenAll(
            Lab.TcpAsync(Lab.DeviceA, GatewayA, 8883),
            Lab.TcpAsync(Lab.DeviceA, GatewayA, 8443),
            Lab.TcpAsync(Lab.DeviceA, Cloud, 443),
            Lab.TcpAsync(Lab.DeviceB, "10.20.2.1", 8883),
            Lab.TcpAsync(Lab.DeviceB, Cloud, 8883),
            Lab.UdpAsync(Lab.DeviceB, Time, 123));

        CollectionAssert.AreEqual(new[] { "gw-8883", "gw-8443", "up-443", "gw-8883", "up-8883", "up-udp-123" }, results);
    }

    [TestMethod]
    public async Task DeviceToDevice_UnlistedUpstream_AndPortsOutsideTheClass_AreDropped()
    {
        var results = await Task.WhenAll(
            Lab.TcpAsync(Lab.DeviceA, DeviceBAddress, 9000),   // another device
            Lab.TcpAsync(Lab.DeviceB, "10.20.1.2", 9000),      // and back
            Lab.TcpAsync(Lab.DeviceA, Unlisted, 443),          // an upstream address no endpoint lists
            Lab.TcpAsync(Lab.DeviceA, Cloud, 8080),            // the cloud, on a port no class has
            Lab.TcpAsync(Lab.DeviceA, Cloud, 8883),            // pump's port, not sensor's
            Lab.TcpAsync(Lab.DeviceB, Cloud, 443),             // sensor's port, not pump's
            Lab.TcpAsync(Lab.DeviceA, GatewayA, 2222),         // a gateway port that is no device service
            Lab.TcpAsync(Lab.DeviceB, "10.20.2.1", 8443),      // enrolment: sensor has it, pump does not
            Lab.UdpAsync(Lab.DeviceA, Time, 123));             // time is pump's endpoint only

        CollectionAssert.AreEqual(new string?[9], results, string.Join(", ", results));
    }

    [TestMethod]
    public async Task Ipv6_AllowedFlowsPass_OthersAreDropped()
    {
        var results = await Task.WhenAll(
            Lab.TcpAsync(Lab.DeviceA, "2001:db8:1::1", 8883),     // broker, over v6 (neighbour discovery passes the input chain)
            Lab.TcpAsync(Lab.DeviceA, "2001:db8:30::10", 443),    // cloud's v6 address
            Lab.TcpAsync(Lab.DeviceA, "2001:db8:30::11", 443),    // unlisted
            Lab.TcpAsync(Lab.DeviceA, "2001:db8:1::1", 2222));    // not a device service

        CollectionAssert.AreEqual(new[] { "gw6-8883", "up6-443", null, null }, results, string.Join(", ", results));
    }

    [TestMethod]
    public async Task UpstreamCannotOpenAConnectionToADevice()
    {
        Assert.IsNull(await Lab.TcpAsync(Lab.Upstream, "10.20.1.2", 9000));
    }

    [TestMethod]
    public async Task Quarantine_CutsEverythingButEnrolmentBrokerAndOta_WithinASecond()
    {
        var clock = Stopwatch.StartNew();
        await ApplyAsync(quarantineSensor: true);
        var applied = clock.Elapsed;

        var results = await Task.WhenAll(
            Lab.TcpAsync(Lab.DeviceA, GatewayA, 8883),
            Lab.TcpAsync(Lab.DeviceA, GatewayA, 8443),
            Lab.TcpAsync(Lab.DeviceA, GatewayA, 8444),
            Lab.TcpAsync(Lab.DeviceA, Cloud, 443),
            Lab.TcpAsync(Lab.DeviceB, Cloud, 8883));

        Assert.IsLessThan(TimeSpan.FromSeconds(1), applied, "render and apply");
        CollectionAssert.AreEqual(new[] { "gw-8883", "gw-8443", "gw-8444", null, "up-8883" }, results, "the other device keeps its flows");
        Console.WriteLine($"quarantine ruleset rendered and applied in {applied.TotalMilliseconds:F0} ms");
    }

    [TestMethod]
    public async Task InvalidPolicy_NeverReachesTheKernel()
    {
        var before = await Lab.Nft.ShowAsync();
        var invalid = SegmentationText.With("      - to: gateway\n        service: ota", "      - to: gateway\n        service: ota\n      - to: cloud\n        protocol: tcp\n        port: 443");

        Assert.ThrowsExactly<PolicyRejectedException>(() => SegmentationText.Parse(invalid));

        Assert.AreEqual(before, await Lab.Nft.ShowAsync());
        Assert.IsNull(await Lab.TcpAsync(Lab.DeviceA, Unlisted, 443));
    }

    [TestMethod]
    public async Task RefusedRuleset_LeavesTheOldOneInForce()
    {
        var before = await Lab.Nft.ShowAsync();
        var broken = Render(quarantineSensor: false).Replace("policy drop;", "policy accept;", StringComparison.Ordinal)
            .Replace("ct state invalid drop", "ct state invalid frop", StringComparison.Ordinal);

        await Assert.ThrowsExactlyAsync<NftablesCommandException>(() => Lab.Nft.ApplyAsync(broken));

        Assert.AreEqual(before, await Lab.Nft.ShowAsync(), "one transaction: nothing of it was applied");
        Assert.IsNull(await Lab.TcpAsync(Lab.DeviceA, Unlisted, 443), "still default drop");
    }

    private static string Render(bool quarantineSensor)
    {
        DeviceAddress[] devices =
        [
            new("sensor-1", "sensor", IPAddress.Parse("10.20.1.2"), quarantineSensor),
            new("pump-1", "pump", IPAddress.Parse(DeviceBAddress), false),
            new("sensor-1", "sensor", IPAddress.Parse("2001:db8:1::2"), quarantineSensor),
        ];
        var rendered = NftablesRenderer.Render(SegmentationText.Parse(SegmentationText.Policy), devices);
        Assert.AreEqual(0, rendered.Skipped.Count, string.Join("\n", rendered.Skipped));
        return rendered.Ruleset;
    }

    private static Task ApplyAsync(bool quarantineSensor) => Lab.Nft.ApplyAsync(Render(quarantineSensor));

    private static async Task<string?> WaitForAsync(Func<Task<string?>> probe)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } answer)
            {
                return answer;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                return null;
            }

            await Task.Delay(50);
        }
    }
}
