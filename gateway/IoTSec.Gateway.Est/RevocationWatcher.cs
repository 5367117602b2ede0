using System;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Est;

/// <summary>
/// Acts on revocations as they are committed (<see cref="RevocationEvents"/>): every live EST
/// connection of the revoked device is aborted at once — an idle keep-alive connection as
/// much as one in the middle of an enrolment — so a revoked device keeps no session open.
/// New handshakes are refused by the inventory's revoked set.
/// </summary>
public sealed partial class RevocationWatcher : BackgroundService
{
    private readonly DeviceInventory _inventory;
    private readonly DeviceConnections _connections;
    private readonly ILogger<RevocationWatcher> _logger;
    private RevocationSubscription? _subscription;

    /// <summary>Watches <paramref name="inventory"/>'s revocations for <paramref name="connections"/>.</summary>
    public RevocationWatcher(DeviceInventory inventory, DeviceConnections connections, ILogger<RevocationWatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(logger);
        _inventory = inventory;
        _connections = connections;
        _logger = logger;
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribed before the listener accepts anything: no revocation falls in a gap.
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
                var aborted = _connections.AbortDevice(revocation.DeviceId, "device revoked");
                LogRevoked(_logger, revocation.DeviceId, revocation.Decommissioned ? "decommissioned" : "revoked", aborted);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "device {DeviceId} {What}: aborted {Count} live EST connection(s)")]
    private static partial void LogRevoked(ILogger logger, string deviceId, string what, int count);
}
