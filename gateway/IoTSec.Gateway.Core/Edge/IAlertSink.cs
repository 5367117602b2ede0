namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// Where alerts go: the log, the metrics, the audit log and the upstream queue (the forwarder
/// issue). Never throws for a sink that fails: an alert that cannot be forwarded is still logged.
/// </summary>
public interface IAlertSink
{
    /// <summary>Raises <paramref name="alert"/>.</summary>
    void Raise(SecurityAlert alert);
}
