using System;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// Acts on revocations as they are committed (<see cref="RevocationEvents"/>): the revoked
/// device's live MQTT session is dropped at once (a channel read, then a disconnect: well
/// within a second). Its reconnect is refused at the handshake by the inventory's revoked set.
/// </summary>
public sealed partial class BrokerRevocationWatcher : BackgroundService
{
    private readonly DeviceInventory _inventory;
    private readonly DeviceBroker _broker;
    private readonly ILogger<BrokerRevocationWatcher> _logger;
    private RevocationSubscription? _subscription;

    /// <summary>Watches <paramref name="inventory"/>'s revocations for <paramref name="broker"/>.</summary>
    public BrokerRevocationWatcher(DeviceInventory inventory, DeviceBroker broker, ILogger<BrokerRevocationWatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(logger);
        _inventory = inventory;
        _broker = broker;
        _logger = logger;
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribed before the broker accepts anything: no revocation falls in a gap.
        _subscription = _inventory.Revocations.Subscribe();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _subscription?.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscription = _subscription ?? throw new InvalidOperationException("not started");
        try
        {
            await foreach (var revocation in subscription.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var what = revocation.Decommissioned ? "decommissioned" : "revoked";
                var dropped = await _broker.DisconnectDeviceAsync(revocation.DeviceId, "device " + what).ConfigureAwait(false);
                if (dropped)
                {
                    BrokerMetrics.RevokedSessionsDropped.Add(1);
                }

                LogRevoked(_logger, revocation.DeviceId, what, dropped);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "device {DeviceId} {What}: live broker session dropped: {Dropped}")]
    private static partial void LogRevoked(ILogger logger, string deviceId, string what, bool dropped);
}
