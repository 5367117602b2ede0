using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>
/// A full upstream spool refuses a device's telemetry: the device is told (MQTT 5 PUBACK
/// "Quota exceeded"), the broker keeps running, and the device's next message after the
/// spool has room goes through.
/// </summary>
[TestClass]
public sealed class BrokerUpstreamFullTests
{
    [TestMethod]
    public async Task TelemetryRefusedByAFullSpoolIsAnsweredQuotaExceededAndTheBrokerCarriesOn()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var device = gateway.Enrol("sensor-0001");
        const string topic = "iotsec/v1/d/sensor-0001/up/telemetry";

        gateway.Upstream.Full = true;
        var (_, refusedOutput) = await MosquittoClient.PublishAsync(gateway, device, device.DeviceId, topic, "{\"t\":1}", "-V", "mqttv5");
        StringAssert.Contains(refusedOutput, "Quota exceeded", "the device was not told its message was refused");
        Assert.IsEmpty(gateway.Upstream.Messages, "a refused message was recorded");

        gateway.Upstream.Full = false;
        var (exit, output) = await MosquittoClient.PublishAsync(gateway, device, device.DeviceId, topic, "{\"t\":2}", "-V", "mqttv5");
        Assert.AreEqual(0, exit, output);
        Assert.IsTrue(gateway.Upstream.Messages.TryDequeue(out var message), "the broker stopped forwarding after a full spool");
        Assert.AreEqual("{\"t\":2}", System.Text.Encoding.UTF8.GetString(message.Body.Span));
    }
}
