using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Extensions.Hosting;

namespace IoTSec.Gateway.Metrics;

/// <summary>
/// Counts device revocations and decommissions as the inventory publishes them — those made
/// in this process and, through the revocation poller, by <c>iotsec-gateway devices revoke</c>.
/// </summary>
internal sealed class RevocationMetrics(DeviceInventory inventory) : BackgroundService
{
    private static readonly Counter<long> Revocations = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_device_revocations", unit: null, description: "Devices revoked or decommissioned, by kind");

    private RevocationSubscription? _subscription;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = inventory.Revocations.Subscribe();
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _subscription?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscription = _subscription ?? throw new InvalidOperationException("not started");
        try
        {
            await foreach (var revocation in subscription.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Revocations.Add(1, new KeyValuePair<string, object?>("kind", revocation.Decommissioned ? "decommissioned" : "revoked"));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
