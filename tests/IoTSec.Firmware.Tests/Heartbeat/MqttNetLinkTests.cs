using System;
using System.Threading.Tasks;
using IoTSec.Firmware.Commands;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Heartbeat;

/// <summary>
/// The desktop MQTT link against the real broker: it trusts the provisioned anchor and nothing
/// else, and the broker's ACL holds the device to its own topics.
/// </summary>
[TestClass]
public sealed class MqttNetLinkTests : BrokerTestBase
{
    private static BrokerFixture s_fixture = null!;

    internal override BrokerFixture Fixture => s_fixture;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => s_fixture = await BrokerFixture.StartAsync();

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (s_fixture is not null)
        {
            await s_fixture.DisposeAsync();
        }
    }

    [TestMethod]
    public void ABrokerNotChainingToTheTrustAnchorIsRefused()
    {
        var (certificate, key) = Fixture.Pki.Client("dev-anchor");
        using var otherRoot = TestPki.OtherRoot();
        using (certificate)
        using (key)
        using (var link = new MqttNetLink(TimeSpan.FromSeconds(5)))
        {
            var credentials = new TlsClientCredentials(certificate.RawData, key.ExportPkcs8PrivateKey(), otherRoot.RawData);
            var refused = Assert.ThrowsExactly<NetworkException>(() => link.Connect("127.0.0.1", Fixture.Broker.Port, "dev-anchor", credentials, new DownlinkInbox()));
            Assert.IsFalse(link.IsConnected);
            StringAssert.Contains(refused.Message, "certificate", refused.ToString());
        }
    }

    [TestMethod]
    public void ABrokerWhoseCertificateDoesNotNameTheHostIsRefused()
    {
        var (certificate, key) = Fixture.Pki.Client("dev-name");
        using (certificate)
        using (key)
        using (var link = new MqttNetLink(TimeSpan.FromSeconds(5)))
        {
            // The right anchor and the right address, but the certificate names 127.0.0.1, not "localhost".
            var credentials = new TlsClientCredentials(certificate.RawData, key.ExportPkcs8PrivateKey(), Fixture.Pki.Root.RawData);
            var refused = Assert.ThrowsExactly<NetworkException>(() => link.Connect("localhost", Fixture.Broker.Port, "dev-name", credentials, new DownlinkInbox()));
            StringAssert.Contains(refused.Message, "certificate", refused.ToString());
        }
    }

    [TestMethod]
    public async Task TheDeviceReceivesOnlyItsOwnDownlinkAndPublishesOnlyUnderItsOwnUplink()
    {
        using var device = NewDevice();
        using var other = NewDevice("other");
        device.Boot();
        other.Boot();

        await Gateway.PublishAsync(other.Topics.Command, [1, 2, 3]);
        await Gateway.PublishAsync(device.Topics.OtaOffer, [4, 5, 6]);
        var deadline = DateTime.UtcNow + Wait;
        while (device.Inbox.Count == 0 && DateTime.UtcNow < deadline)
        {
            device.Inbox.WaitForMessage(100);
        }

        Assert.IsTrue(device.Inbox.TryTake(out var topic, out var payload));
        Assert.AreEqual(device.Topics.OtaOffer, topic, "the other device's command never reaches this one");
        CollectionAssert.AreEqual(new byte[] { 4, 5, 6 }, payload);

        // The broker accepts the publish (MQTT 3.1.1 has no refusal) but delivers nothing.
        device.Link.Publish(other.Topics.Heartbeat, [7]);
        device.Link.Publish(device.Topics.Telemetry, [8]);
        CollectionAssert.AreEqual(new byte[] { 8 }, await Gateway.NextAsync(device.Topics.Telemetry, Wait));
        Assert.AreEqual(0, Gateway.Waiting(other.Topics.Heartbeat));
    }

    [TestMethod]
    public void PublishingWithoutAConnectionFailsAsANetworkError()
    {
        using var link = new MqttNetLink();
        Assert.IsFalse(link.IsConnected);
        Assert.ThrowsExactly<NetworkException>(() => link.Publish("iotsec/v1/d/x/up/telemetry", [1]));
        link.Disconnect();
    }
}
