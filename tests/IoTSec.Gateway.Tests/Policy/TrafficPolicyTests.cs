using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Policy;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Policy;

/// <summary>The allowlist's decisions on publishes and subscriptions, rate and burst, and what it does with refusals.</summary>
[TestClass]
public sealed class TrafficPolicyTests
{
    private const string Heartbeat = "iotsec/v1/d/pump-1/up/heartbeat";
    private const string Telemetry = "iotsec/v1/d/pump-1/up/telemetry";
    private static readonly byte[] Json = Encoding.UTF8.GetBytes("""{"t": 21.5}""");

    // Most tests refuse several messages in a row: a threshold they never reach keeps their
    // device out of quarantine. The quarantine tests use the small policy's threshold of 3.
    private static readonly string Tolerant = PolicyText.SmallWith("  threshold: 3", "  threshold: 1000");

    private TrafficPolicyFixture _fixture = null!;

    [TestInitialize]
    public void Start() => _fixture = new TrafficPolicyFixture(Tolerant);

    [TestCleanup]
    public void Stop() => _fixture.Dispose();

    [TestMethod]
    public void OwnHeartbeat_IsAllowed_AndTypedForThePostureService()
    {
        var decision = _fixture.Policy.AuthorizePublish(_fixture.Connect("pump-1"), Heartbeat, new byte[40], 1, retain: false);

        Assert.IsTrue(decision.Allowed, decision.Detail);
        Assert.AreEqual("heartbeat", decision.PayloadType);
    }

    [TestMethod]
    [DataRow("iotsec/v1/d/pump-2/up/telemetry", TrafficViolation.TopicNotAllowed, DisplayName = "another device's topic")]
    [DataRow("iotsec/v1/d/pump-10/up/telemetry", TrafficViolation.TopicNotAllowed, DisplayName = "a device id extending ours")]
    [DataRow("iotsec/v1/d/pump-1/up/unknown", TrafficViolation.TopicNotAllowed, DisplayName = "an unknown kind")]
    [DataRow("elsewhere/pump-1", TrafficViolation.TopicNotAllowed, DisplayName = "outside every rule")]
    [DataRow("iotsec/v1/d/pump-1/up/+", TrafficViolation.TopicNotAllowed, DisplayName = "a wildcard in a topic name")]
    [DataRow("iotsec/v1/d/pump-1/down/cmd", TrafficViolation.DownlinkPublish, DisplayName = "own downlink")]
    [DataRow("iotsec/v1/d/pump-2/down/ota", TrafficViolation.DownlinkPublish, DisplayName = "another device's downlink")]
    [DataRow("iotsec/v1/d/pump-1/down", TrafficViolation.DownlinkPublish, DisplayName = "the downlink level itself")]
    [DataRow("", TrafficViolation.TopicNotAllowed, DisplayName = "empty")]
    public void Publish_OutsideTheRules_IsRefused(string topic, TrafficViolation expected)
    {
        var decision = _fixture.Policy.AuthorizePublish(_fixture.Connect("pump-1"), topic, Json, 0, retain: false);

        Assert.AreEqual(expected, decision.Violation, decision.Detail);
        Assert.AreEqual(string.Empty, decision.PayloadType);
    }

    [TestMethod]
    public void CustomTree_WithPlusLevel_MatchesOnlyTheOwnDevice()
    {
        var device = _fixture.Connect("pump-1");

        Assert.IsTrue(_fixture.Policy.AuthorizePublish(device, "site/pump-1/boiler/reading", [1], 0, false).Allowed);
        Assert.AreEqual(TrafficViolation.TopicNotAllowed, _fixture.Policy.AuthorizePublish(device, "site/pump-2/boiler/reading", [1], 0, false).Violation);
    }

    [TestMethod]
    public void UnknownClass_IsRefused()
    {
        var device = _fixture.Connect("cam-1", "camera");

        Assert.AreEqual(TrafficViolation.UnknownClass, _fixture.Policy.AuthorizePublish(device, "iotsec/v1/d/cam-1/up/heartbeat", [1], 0, false).Violation);
        Assert.AreEqual(TrafficViolation.UnknownClass, _fixture.Policy.AuthorizeSubscribe(device, "iotsec/v1/d/cam-1/down/#", 0).Violation);

        device.MarkQuarantined();
        Assert.AreEqual(TrafficViolation.UnknownClass, _fixture.Policy.AuthorizePublish(device, "iotsec/v1/d/cam-1/up/heartbeat", [1], 0, false).Violation, "quarantine opens nothing to an unknown class");
    }

    [TestMethod]
    public void SizeQosAndRetain_AreChecked()
    {
        var device = _fixture.Connect("pump-1");

        var large = Encoding.UTF8.GetBytes("\"" + new string('x', 511) + "\"");
        Assert.AreEqual(TrafficViolation.PayloadTooLarge, _fixture.Policy.AuthorizePublish(device, Telemetry, large, 0, false).Violation);
        var exact = Encoding.UTF8.GetBytes("\"" + new string('x', 510) + "\"");
        Assert.IsTrue(_fixture.Policy.AuthorizePublish(device, Telemetry, exact, 0, false).Allowed, "512 bytes is the limit itself");
        Assert.AreEqual(TrafficViolation.QosNotAllowed, _fixture.Policy.AuthorizePublish(device, Telemetry, Json, 1, false).Violation);
        Assert.AreEqual(TrafficViolation.QosNotAllowed, _fixture.Policy.AuthorizePublish(device, Telemetry, Json, 3, false).Violation);
        Assert.AreEqual(TrafficViolation.RetainNotAllowed, _fixture.Policy.AuthorizePublish(device, Telemetry, Json, 0, true).Violation);
        Assert.IsTrue(_fixture.Policy.AuthorizePublish(device, "iotsec/v1/d/pump-1/up/alert", [1], 1, true).Allowed, "retain: true on the alert rule");
    }

    [TestMethod]
    public void PayloadTypes_AreChecked()
    {
        var device = _fixture.Connect("pump-1");
        const string Posture = "iotsec/v1/d/pump-1/up/posture";

        Assert.AreEqual("json", _fixture.Policy.AuthorizePublish(device, Telemetry, Json, 0, false).PayloadType);
        Assert.AreEqual(TrafficViolation.PayloadInvalid, _fixture.Policy.AuthorizePublish(device, Telemetry, "{\"t\": "u8, 0, false).Violation);
        _fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.AreEqual(TrafficViolation.PayloadInvalid, _fixture.Policy.AuthorizePublish(device, Telemetry, "{} {}"u8, 0, false).Violation);
        Assert.AreEqual(TrafficViolation.PayloadInvalid, _fixture.Policy.AuthorizePublish(device, Telemetry, [0xff, 0xfe], 0, false).Violation);

        Assert.AreEqual("cbor", _fixture.Policy.AuthorizePublish(device, Posture, [0xa1, 0x01, 0x02], 1, false).PayloadType, "{1: 2}");
        Assert.AreEqual(TrafficViolation.PayloadInvalid, _fixture.Policy.AuthorizePublish(device, Posture, [0xa2, 0x01], 1, false).Violation, "truncated map");
        Assert.AreEqual(TrafficViolation.PayloadInvalid, _fixture.Policy.AuthorizePublish(device, Posture, [0x01, 0x02], 1, false).Violation, "two items");
        Assert.AreEqual(TrafficViolation.PayloadInvalid, _fixture.Policy.AuthorizePublish(device, Posture, [], 1, false).Violation, "empty");
    }

    [TestMethod]
    public void JsonSchema_OfTheDocumentedExample_IsEnforced()
    {
        var store = PolicyStore.Open(PolicyText.ExamplePath, audit: null);
        var policy = new TrafficPolicy(store, new RecordingAlertSink(), _fixture.Quarantine, new PolicyViolationAuditor(null, _fixture.Clock), _fixture.Clock);
        var device = _fixture.Connect("pump-0001", "infusion-pump");
        const string Topic = "iotsec/v1/d/pump-0001/up/telemetry";

        var good = policy.AuthorizePublish(device, Topic, """{"rate_ml_h": 12.5, "battery_pct": 80}"""u8, 1, false);
        var missing = policy.AuthorizePublish(device, Topic, """{"rate_ml_h": 12.5}"""u8, 1, false);
        var extra = policy.AuthorizePublish(device, Topic, """{"rate_ml_h": 1, "battery_pct": 80, "cmd": "rm"}"""u8, 1, false);
        var range = policy.AuthorizePublish(device, Topic, """{"rate_ml_h": 5000, "battery_pct": 80}"""u8, 1, false);

        Assert.IsTrue(good.Allowed, good.Detail);
        Assert.AreEqual(TrafficViolation.PayloadInvalid, missing.Violation);
        StringAssert.Contains(missing.Detail, "does not conform to the schema schemas/pump-telemetry.schema.json");
        Assert.AreEqual(TrafficViolation.PayloadInvalid, extra.Violation);
        Assert.AreEqual(TrafficViolation.PayloadInvalid, range.Violation);
    }

    [TestMethod]
    public void RateAndBurst_FollowTheTokenBucket()
    {
        var device = _fixture.Connect("pump-1");
        bool Send() => _fixture.Policy.AuthorizePublish(device, Heartbeat, [1], 0, false).Allowed;

        // Burst 3, then 2/s.
        Assert.IsTrue(Send() && Send() && Send(), "the burst");
        var refused = _fixture.Policy.AuthorizePublish(device, Heartbeat, [1], 0, false);
        Assert.AreEqual(TrafficViolation.RateExceeded, refused.Violation);
        StringAssert.Contains(refused.Detail, "2/s (burst 3)");

        _fixture.Clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.IsFalse(Send(), "not a whole token after 499 ms");
        _fixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.IsTrue(Send(), "one token after 500 ms");
        Assert.IsFalse(Send());

        _fixture.Clock.Advance(TimeSpan.FromHours(1));
        Assert.IsTrue(Send() && Send() && Send(), "a quiet hour refills the burst");
        Assert.IsFalse(Send(), "and no more than the burst");
    }

    [TestMethod]
    public void RateLimit_IsPerDeviceAndPerRule()
    {
        var flooder = _fixture.Connect("pump-1");
        var neighbour = _fixture.Connect("pump-2");
        for (var i = 0; i < 100; i++)
        {
            _fixture.Policy.AuthorizePublish(flooder, Heartbeat, [1], 0, false);
        }

        Assert.IsTrue(_fixture.Policy.AuthorizePublish(neighbour, "iotsec/v1/d/pump-2/up/heartbeat", [1], 0, false).Allowed, "another device is unaffected");
        Assert.IsTrue(_fixture.Policy.AuthorizePublish(flooder, Telemetry, Json, 0, false).Allowed, "another rule of the flooder has its own bucket");
    }

    [TestMethod]
    public void RefusedPayload_DoesNotSpendARateToken()
    {
        var device = _fixture.Connect("pump-1");

        Assert.AreEqual(TrafficViolation.PayloadInvalid, _fixture.Policy.AuthorizePublish(device, Telemetry, "not json"u8, 0, false).Violation);

        Assert.IsTrue(_fixture.Policy.AuthorizePublish(device, Telemetry, Json, 0, false).Allowed);
        Assert.IsTrue(_fixture.Policy.AuthorizePublish(device, Telemetry, Json, 0, false).Allowed, "burst 2 is still whole");
    }

    [TestMethod]
    [DataRow("iotsec/v1/d/pump-1/down/#", 1, TrafficViolation.None, DisplayName = "own downlinks")]
    [DataRow("iotsec/v1/d/pump-1/down/cmd", 0, TrafficViolation.None, DisplayName = "one own downlink")]
    [DataRow("iotsec/v1/d/pump-1/down/#", 2, TrafficViolation.QosNotAllowed, DisplayName = "QoS 2")]
    [DataRow("iotsec/v1/d/+/down/#", 1, TrafficViolation.TopicNotAllowed, DisplayName = "every device's downlinks")]
    [DataRow("iotsec/v1/d/pump-2/down/#", 1, TrafficViolation.TopicNotAllowed, DisplayName = "another device's downlinks")]
    [DataRow("iotsec/v1/d/pump-1/up/#", 1, TrafficViolation.TopicNotAllowed, DisplayName = "own uplinks")]
    [DataRow("#", 0, TrafficViolation.TopicNotAllowed, DisplayName = "everything")]
    [DataRow("iotsec/v1/d/pump-1/down/#/x", 0, TrafficViolation.TopicNotAllowed, DisplayName = "an invalid filter")]
    [DataRow("site/pump-1/config/+", 1, TrafficViolation.None, DisplayName = "custom tree")]
    public void Subscribe(string filter, int qos, TrafficViolation expected)
    {
        var decision = _fixture.Policy.AuthorizeSubscribe(_fixture.Connect("pump-1"), filter, qos);

        Assert.AreEqual(expected, decision.Violation, decision.Detail);
    }

    [TestMethod]
    public void RepeatedViolations_QuarantineTheDevice_OnceAndForReal()
    {
        using var fixture = new TrafficPolicyFixture();
        var device = fixture.Connect("pump-1");

        fixture.Policy.AuthorizePublish(device, "iotsec/v1/d/pump-2/up/telemetry", Json, 0, false);
        fixture.Policy.AuthorizePublish(device, "iotsec/v1/d/pump-1/down/cmd", Json, 0, false);
        Assert.IsFalse(device.Quarantined, "two violations are under the threshold of 3");
        fixture.Policy.AuthorizeSubscribe(device, "#", 0);

        Assert.IsTrue(device.Quarantined);
        Assert.AreEqual(DeviceState.Quarantined, fixture.Inventory.Get("pump-1").State, "the inventory too (the real DeviceQuarantine)");
        var alert = fixture.Alerts.Alerts.Single();
        Assert.AreEqual(TrafficPolicy.RepeatedViolationsAlert, alert.Code);
        Assert.AreEqual("pump-1", alert.Subject);
        Assert.AreEqual(AlertSeverity.Critical, alert.Severity);
        Assert.AreEqual(fixture.Clock.Now, alert.RaisedAt);

        // Judged by the quarantine class from now on: heartbeats and OTA only.
        Assert.AreEqual(TrafficViolation.TopicNotAllowed, fixture.Policy.AuthorizePublish(device, Telemetry, Json, 0, false).Violation);
        Assert.IsTrue(fixture.Policy.AuthorizePublish(device, Heartbeat, [1], 0, false).Allowed);
        Assert.IsTrue(fixture.Policy.AuthorizeSubscribe(device, "iotsec/v1/d/pump-1/down/ota", 1).Allowed);
        Assert.AreEqual(TrafficViolation.TopicNotAllowed, fixture.Policy.AuthorizeSubscribe(device, "iotsec/v1/d/pump-1/down/#", 1).Violation);

        for (var i = 0; i < 10; i++)
        {
            fixture.Policy.AuthorizePublish(device, Telemetry, Json, 0, false);
        }

        Assert.AreEqual(1, fixture.Alerts.Alerts.Count, "one alert, not one per further violation");
    }

    [TestMethod]
    public void ViolationsSpreadBeyondTheWindow_DoNotQuarantine()
    {
        using var fixture = new TrafficPolicyFixture();
        var device = fixture.Connect("pump-1");
        for (var i = 0; i < 10; i++)
        {
            fixture.Policy.AuthorizePublish(device, "iotsec/v1/d/pump-2/up/telemetry", Json, 0, false);
            fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.IsFalse(device.Quarantined, "never 3 within one minute");
        Assert.IsEmpty(fixture.Alerts.Alerts);
    }

    [TestMethod]
    public void Flood_IsCounted_ButAuditedOncePerDevicePerInterval()
    {
        var flooder = _fixture.Connect("pump-1");
        var other = _fixture.Connect("pump-2");
        var before = _fixture.Audit.List(kind: nameof(AuditEventKind.PolicyViolation)).Count;

        for (var i = 0; i < 20_000; i++)
        {
            _fixture.Policy.AuthorizePublish(flooder, "iotsec/v1/d/pump-1/down/cmd", Json, 0, false);
        }

        _fixture.Policy.AuthorizePublish(other, "iotsec/v1/d/pump-1/up/telemetry", Json, 0, false);
        Assert.AreEqual(20_001, _fixture.Auditor.TotalViolations);
        Assert.AreEqual(before, _fixture.Audit.List(kind: nameof(AuditEventKind.PolicyViolation)).Count, "nothing is written per violation");

        var summaries = _fixture.Auditor.Flush();

        var entries = _fixture.Audit.List(kind: nameof(AuditEventKind.PolicyViolation));
        Assert.AreEqual(2, entries.Count - before);
        Assert.HasCount(2, summaries);
        var flood = entries.Single(entry => entry.Subject == "pump-1");
        using var details = JsonDocument.Parse(flood.Details);
        Assert.AreEqual(20_000, details.RootElement.GetProperty("count").GetInt64());
        Assert.AreEqual(20_000, details.RootElement.GetProperty("violations").GetProperty("downlink-publish").GetInt64());
        Assert.AreEqual("iotsec/v1/d/pump-1/down/cmd", details.RootElement.GetProperty("topics")[0].GetString());
        Assert.IsEmpty(_fixture.Auditor.Flush(), "the next interval starts empty");
    }

    [TestMethod]
    public void PostureRules_ComeFromThePolicy()
    {
        var digest = Convert.FromHexString(new string('1', 64));

        Assert.IsTrue(_fixture.Policy.IsFirmwareAllowed("sensor", digest));
        Assert.IsFalse(_fixture.Policy.IsFirmwareAllowed("sensor", new byte[32]));
        Assert.IsFalse(_fixture.Policy.IsFirmwareAllowed("quarantine", digest), "an empty list allows nothing");
        Assert.IsFalse(_fixture.Policy.IsFirmwareAllowed("camera", digest), "unknown class");
        Assert.AreEqual(TimeSpan.FromSeconds(30), _fixture.Policy.HeartbeatInterval("sensor"));
        Assert.IsNull(_fixture.Policy.HeartbeatInterval("camera"));
    }
}
