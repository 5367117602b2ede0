using System;
using System.Globalization;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Tamper;

namespace IoTSec.Gateway.Hardware;

/// <summary>
/// An operator's re-arm after inspecting the enclosure: refused while the lid is open; else
/// audited (Rearm), the latch reset (TPM: PCR 23; software: the latch file) and the persisted
/// flag cleared — in that order, so the running daemon, which watches the flag, finds the
/// latch already reset when it resumes issuance and unseals the heartbeat secret.
/// </summary>
public static class TamperRearm
{
    /// <summary>Re-arms; returns the flag that was cleared (null when none was set).</summary>
    /// <exception cref="TamperRearmRefusedException">The enclosure is open now.</exception>
    public static TamperFlag? Run(bool lidClosed, ISecretSealer sealer, TamperFlagFile flag, AuditLog audit, string actor, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(sealer);
        ArgumentNullException.ThrowIfNull(flag);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (!lidClosed)
        {
            throw new TamperRearmRefusedException("the enclosure is open now: close it (the tamper switch must read closed) before re-arming");
        }

        var cleared = flag.ReadFailClosed((time ?? TimeProvider.System).GetUtcNow());
        var details = new JsonObject { ["lidClosed"] = true };
        if (cleared is not null)
        {
            details["tamperedSince"] = cleared.Since.ToString("O", CultureInfo.InvariantCulture);
            details["tamperReason"] = cleared.Reason;
        }

        audit.Append(AuditEventKind.Rearm, actor, TamperResponse.Subject, details);
        sealer.Rearm();
        flag.Clear();
        return cleared;
    }
}

/// <summary>A re-arm the gateway refuses (the enclosure is open).</summary>
public sealed class TamperRearmRefusedException : Exception
{
    public TamperRearmRefusedException(string message)
        : base(message)
    {
    }

    public TamperRearmRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
