using System;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Forwarder;

/// <summary>Why the spool refused a message.</summary>
public enum SpoolRefusal
{
    /// <summary>SpoolMaxBytes is reached (after merging deltas); only alerts are accepted, into the reserve.</summary>
    BudgetExhausted = 1,

    /// <summary>The file system is full (SQLITE_FULL); only alerts are accepted, into the reserve file's space.</summary>
    DiskFull = 2,

    /// <summary>Even the alert reserve is used up (AlertReserve alerts pending while full).</summary>
    AlertReserveExhausted = 3,
}

/// <summary>The spool did not accept a message: it is not persisted and will not go upstream (the audit log still has alerts and verdicts).</summary>
public sealed class UpstreamSpoolFullException : UpstreamRefusedException
{
    /// <summary>Creates it.</summary>
    public UpstreamSpoolFullException(SpoolRefusal reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    /// <summary>Creates it (serializers and analyzers want the standard constructors).</summary>
    public UpstreamSpoolFullException()
        : this(SpoolRefusal.BudgetExhausted, "the upstream spool is full")
    {
    }

    /// <summary>Creates it.</summary>
    public UpstreamSpoolFullException(string message)
        : this(SpoolRefusal.BudgetExhausted, message)
    {
    }

    /// <summary>Creates it.</summary>
    public UpstreamSpoolFullException(string message, Exception innerException)
        : this(SpoolRefusal.BudgetExhausted, message, innerException)
    {
    }

    /// <summary>Why.</summary>
    public SpoolRefusal Reason { get; }
}
