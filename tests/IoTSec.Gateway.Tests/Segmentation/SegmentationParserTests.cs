using System;
using System.Linq;
using System.Net;
using IoTSec.Gateway.Core.Segmentation;
using IoTSec.Gateway.Tests.Policy;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Segmentation;

/// <summary>The segmentation section and class network rules: what loads, and each refusal named with line:column and key path.</summary>
[TestClass]
public sealed class SegmentationParserTests
{
    [TestMethod]
    public void TestPolicy_Loads_ZonesAndClassFlows()
    {
        var policy = SegmentationText.Parse(SegmentationText.Policy);
        var zones = policy.Segmentation!;

        Assert.AreEqual(3, zones.Segments.Count);
        Assert.AreEqual("field-a6", zones.SegmentOf(IPAddress.Parse("2001:db8:1::2"))!.Name);
        Assert.AreEqual("iot-a", zones.Segments[0].Interface);
        Assert.AreEqual(IPNetwork.Parse("10.20.2.0/24"), zones.Segments[1].Subnet);
        Assert.AreEqual("up0", zones.UpstreamInterface);
        Assert.AreEqual(8883, zones.ServicePorts[GatewayService.Broker]);
        Assert.AreEqual("field-b", zones.SegmentOf(IPAddress.Parse("10.20.2.9"))!.Name);
        Assert.IsNull(zones.SegmentOf(IPAddress.Parse("10.30.0.10")));
        CollectionAssert.AreEqual(
            new[] { "gateway.broker", "gateway.enrolment", "cloud tcp/443" },
            policy.Classes["sensor"].NetworkRules.Select(r => r.ToString()).ToArray());
        Assert.AreEqual(new NetworkAllowRule(GatewayService.Ota, null, NetworkProtocol.Tcp, 8444), policy.QuarantineClass.NetworkRules[2]);
    }

    [TestMethod]
    public void PolicyWithoutSegmentation_StillLoads_WithNoNetworkRules()
    {
        var policy = PolicyText.Parse(PolicyText.Small);

        Assert.IsNull(policy.Segmentation);
        Assert.AreEqual(0, policy.Classes["sensor"].NetworkRules.Count);
    }

    [TestMethod]
    public void NetworkRules_WithoutSegmentation_AreRefused()
    {
        var yaml = PolicyText.SmallWith("    subscribe:\n      - topic: iotsec/v1/d/{device}/down/#", "    network: []\n    subscribe:\n      - topic: iotsec/v1/d/{device}/down/#");

        var errors = PolicyText.Errors(yaml);

        Assert.AreEqual(1, errors.Length, string.Join("\n", errors));
        StringAssert.Contains(errors[0], "classes.sensor.network: network rules need a segmentation section");
    }

    [TestMethod]
    public void QuarantineClass_MayReachOnlyTheGateway()
    {
        var yaml = SegmentationText.With(
            "      - to: gateway\n        service: ota",
            "      - to: gateway\n        service: ota\n      - to: cloud\n        protocol: tcp\n        port: 443");

        var errors = SegmentationText.Errors(yaml);

        Assert.AreEqual(1, errors.Length, string.Join("\n", errors));
        Assert.AreEqual("68:13: classes.quarantine.network[3].to: 'cloud' is not allowed in the quarantine class: it may reach only the gateway's enrolment, broker and ota services", errors[0]);
    }

    [TestMethod]
    [DataRow("      interface: iot-b\n", "      interface: \"iot b;drop\"\n", "12:18: segmentation.segments.field-b.interface: 'iot b;drop' is not an interface name")]
    [DataRow("      subnet: 10.20.1.0/24\n", "      subnet: 10.20.1.5/24\n", "10:15: segmentation.segments.field-a.subnet: '10.20.1.5/24' is not a subnet")]
    [DataRow("      subnet: 10.20.2.0/24\n", "      subnet: 10.20.0.0/16\n", "13:15: segmentation.segments.field-b.subnet: 10.20.0.0/16 overlaps segment 'field-a'")]
    [DataRow("    interface: up0\n", "    interface: iot-b\n", "18:16: segmentation.upstream.interface: 'iot-b' is also the interface of device segment 'field-b'")]
    [DataRow("    broker: 8883\n", "    broker: 70000\n", "21:13: segmentation.gateway.broker: '70000' is not a TCP port")]
    [DataRow("    ota: 8444\n", "    ota: 8444\n    ssh: 22\n", "23:5: segmentation.gateway.ssh: unknown key (expected enrolment, broker, ota)")]
    [DataRow("      addresses: [10.30.0.20/32]\n", "      addresses: [10.20.1.0/28]\n", "27:19: segmentation.endpoints.time.addresses[0]: 10.20.1.0/28 overlaps device segment 'field-a'")]
    [DataRow("      addresses: [10.30.0.20/32]\n", "      addresses: [time.example.org]\n", "27:19: segmentation.endpoints.time.addresses[0]: 'time.example.org' is not an address or subnet")]
    [DataRow("        port: 443\n", "        port: 0\n", "41:15: classes.sensor.network[2].port: '0' is not a port (1-65535)")]
    [DataRow("        protocol: udp\n", "        protocol: icmp\n", "54:19: classes.pump.network[2].protocol: 'icmp' is not a protocol: expected tcp or udp")]
    [DataRow("      - to: time\n", "      - to: nowhere\n", "53:13: classes.pump.network[2].to: 'nowhere' is neither gateway nor an endpoint under segmentation.endpoints")]
    [DataRow("        service: ota", "        service: ssh", "67:18: classes.quarantine.network[2].service: 'ssh' is not a gateway service: expected enrolment, broker or ota")]
    public void BadSegmentation_IsRefused_NamingLineAndKey(string line, string replacement, string expected)
    {
        var errors = SegmentationText.Errors(SegmentationText.With(line, replacement));

        Assert.IsTrue(errors.Length >= 1);
        StringAssert.StartsWith(errors[0], expected, string.Join("\n", errors));
    }

    [TestMethod]
    public void GatewayRule_WithAPort_IsRefused()
    {
        var yaml = SegmentationText.With(
            "      - to: gateway\n        service: enrolment\n      - to: cloud",
            "      - to: gateway\n        service: enrolment\n        port: 22\n      - to: cloud");

        var errors = SegmentationText.Errors(yaml);

        StringAssert.StartsWith(errors[0], "39:15: classes.sensor.network[1].port: a gateway rule names a service", string.Join("\n", errors));
    }
}
