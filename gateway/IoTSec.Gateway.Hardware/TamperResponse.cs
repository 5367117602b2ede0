using System;
using System.Globalization;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Tamper;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Hardware;

/// <summary>
/// What the gateway does when its enclosure opens, in this order: the persisted flag first
/// (durable before anything else, so a power cut cannot lose the event), then issuance stops
/// (<see cref="TamperState"/>), the latch is set (TPM: PCR 23 extended; software: the latch
/// file), the heartbeat secret is wiped from memory, the "gateway.tamper" alert is raised and
/// a Tamper entry is audited. A step that fails is logged and the others still run: the
/// response fails closed. One response per episode; an operator's re-arm ends the episode.
/// </summary>
public sealed partial class TamperResponse
{
    /// <summary>The alert code.</summary>
    public const string AlertCode = "gateway.tamper";

    /// <summary>The subject of the alert and of the audit entries.</summary>
    public const string Subject = "gateway";

    /// <summary>The actor recorded in the audit log.</summary>
    public const string Actor = "tamper-switch";

    private readonly TamperState _state;
    private readonly TamperFlagFile _flag;
    private readonly ISecretSealer _sealer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IAlertSink? _alerts;
    private readonly AuditLog? _audit;
    private readonly Func<HeartbeatSecret?> _secret;
    private readonly Lock _gate = new();
    private bool _restored;

    /// <summary>
    /// Creates the response; the alert sink, audit log and heartbeat secret are optional (a host
    /// may lack them). The secret is asked for only when needed, so that building the response
    /// does not unseal it before <see cref="RestoreAtStart"/> has set the latch.
    /// </summary>
    public TamperResponse(
        TamperState state,
        TamperFlagFile flag,
        ISecretSealer sealer,
        ILogger<TamperResponse> logger,
        TimeProvider? time = null,
        IAlertSink? alerts = null,
        AuditLog? audit = null,
        Func<HeartbeatSecret?>? secret = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(flag);
        ArgumentNullException.ThrowIfNull(sealer);
        ArgumentNullException.ThrowIfNull(logger);
        _state = state;
        _flag = flag;
        _sealer = sealer;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _alerts = alerts;
        _audit = audit;
        _secret = secret ?? (() => null);
    }

    /// <summary>The state this response drives.</summary>
    public TamperState State => _state;

    /// <summary>
    /// At start, before anything unseals: while the persisted flag is set (or damaged), set the
    /// latch again — a reboot reset PCR 23 — and keep issuance stopped. Idempotent.
    /// </summary>
    /// <returns>True when the gateway starts tampered.</returns>
    public bool RestoreAtStart()
    {
        lock (_gate)
        {
            if (_restored)
            {
                return _state.Phase == TamperPhase.Tampered;
            }

            _restored = true;
            var flag = _flag.ReadFailClosed(_time.GetUtcNow());
            if (flag is null)
            {
                return false;
            }

            SetLatch();
            _state.MarkTampered(flag.Since, flag.Reason);
            _secret()?.Forget(SecretReason(flag));
            LogStillTampered(_logger, flag.Since, flag.Reason);
            return true;
        }
    }

    /// <summary>Responds to an opened enclosure; false when this episode was already responded to.</summary>
    public bool Trip(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
        {
            if (_state.Phase == TamperPhase.Tampered)
            {
                return false;
            }

            var flag = new TamperFlag(_time.GetUtcNow(), reason);
            try
            {
                _flag.Write(flag);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still tampered in memory and in the TPM; only a reboot would forget it.
                LogFlagNotWritten(_logger, _flag.Path, e.Message);
            }

            _state.MarkTampered(flag.Since, reason);
            SetLatch();
            _secret()?.Forget(SecretReason(flag));
            var detail = $"{reason}: certificate issuance stopped, sealed secrets latched; an operator must inspect the enclosure and re-arm the gateway";
            _alerts?.Raise(new SecurityAlert(AlertCode, Subject, AlertSeverity.Critical, detail, flag.Since));
            LogTampered(_logger, reason);
            Audit(AuditEventKind.Tamper, Actor, new JsonObject
            {
                ["reason"] = reason,
                ["since"] = flag.Since.ToString("O", CultureInfo.InvariantCulture),
            });
            return true;
        }
    }

    /// <summary>
    /// The running daemon's side of a re-arm made by <c>iotsec-gateway tamper rearm</c> (the
    /// latch is reset and the flag cleared already): issuance resumes and the heartbeat secret
    /// is unsealed again at its next use, without a restart.
    /// </summary>
    public void AcceptRearm()
    {
        lock (_gate)
        {
            _state.MarkArmed();
            _secret()?.RetryNow();
            LogRearmed(_logger);
        }
    }

    private void SetLatch()
    {
        try
        {
            _sealer.MarkTampered();
        }
        catch (Exception e) when (e is SecretSealedException or GatewayKeyStoreException or IOException or UnauthorizedAccessException)
        {
            LogLatchNotSet(_logger, e.Message);
        }
    }

    private void Audit(AuditEventKind kind, string actor, JsonObject details)
    {
        if (_audit is null)
        {
            return;
        }

        try
        {
            _audit.Append(kind, actor, Subject, details);
        }
        catch (AuditLogException e)
        {
            LogAuditFailed(_logger, kind.ToString(), e.Message);
        }
    }

    private static string SecretReason(TamperFlag flag) =>
        string.Create(CultureInfo.InvariantCulture, $"the gateway is marked tampered since {flag.Since:u} ({flag.Reason}); re-arm it to unseal the heartbeat secret");

    [LoggerMessage(EventId = 4001, Level = LogLevel.Critical, Message = "TAMPER: {Reason}; certificate issuance stopped and the sealed secrets latched until an operator re-arms the gateway")]
    private static partial void LogTampered(ILogger logger, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Critical, Message = "the gateway is still marked tampered (since {Since:u}: {Reason}); latch set again, issuance stays stopped until `iotsec-gateway tamper rearm`")]
    private static partial void LogStillTampered(ILogger logger, DateTimeOffset since, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Critical, Message = "could not write the tamper flag {Path} ({Error}): a reboot would forget this tamper event")]
    private static partial void LogFlagNotWritten(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Critical, Message = "could not set the tamper latch ({Error}): sealed secrets may still unseal")]
    private static partial void LogLatchNotSet(ILogger logger, string error);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "could not audit the {Kind} event: {Error}")]
    private static partial void LogAuditFailed(ILogger logger, string kind, string error);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "the gateway was re-armed: certificate issuance resumes and the heartbeat secret unseals again")]
    private static partial void LogRearmed(ILogger logger);
}
