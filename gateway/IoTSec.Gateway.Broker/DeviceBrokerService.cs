using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace IoTSec.Gateway.Broker;

/// <summary>Starts the <see cref="DeviceBroker"/> with the host and stops it (closing every session) when the host stops.</summary>
public sealed class DeviceBrokerService(DeviceBroker broker) : IHostedService
{
    private readonly DeviceBroker _broker = broker ?? throw new ArgumentNullException(nameof(broker));

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => _broker.StartAsync();

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _broker.StopAsync();
}
