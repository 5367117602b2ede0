using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using IoTSec.Gateway.Metrics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Prometheus;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>The bridge from System.Diagnostics.Metrics instruments to Prometheus text: names, types, labels, the series cap.</summary>
[TestClass]
public sealed class GatewayMeterBridgeTests
{
    public TestContext TestContext { get; set; } = null!;

    private async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var buffer = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(buffer, TestContext.CancellationToken);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [TestMethod]
    public async Task InstrumentsKeepTheirNamesAndTypes()
    {
        using var meter = new Meter("IoTSec.Tests.Bridge." + Guid.NewGuid().ToString("N"));
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var bridge = new GatewayMeterBridge(registry, meter.Name);

        var refusals = meter.CreateCounter<long>("iotsec_test_refusals", description: "refusals");
        var sessions = meter.CreateUpDownCounter<int>("iotsec_test_sessions");
        var latency = meter.CreateHistogram<double>("iotsec_test_latency_seconds");
        var queue = 7;
        meter.CreateObservableGauge("iotsec_test_queue_depth", () => queue);
        using var otherMeter = new Meter("Not.The.Gateway");
        otherMeter.CreateCounter<long>("iotsec_foreign").Add(1);

        refusals.Add(2, new KeyValuePair<string, object?>("reason", "expired"));
        refusals.Add(1, new KeyValuePair<string, object?>("reason", "expired"));
        refusals.Add(1, new KeyValuePair<string, object?>("reason", "unknown-ca"));
        sessions.Add(3);
        sessions.Add(-1);
        latency.Record(0.003);

        var text = await ScrapeAsync(registry);
        StringAssert.Contains(text, "# TYPE iotsec_test_refusals_total counter");
        StringAssert.Contains(text, "iotsec_test_refusals_total{reason=\"expired\"} 3");
        StringAssert.Contains(text, "iotsec_test_refusals_total{reason=\"unknown-ca\"} 1");
        StringAssert.Contains(text, "# TYPE iotsec_test_sessions gauge");
        StringAssert.Contains(text, "iotsec_test_sessions 2");
        StringAssert.Contains(text, "# TYPE iotsec_test_latency_seconds histogram");
        StringAssert.Contains(text, "iotsec_test_latency_seconds_count 1");
        StringAssert.Contains(text, "iotsec_test_queue_depth 7");
        Assert.DoesNotContain("iotsec_foreign", text, "only the gateway's meter");

        queue = 9;
        StringAssert.Contains(await ScrapeAsync(registry), "iotsec_test_queue_depth 9", "observable instruments are read at each scrape");
    }

    [TestMethod]
    public async Task SeriesPerInstrumentAreBounded()
    {
        using var meter = new Meter("IoTSec.Tests.Bridge." + Guid.NewGuid().ToString("N"));
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var bridge = new GatewayMeterBridge(registry, meter.Name);
        var perSource = meter.CreateCounter<long>("iotsec_test_per_source");

        // A flood of distinct sources (labels a remote peer chooses) must not grow memory without end.
        for (var i = 0; i < GatewayMeterBridge.MaxSeriesPerInstrument + 500; i++)
        {
            perSource.Add(1, new KeyValuePair<string, object?>("source", "198.51.100." + i));
        }

        var text = await ScrapeAsync(registry);
        var series = text.Split('\n').Length;
        Assert.IsLessThan(GatewayMeterBridge.MaxSeriesPerInstrument + 10, series);
        StringAssert.Contains(text, $"iotsec_test_per_source_total{{source=\"{GatewayMeterBridge.OverflowLabel}\"}} 500");
    }

    [TestMethod]
    public void AKnownSeriesIsRecordedWithoutAllocating()
    {
        // Components count on their hot paths (the broker, per message): a measurement of a
        // series that exists must not cost garbage.
        using var meter = new Meter("IoTSec.Tests.Bridge." + Guid.NewGuid().ToString("N"));
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var bridge = new GatewayMeterBridge(registry, meter.Name);
        var messages = meter.CreateCounter<long>("iotsec_test_messages");
        var plain = meter.CreateCounter<long>("iotsec_test_plain");
        var tag = new KeyValuePair<string, object?>("class", "sensor");
        messages.Add(1, tag);
        plain.Add(1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            messages.Add(1, tag);
            plain.Add(1);
        }

        var perMeasurement = (GC.GetAllocatedBytesForCurrentThread() - before) / 20_000.0;
        Assert.IsLessThan(1.0, perMeasurement, $"{perMeasurement:F1} bytes allocated per measurement");
    }

    [TestMethod]
    public void NamesAreSanitised()
    {
        using var meter = new Meter("IoTSec.Tests.Names");
        Assert.AreEqual("iotsec_a_b_total", GatewayMeterBridge.PrometheusName(meter.CreateCounter<long>("iotsec.a-b")));
        Assert.AreEqual("iotsec_x_total", GatewayMeterBridge.PrometheusName(meter.CreateCounter<long>("iotsec_x_total")));
        Assert.AreEqual("iotsec_g", GatewayMeterBridge.PrometheusName(meter.CreateUpDownCounter<long>("iotsec_g")));
    }
}
