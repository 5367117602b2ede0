using System.Text.Json.Nodes;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>One entry to append, for <see cref="AuditLog.AppendBatch"/>: the arguments of <see cref="AuditLog.Append(AuditEventKind, string, string, JsonObject?)"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Subject">What it was done to.</param>
/// <param name="Details">Particulars; never secrets.</param>
public sealed record AuditAppend(AuditEventKind Kind, string Actor, string Subject, JsonObject? Details = null);
