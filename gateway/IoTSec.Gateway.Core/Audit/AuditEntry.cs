using System;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>One entry of the audit log.</summary>
/// <param name="Sequence">1, 2, 3, … without gaps.</param>
/// <param name="Time">When it was appended (UTC, microsecond precision).</param>
/// <param name="Kind">The <see cref="AuditEventKind"/> name (text, so kinds from newer versions survive).</param>
/// <param name="Actor">Who did it: "cli:USER", "est", "broker", "system", …</param>
/// <param name="Subject">What it was done to: a device id, a policy name, a key role.</param>
/// <param name="Details">Compact JSON object with the particulars; never secrets.</param>
/// <param name="PreviousDigest">The digest of entry <c>Sequence - 1</c> (32 zero bytes for the first).</param>
/// <param name="Digest">SHA-256 over the canonical encoding of all the fields above (<see cref="AuditDigest"/>).</param>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset Time,
    string Kind,
    string Actor,
    string Subject,
    string Details,
    ReadOnlyMemory<byte> PreviousDigest,
    ReadOnlyMemory<byte> Digest)
{
    /// <summary>The digest as lowercase hex.</summary>
    public string DigestHex => Convert.ToHexStringLower(Digest.Span);
}
