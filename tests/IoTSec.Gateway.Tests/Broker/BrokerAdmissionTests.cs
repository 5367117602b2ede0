using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using IoTSec.Gateway.Broker;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>
/// Who may connect to the device broker, tried with Debian's mosquitto_pub as the device:
/// each refusal is seen by the client, counted on the gateway meter by reason and audited as
/// one ConnectionRefused entry per source.
/// </summary>
[TestClass]
public sealed class BrokerAdmissionTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task AnEnrolledDeviceConnectsAndPublishesOnItsOwnTelemetryTopic()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var device = gateway.Enrol("sensor-0001");

        var (exit, output) = await MosquittoClient.PublishAsync(gateway, device, device.DeviceId, "iotsec/v1/d/sensor-0001/up/telemetry", "{\"t\":21.5}");

        Assert.AreEqual(0, exit, output);
        Assert.IsTrue(gateway.Upstream.Messages.TryDequeue(out var message), "the telemetry did not reach the upstream queue");
        Assert.AreEqual("sensor-0001", message.DeviceId);
        Assert.AreEqual("{\"t\":21.5}", System.Text.Encoding.UTF8.GetString(message.Body.Span));
        Assert.AreEqual(0L, gateway.Get<ConnectionRefusalLedger>().TotalRefusals);
    }

    [TestMethod]
    public async Task AConnectionWithoutACertificateIsRefused()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        await AssertRefusedAsync(gateway, null, "sensor-0001", "client-certificate-required");
    }

    [TestMethod]
    public async Task ACertificateFromAnotherCaIsRefused()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        gateway.Enrol("sensor-0001");
        using var foreign = TestHierarchy.Create(gatewayName: "gw-foreign");
        var impostor = gateway.Write("impostor", foreign.IssueDevice("sensor-0001"));

        await AssertRefusedAsync(gateway, impostor, "sensor-0001", "untrusted-certificate");
    }

    [TestMethod]
    public async Task AnExpiredCertificateIsRefused()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        gateway.Enrol("sensor-0001");
        var past = new ManualTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(400));
        var expired = gateway.Write("expired", gateway.Hierarchy.IssueDevice("sensor-0001", new DeviceCertificateIssuer(gateway.Hierarchy.Authority, timeProvider: past)));
        Assert.IsLessThan(DateTime.UtcNow, expired.Certificate.NotAfter.ToUniversalTime(), "the test certificate should have expired");

        await AssertRefusedAsync(gateway, expired, "sensor-0001", "certificate-outside-validity");
    }

    [TestMethod]
    public async Task ARevokedDeviceIsRefused()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var device = gateway.Enrol("sensor-0001");
        gateway.Inventory.Revoke("sensor-0001", "lost in the field", "test");

        await AssertRefusedAsync(gateway, device, "sensor-0001", "certificate-revoked");
    }

    [TestMethod]
    public async Task AClientIdOtherThanTheCertificatesDeviceIsRefused()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var device = gateway.Enrol("sensor-0001");
        gateway.Enrol("sensor-0002");

        var (exit, output) = await AssertRefusedAsync(gateway, device, "sensor-0002", "client-id-mismatch");

        StringAssert.Contains(output, "identifier rejected", "the client should see an MQTT CONNACK refusal, not a TLS failure");
    }

    [TestMethod]
    public async Task AValidCertificateOfADeviceTheInventoryDoesNotKnowIsRefused()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var stranger = gateway.Write("stranger", gateway.Hierarchy.IssueDevice("sensor-9999"));

        await AssertRefusedAsync(gateway, stranger, "sensor-9999", "unknown-device");
    }

    [TestMethod]
    public async Task ACertificateTheDeviceHasReplacedByReEnrollingIsRefused()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var old = gateway.Enrol("sensor-0001");
        using var renewed = gateway.Hierarchy.IssueDevice("sensor-0001");
        gateway.Inventory.RecordIssuedCertificate("sensor-0001", renewed);

        await AssertRefusedAsync(gateway, old, "sensor-0001", "certificate-superseded");
    }

    [TestMethod]
    public async Task AQuarantinedDeviceConnectsMarkedQuarantined()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var device = gateway.Enrol("sensor-0001");
        gateway.Inventory.ApplyLifecycleEvent("sensor-0001", IoTSec.Gateway.Core.Inventory.DeviceLifecycleEvent.Quarantine, "test", "repeated violations");

        using var subscriber = await MosquittoClient.SubscribeAsync(gateway, device, "iotsec/v1/d/sensor-0001/down/#");

        Assert.IsTrue(gateway.Connected.TryGet("sensor-0001", out var edge));
        Assert.IsTrue(edge.Quarantined, "the policy must judge a quarantined device by the quarantine class");
        Assert.AreEqual(BrokerTestGateway.DeviceClass, edge.DeviceClass);
        CollectionAssert.AreEqual(device.Certificate.SerialNumberBytes.ToArray(), edge.CertificateSerial);
    }

    [TestMethod]
    public async Task RefusalsFromOneSourceBecomeOneAuditEntryPerInterval()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            var (exit, _) = await MosquittoClient.PublishAsync(gateway, null, "flood", "iotsec/v1/d/flood/up/telemetry", "x");
            Assert.AreNotEqual(0, exit);
        }

        var ledger = gateway.Get<ConnectionRefusalLedger>();
        Assert.AreEqual(1, ledger.Flush());
        var entries = gateway.Audit.List(kind: nameof(AuditEventKind.ConnectionRefused));
        Assert.HasCount(1, entries);
        Assert.AreEqual("127.0.0.1", entries[0].Subject);
        Assert.AreEqual("broker", entries[0].Actor);
        var details = JsonNode.Parse(entries[0].Details)!;
        Assert.AreEqual(5, details["count"]!.GetValue<long>());
        Assert.AreEqual(5, details["reasons"]!["client-certificate-required"]!.GetValue<long>());
        Assert.IsNull(gateway.Audit.Verify().FirstProblem);
    }

    private async Task<(int ExitCode, string Output)> AssertRefusedAsync(BrokerTestGateway gateway, DeviceCredentials? device, string clientId, string reason)
    {
        using var meter = new BrokerMeterRecorder("iotsec_broker_connections_refused_total", "reason");
        var result = await MosquittoClient.PublishAsync(gateway, device, clientId, $"iotsec/v1/d/{clientId}/up/telemetry", "{}");

        Assert.AreNotEqual(0, result.ExitCode, "mosquitto_pub should fail: " + result.Output);
        Assert.IsEmpty(gateway.Upstream.Messages, "a refused client's message went through");
        Assert.IsEmpty(gateway.Connected.Snapshot());

        // The refusal is recorded inside the server's handshake callback; the client may see the
        // failure a moment before the server's side has finished.
        var deadline = DateTime.UtcNow + Settle;
        var ledger = gateway.Get<ConnectionRefusalLedger>();
        while (ledger.TotalRefusals == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.CancellationToken);
        }

        // The meter is the process's: other test classes may count too, hence "at least".
        Assert.IsGreaterThanOrEqualTo(1L, meter.Count(reason), $"refusal '{reason}' not counted on the meter; client said: {result.Output}");
        Assert.AreEqual(1L, ledger.TotalRefusals, "exactly one refusal expected");
        ledger.Flush();
        var entry = gateway.Audit.List(kind: nameof(AuditEventKind.ConnectionRefused))[0];
        Assert.AreEqual(1, JsonNode.Parse(entry.Details)!["reasons"]![reason]!.GetValue<long>());
        return result;
    }
}
