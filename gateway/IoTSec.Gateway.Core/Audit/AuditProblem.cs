namespace IoTSec.Gateway.Core.Audit;

/// <summary>The first thing wrong with the audit log.</summary>
/// <param name="Sequence">The entry at fault (for a cut tail, the first missing entry).</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Detail">A sentence for the operator.</param>
public sealed record AuditProblem(long Sequence, AuditProblemKind Kind, string Detail);
