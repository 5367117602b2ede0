using System;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Protocol.Topics;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// What the gateway does about a device: the configured action when its verdict becomes
/// compromised (quarantine, revoke or alert only), and commands an operator or a rule sends it
/// (report posture, reboot, re-enrol) as MAC'd <see cref="DeviceCommand"/>s on its down/cmd topic.
/// </summary>
public sealed partial class PostureRemediation
{
    /// <summary>The actor named in the audit log for remediation.</summary>
    public const string Actor = "posture";

    private readonly IQuarantine _quarantine;
    private readonly DeviceInventory _inventory;
    private readonly PostureStore _store;
    private readonly HeartbeatSecret _secret;
    private readonly IDeviceDownlink? _downlink;
    private readonly PostureSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the remediation over its actions; <paramref name="downlink"/> may be null where commands are not sent (tests of the verdict alone).</summary>
    public PostureRemediation(IQuarantine quarantine, DeviceInventory inventory, PostureStore store, HeartbeatSecret secret, IDeviceDownlink? downlink, PostureSettings settings, TimeProvider time, ILogger<PostureRemediation> logger)
    {
        _quarantine = quarantine ?? throw new ArgumentNullException(nameof(quarantine));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _secret = secret ?? throw new ArgumentNullException(nameof(secret));
        _downlink = downlink;
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Applies the configured action to a device found compromised for <paramref name="reason"/>;
    /// returns what was done ("quarantined", "revoked", "alert-only", or "none: …" when the
    /// device already was, or cannot be).
    /// </summary>
    public string ApplyCompromised(string deviceId, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        switch (_settings.Remediation)
        {
            case RemediationAction.AlertOnly:
                return "alert-only";
            case RemediationAction.Revoke:
                try
                {
                    _inventory.Revoke(deviceId, reason, Actor);
                    LogRemediated(_logger, deviceId, "revoked", reason);
                    return "revoked";
                }
                catch (InventoryException e)
                {
                    // Already revoked, or not in this gateway's inventory: nothing left to revoke.
                    LogRemediationSkipped(_logger, deviceId, "revoke", e.Message);
                    return "none: " + e.Reason.ToString();
                }

            default:
                try
                {
                    if (_quarantine.Quarantine(deviceId, reason, Actor))
                    {
                        LogRemediated(_logger, deviceId, "quarantined", reason);
                        return "quarantined";
                    }

                    return "none: already quarantined";
                }
                catch (InventoryException e)
                {
                    LogRemediationSkipped(_logger, deviceId, "quarantine", e.Message);
                    return "none: " + e.Reason.ToString();
                }
        }
    }

    /// <summary>Asks the device to publish a full posture report on up/posture.</summary>
    public Task<ulong> RequestPostureReportAsync(string deviceId, CancellationToken cancellationToken = default) =>
        SendCommandAsync(deviceId, CommandCode.ReportPosture, cancellationToken);

    /// <summary>Asks the device to reboot.</summary>
    public Task<ulong> RebootAsync(string deviceId, CancellationToken cancellationToken = default) =>
        SendCommandAsync(deviceId, CommandCode.Reboot, cancellationToken);

    /// <summary>Asks the device to re-enrol (new certificate, new heartbeat key, new chain).</summary>
    public Task<ulong> ReEnrolAsync(string deviceId, CancellationToken cancellationToken = default) =>
        SendCommandAsync(deviceId, CommandCode.ReEnrol, cancellationToken);

    /// <summary>
    /// Sends an argument-less command, MAC'd under the device's current heartbeat key, with the
    /// next command id (persisted before sending, so an id is never reused); returns the id.
    /// </summary>
    /// <exception cref="InvalidOperationException">No downlink is configured, or the device has no key epoch here yet.</exception>
    /// <exception cref="SecretSealedException">The heartbeat secret is sealed (tamper latch).</exception>
    public async Task<ulong> SendCommandAsync(string deviceId, CommandCode code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var downlink = _downlink ?? throw new InvalidOperationException("no device downlink is configured: commands cannot be sent");
        var posture = _store.Find(deviceId) ?? throw new InvalidOperationException($"device '{deviceId}' has no key epoch at this gateway yet: no command can be sent");
        var id = _store.ReserveCommandId(deviceId);
        var key = _secret.DeriveKey(deviceId, posture.CertificateSerial);
        byte[] encoded;
        try
        {
            encoded = new DeviceCommand(id, code, (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds(), []).Encode(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        await downlink.SendAsync(deviceId, TopicKind.Command, encoded, cancellationToken).ConfigureAwait(false);
        LogCommandSent(_logger, deviceId, code.ToString(), id);
        return id;
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "device {DeviceId} {Action} ({Reason})")]
    private static partial void LogRemediated(ILogger logger, string deviceId, string action, string reason);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "device {DeviceId}: {Action} not applied: {Why}")]
    private static partial void LogRemediationSkipped(ILogger logger, string deviceId, string action, string why);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "sent command {Code} (id {CommandId}) to device {DeviceId}")]
    private static partial void LogCommandSent(ILogger logger, string deviceId, string code, ulong commandId);
}
