using System;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// Acts on revocations as they are committed (<see cref="RevocationEvents"/>): the revoked
/// device's live MQTT session is dropped at once (a channel read, then a disconnect: well
/// within a second). Its reconnect is refused at the handshake by the inventory's revoked set.
/// </summary>
public sealed partial class BrokerRevocationWatcher : RevocationWatcherService
{
    private readonly DeviceBroker _broker;
    private readonly ILogger<BrokerRevocationWatcher> _logger;

    /// <summary>Watches <paramref name="inventory"/>'s revocations for <paramref name="broker"/>.</summary>
    public BrokerRevocationWatcher(DeviceInventory inventory, DeviceBroker broker, ILogger<BrokerRevocationWatcher> logger)
        : base(inventory)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(logger);
        _broker = broker;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async ValueTask OnRevokedAsync(DeviceRevoked revocation)
    {
        var what = revocation.Decommissioned ? "decommissioned" : "revoked";
        var dropped = await _broker.DisconnectDeviceAsync(revocation.DeviceId, "device " + what).ConfigureAwait(false);
        if (dropped)
        {
            BrokerMetrics.RevokedSessionsDropped.Add(1);
        }

        LogRevoked(_logger, revocation.DeviceId, what, dropped);
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "device {DeviceId} {What}: live broker session dropped: {Dropped}")]
    private static partial void LogRevoked(ILogger logger, string deviceId, string what, bool dropped);
}
