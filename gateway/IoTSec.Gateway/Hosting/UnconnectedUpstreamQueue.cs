using System;
using System.Diagnostics.Metrics;
using System.Threading;
using IoTSec.Gateway.Core.Edge;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// The upstream queue while the gateway has no upstream link (the forwarder issue adds the
/// durable spool and the MQTT client): messages are counted per kind on
/// <c>iotsec_upstream_unforwarded_total</c> and alerts are logged, so nothing is dropped
/// silently; the audit log already holds every alert and verdict.
/// </summary>
internal sealed partial class UnconnectedUpstreamQueue : IUpstreamQueue
{
    private static readonly Counter<long> Unforwarded = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_upstream_unforwarded", description: "Messages for upstream with no upstream link configured");

    private readonly ILogger<UnconnectedUpstreamQueue> _logger;
    private int _announced;

    public UnconnectedUpstreamQueue(ILogger<UnconnectedUpstreamQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc />
    public void Enqueue(UpstreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Unforwarded.Add(1, new System.Collections.Generic.KeyValuePair<string, object?>("kind", message.Kind.ToString()));
        if (Interlocked.Exchange(ref _announced, 1) == 0)
        {
            LogNoUpstream(_logger);
        }
    }

    [LoggerMessage(EventId = 1420, Level = LogLevel.Warning, Message = "no upstream link: telemetry, verdicts and alerts are kept in the audit log and counted (iotsec_upstream_unforwarded_total), not forwarded")]
    private static partial void LogNoUpstream(ILogger logger);
}
