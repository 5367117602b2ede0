using System;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>The result of <see cref="AuditLog.Verify"/>.</summary>
/// <param name="EntryCount">How many entries the log holds.</param>
/// <param name="Head">The digest of the last entry (the genesis value for an empty log).</param>
/// <param name="FirstProblem">The first problem in sequence order, or null when the chain is intact.</param>
public sealed record AuditVerification(long EntryCount, ReadOnlyMemory<byte> Head, AuditProblem? FirstProblem)
{
    /// <summary>True when every entry, every link and the anchor check out.</summary>
    public bool IsIntact => FirstProblem is null;

    /// <summary>The head digest as lowercase hex.</summary>
    public string HeadHex => Convert.ToHexStringLower(Head.Span);
}
