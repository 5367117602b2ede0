namespace IoTSec.Gateway.Core.Audit;

/// <summary>What <see cref="AuditLog.Verify"/> found wrong at an entry.</summary>
public enum AuditProblemKind
{
    /// <summary>The stored digest is not the digest of the entry's fields: a field or the digest was edited.</summary>
    DigestMismatch = 1,

    /// <summary>The entry's previous digest is not the digest of the entry before it.</summary>
    BrokenLink = 2,

    /// <summary>A sequence number is missing: the entry was deleted (or renumbered).</summary>
    SequenceGap = 3,

    /// <summary>A column has the wrong type or size (NULL, text where a number belongs, a short digest).</summary>
    MalformedEntry = 4,

    /// <summary>The log has fewer entries than the anchor recorded: the tail was cut off.</summary>
    TailTruncated = 5,

    /// <summary>The log has entries the anchor never recorded: appended outside the gateway.</summary>
    UnanchoredEntries = 6,

    /// <summary>The log's head is not the head the anchor recorded: the log was rewritten.</summary>
    AnchorMismatch = 7,

    /// <summary>The anchor was lost (recreated for a log that already had entries); truncation before that point cannot be ruled out.</summary>
    AnchorLost = 8,
}
