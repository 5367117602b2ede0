using System.Text;
using System.Threading.Tasks;
using IoTSec.Gateway.Broker;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>
/// The broker's listener releases each connection's idle TLS record buffers (ADR 0009) and
/// devices still publish through it — mosquitto_pub as the device, a small message and one
/// larger than a 16 KB TLS record — and <c>ReleaseIdleTlsBuffers=false</c> turns it off.
/// </summary>
[TestClass]
public sealed class BrokerTlsBufferReleaseTests
{
    [TestMethod]
    public async Task DevicesPublishSmallAndLargeMessagesThroughConnectionsThatReleaseTheirBuffers()
    {
        RequireRelease();
        await using var gateway = await BrokerTestGateway.StartAsync();
        var device = gateway.Enrol("sensor-0001");
        var large = "{\"pad\":\"" + new string('x', 40_000) + "\"}";

        foreach (var text in new[] { "{\"t\":21.5}", large })
        {
            var (exit, output) = await MosquittoClient.PublishAsync(gateway, device, device.DeviceId, "iotsec/v1/d/sensor-0001/up/telemetry", text);
            Assert.AreEqual(0, exit, output);
            Assert.IsTrue(gateway.Upstream.Messages.TryDequeue(out var message), "the telemetry did not reach the upstream queue");
            Assert.AreEqual(text, Encoding.UTF8.GetString(message.Body.Span));
        }

        Assert.AreEqual(2L, gateway.Get<BrokerTlsListener>().ConnectionsReleasingTlsBuffers, "both connections release their idle buffers");
    }

    [TestMethod]
    public async Task TheSettingOffKeepsTheBuffers()
    {
        RequireRelease();
        await using var gateway = await BrokerTestGateway.StartAsync(settings => settings.ReleaseIdleTlsBuffers = false);
        var device = gateway.Enrol("sensor-0001");

        var (exit, output) = await MosquittoClient.PublishAsync(gateway, device, device.DeviceId, "iotsec/v1/d/sensor-0001/up/telemetry", "{\"t\":21.5}");

        Assert.AreEqual(0, exit, output);
        Assert.IsTrue(gateway.Upstream.Messages.TryDequeue(out _), "the telemetry did not reach the upstream queue");
        Assert.AreEqual(0L, gateway.Get<BrokerTlsListener>().ConnectionsReleasingTlsBuffers);
    }

    private static void RequireRelease()
    {
        if (!TlsRecordBuffers.IsSupported)
        {
            RequiredComponent.Missing("SslStream's OpenSSL handle (Linux, .NET 10, libssl.so.3): the broker cannot release idle TLS buffers on this runtime");
        }
    }
}
