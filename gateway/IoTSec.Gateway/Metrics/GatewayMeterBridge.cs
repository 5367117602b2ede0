using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Prometheus;

namespace IoTSec.Gateway.Metrics;

/// <summary>
/// Publishes the instruments of one <see cref="Meter"/> (<see cref="IoTSec.Gateway.Core.Edge.GatewayMeter"/>)
/// as Prometheus metrics in a prometheus-net registry, under the instruments' own names:
/// <c>Counter&lt;T&gt;("iotsec_est_refusals")</c> becomes the counter <c>iotsec_est_refusals_total</c>,
/// tags become labels.
/// </summary>
/// <remarks>
/// Why not prometheus-net's own MeterAdapter (measured with 8.2.1): it prefixes every name with
/// the meter's (<c>iotsec_gateway_iotsec_est_refusals</c>), exports counters as gauges, and
/// unpublishes a series that has not changed for a while — a refusal counter that stays at 3
/// would vanish from dashboards and alerts. This bridge keeps names, types and series.
/// Bounded memory: tag values can come from the network (a device id, a source address), so
/// an instrument keeps at most <see cref="MaxSeriesPerInstrument"/> label sets; further ones
/// are added to one series whose labels are all <see cref="OverflowLabel"/>.
/// </remarks>
internal sealed partial class GatewayMeterBridge : IDisposable
{
    /// <summary>Most label sets one instrument exports.</summary>
    public const int MaxSeriesPerInstrument = 1000;

    /// <summary>The label value of the series that collects measurements beyond <see cref="MaxSeriesPerInstrument"/>.</summary>
    public const string OverflowLabel = "_other";

    private readonly MeterListener _listener;
    private readonly IMetricFactory _factory;

    public GatewayMeterBridge(CollectorRegistry registry, string meterName)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(meterName);
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meterName)
                {
                    listener.EnableMeasurementEvents(instrument, new Exported(instrument, _factory));
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Exported)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Exported)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Exported)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((Exported)state!).Record(value, tags));
        _listener.Start();
        // Observable instruments are read when Prometheus scrapes.
        registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The Prometheus name of an instrument: invalid characters become '_', counters end in _total.</summary>
    public static string PrometheusName(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var name = InvalidNameCharacters().Replace(instrument.Name, "_");
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name = "_" + name;
        }

        return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    private static bool IsCounter(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        return definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>);
    }

    [GeneratedRegex("[^a-zA-Z0-9_:]")]
    private static partial Regex InvalidNameCharacters();

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex InvalidLabelCharacters();

    /// <summary>
    /// One instrument's metric, made at its first measurement (when its tag names are known).
    /// Measurements come on the measuring thread (the broker's publish path among others): a
    /// known series is found without a lock, and with one tag without allocating.
    /// </summary>
    private sealed class Exported(Instrument instrument, IMetricFactory factory)
    {
        private readonly Lock _gate = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Action<double>> _children = new(StringComparer.Ordinal);
        private volatile Created? _created;

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var created = _created ?? Create(tags);
            var names = created.TagNames;
            if (names.Length == 0)
            {
                (_children.TryGetValue(string.Empty, out var unlabelled) ? unlabelled : Child(created, string.Empty, [])).Invoke(value);
                return;
            }

            if (names.Length == 1)
            {
                var only = ValueOf(tags, names[0]);
                (_children.TryGetValue(only, out var child) ? child : Child(created, only, [only])).Invoke(value);
                return;
            }

            var values = new string[names.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ValueOf(tags, names[i]);
            }

            var key = string.Join('\u0001', values);
            (_children.TryGetValue(key, out var found) ? found : Child(created, key, values)).Invoke(value);
        }

        private static string ValueOf(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
        {
            foreach (var tag in tags)
            {
                if (string.Equals(tag.Key, name, StringComparison.Ordinal))
                {
                    return tag.Value as string ?? Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                }
            }

            return string.Empty;
        }

        private Created Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                names.Add(tag.Key);
            }

            lock (_gate)
            {
                if (_created is null)
                {
                    string[] tagNames = [.. names];
                    _created = new Created(tagNames, Create(tagNames));
                }

                return _created;
            }
        }

        private Action<double> Child(Created created, string key, string[] values)
        {
            lock (_gate)
            {
                if (_children.TryGetValue(key, out var existing))
                {
                    return existing;
                }

                if (_children.Count >= MaxSeriesPerInstrument)
                {
                    var overflow = new string[values.Length];
                    Array.Fill(overflow, OverflowLabel);
                    var overflowKey = string.Join('\u0001', overflow);
                    if (!_children.TryGetValue(overflowKey, out var other))
                    {
                        // The overflow series is one beyond the cap.
                        other = created.Series(overflow);
                        _children[overflowKey] = other;
                    }

                    return other;
                }

                var child = created.Series(values);
                _children[key] = child;
                return child;
            }
        }

        private sealed record Created(string[] TagNames, Func<string[], Action<double>> Series);

        private Func<string[], Action<double>> Create(string[] tagNames)
        {
            var name = PrometheusName(instrument);
            var help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
            var labelNames = tagNames.Select(tag => InvalidLabelCharacters().Replace(tag, "_")).ToArray();
            var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
            if (definition == typeof(Counter<>))
            {
                var counter = factory.CreateCounter(name, help, labelNames);
                return labels => Bind(counter, labels, (child, value) => child.Inc(Math.Max(0, value)));
            }

            if (definition == typeof(ObservableCounter<>))
            {
                // An observable counter reports its running total.
                var counter = factory.CreateCounter(name, help, labelNames);
                return labels => Bind(counter, labels, (child, value) => child.IncTo(value));
            }

            if (definition == typeof(UpDownCounter<>))
            {
                var gauge = factory.CreateGauge(name, help, labelNames);
                return labels => Bind(gauge, labels, (child, value) => child.Inc(value));
            }

            if (definition == typeof(Histogram<>))
            {
                var histogram = factory.CreateHistogram(name, help, new HistogramConfiguration
                {
                    LabelNames = labelNames,
                    Buckets = Histogram.ExponentialBuckets(0.001, 2, 20),
                });
                return labels => Bind(histogram, labels, (child, value) => child.Observe(value));
            }

            // ObservableGauge, ObservableUpDownCounter, Gauge: the current value.
            var current = factory.CreateGauge(name, help, labelNames);
            return labels => Bind(current, labels, (child, value) => child.Set(value));
        }

        // The child is looked up once per series, not per measurement.
        private static Action<double> Bind<TChild>(Collector<TChild> metric, string[] labels, Action<TChild, double> record)
            where TChild : ChildBase
        {
            var child = metric.WithLabels(labels);
            return value => record(child, value);
        }
    }
}
