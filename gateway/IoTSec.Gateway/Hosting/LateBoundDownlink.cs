using System;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Protocol.Topics;
using Microsoft.Extensions.DependencyInjection;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// The device downlink for the posture service, looked up when a command is sent rather than
/// when the service is made: the broker (the downlink) needs the heartbeat processor, whose
/// remediation needs the downlink, so one side of that circle has to be resolved late.
/// </summary>
internal sealed class LateBoundDownlink(IServiceProvider services) : IDeviceDownlink
{
    private readonly IServiceProvider _services = services ?? throw new ArgumentNullException(nameof(services));

    /// <inheritdoc />
    public Task SendAsync(string deviceId, TopicKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var downlink = _services.GetService<IDeviceDownlink>()
            ?? throw new InvalidOperationException("no device downlink is configured: commands cannot be sent");
        return downlink.SendAsync(deviceId, kind, payload, cancellationToken);
    }
}
