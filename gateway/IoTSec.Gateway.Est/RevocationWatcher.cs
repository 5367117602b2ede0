using System;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Est;

/// <summary>
/// Acts on revocations as they are committed (<see cref="RevocationEvents"/>): every live EST
/// connection of the revoked device is aborted at once — an idle keep-alive connection as
/// much as one in the middle of an enrolment — so a revoked device keeps no session open.
/// New handshakes are refused by the inventory's revoked set.
/// </summary>
public sealed partial class RevocationWatcher : RevocationWatcherService
{
    private readonly DeviceConnections _connections;
    private readonly ILogger<RevocationWatcher> _logger;

    /// <summary>Watches <paramref name="inventory"/>'s revocations for <paramref name="connections"/>.</summary>
    public RevocationWatcher(DeviceInventory inventory, DeviceConnections connections, ILogger<RevocationWatcher> logger)
        : base(inventory)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(logger);
        _connections = connections;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override ValueTask OnRevokedAsync(DeviceRevoked revocation)
    {
        var aborted = _connections.AbortDevice(revocation.DeviceId, "device revoked");
        LogRevoked(_logger, revocation.DeviceId, revocation.Decommissioned ? "decommissioned" : "revoked", aborted);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "device {DeviceId} {What}: aborted {Count} live EST connection(s)")]
    private static partial void LogRevoked(ILogger logger, string deviceId, string what, int count);
}
