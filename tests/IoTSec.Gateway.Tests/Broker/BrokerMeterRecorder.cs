using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>Records the broker's counters on the gateway meter, by the value of one label.</summary>
internal sealed class BrokerMeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);

    public BrokerMeterRecorder(string instrument, string label)
    {
        _listener.InstrumentPublished = (candidate, listener) =>
        {
            if (candidate.Meter.Name == GatewayMeter.Name && candidate.Name == instrument)
            {
                listener.EnableMeasurementEvents(candidate);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var key = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == label)
                {
                    key = tag.Value?.ToString() ?? string.Empty;
                }
            }

            lock (_totals)
            {
                _totals[key] = _totals.GetValueOrDefault(key) + value;
            }
        });
        _listener.Start();
    }

    public long Count(string labelValue)
    {
        lock (_totals)
        {
            return _totals.GetValueOrDefault(labelValue);
        }
    }

    public void Dispose() => _listener.Dispose();
}
