using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Posture;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Posture;

[TestClass]
public sealed class AlertPublisherTests
{
    [TestMethod]
    public void An_alert_reaches_the_audit_log_upstream_and_the_metrics()
    {
        using var bed = new PostureTestBed();
        using var counted = new CounterRecorder("iotsec_alerts");
        var publisher = new AlertPublisher(NullLogger<AlertPublisher>.Instance, bed.Audit, bed.Upstream);

        publisher.Raise(new SecurityAlert("gateway.tamper", "gateway", AlertSeverity.Critical, "enclosure opened", bed.Clock.Now));

        var entry = bed.Alerts("gateway.tamper").Single();
        Assert.AreEqual("gateway", entry.Entry.Subject);
        Assert.AreEqual("critical", (string?)entry.Details["severity"]);
        Assert.AreEqual("2026-11-25T06:00:00.000Z", (string?)entry.Details["raisedAt"]);
        var upstream = bed.Upstream.Bodies(UpstreamKind.Alert).Single();
        Assert.AreEqual("enclosure opened", (string?)upstream["detail"]);
        Assert.AreEqual(1, counted.Total("code", "gateway.tamper"));
    }

    [TestMethod]
    public void A_failing_sink_does_not_stop_the_others_nor_throw()
    {
        using var bed = new PostureTestBed();
        bed.Upstream.Fail = true;
        var publisher = new AlertPublisher(NullLogger<AlertPublisher>.Instance, bed.Audit, bed.Upstream);

        publisher.Raise(new SecurityAlert("device.silent", "sensor-9", AlertSeverity.Warning, "no heartbeat", bed.Clock.Now));

        Assert.AreEqual(1, bed.Alerts("device.silent").Count, "audited although upstream failed");

        bed.Audit.Dispose();
        bed.Upstream.Fail = false;
        publisher.Raise(new SecurityAlert("device.silent", "sensor-9", AlertSeverity.Warning, "no heartbeat", bed.Clock.Now));
        Assert.AreEqual(1, bed.Upstream.Bodies(UpstreamKind.Alert).Count, "queued upstream although the audit log failed");
    }
}

/// <summary>Sums one counter of the gateway meter per tag value while alive.</summary>
internal sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(long Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];
    private readonly System.Threading.Lock _gate = new();

    public CounterRecorder(string instrument)
    {
        _listener.InstrumentPublished = (i, listener) =>
        {
            if (i.Meter.Name == GatewayMeter.Name && i.Name == instrument)
            {
                listener.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (_gate)
            {
                _measurements.Add((value, tags.ToArray()));
            }
        });
        _listener.Start();
    }

    public long Total(string tag, string value)
    {
        lock (_gate)
        {
            return _measurements.Where(m => m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))).Sum(m => m.Value);
        }
    }

    public void Dispose() => _listener.Dispose();
}
