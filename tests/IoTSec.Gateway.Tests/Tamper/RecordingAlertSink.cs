using System.Collections.Generic;
using System.Linq;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>
/// Stands in for the alert sink of the posture helper's work (not in this worktree yet): keeps
/// what was raised.
/// </summary>
internal sealed class RecordingAlertSink : IAlertSink
{
    private readonly List<SecurityAlert> _alerts = [];

    public IReadOnlyList<SecurityAlert> Alerts
    {
        get
        {
            lock (_alerts)
            {
                return _alerts.ToList();
            }
        }
    }

    public void Raise(SecurityAlert alert)
    {
        lock (_alerts)
        {
            _alerts.Add(alert);
        }
    }
}
