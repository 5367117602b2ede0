using System;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>
/// Walks the chain in sequence order and stops at the first problem, so the problem is
/// reported at the entry that was touched: an edited field breaks that entry's digest, an
/// edited link breaks that entry's link, a deleted entry leaves a gap where it was.
/// </summary>
internal static class AuditChainVerifier
{
    public static AuditVerification Verify(SqliteConnection connection, SqliteTransaction snapshot, AuditAnchor.AnchorState anchor)
    {
        using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = "SELECT sequence, time_us, kind, actor, subject, details, previous_digest, digest FROM audit_entries ORDER BY sequence;";
        using var rows = command.ExecuteReader();

        long expected = 1;
        byte[] head = new byte[AuditDigest.Length];
        while (rows.Read())
        {
            // Read every column as whatever it holds: a tampered file may have anything there.
            var values = new object[8];
            rows.GetValues(values);
            if (values[0] is not long sequence)
            {
                return Problem(expected, AuditProblemKind.MalformedEntry, "the sequence column is not an integer", expected - 1, head);
            }

            if (sequence != expected)
            {
                var detail = sequence > expected
                    ? Text($"entry #{expected} is missing (the next entry is #{sequence}): deleted or renumbered")
                    : Text($"entry #{sequence} appears out of order after #{expected - 1}");
                return Problem(expected, AuditProblemKind.SequenceGap, detail, expected - 1, head);
            }

            if (values[1] is not long time || values[2] is not string kind || values[3] is not string actor ||
                values[4] is not string subject || values[5] is not string details ||
                values[6] is not byte[] { Length: AuditDigest.Length } previous || values[7] is not byte[] { Length: AuditDigest.Length } digest)
            {
                return Problem(sequence, AuditProblemKind.MalformedEntry, "a column has the wrong type or a digest the wrong size", sequence - 1, head);
            }

            if (!previous.AsSpan().SequenceEqual(head))
            {
                return Problem(sequence, AuditProblemKind.BrokenLink, Text($"its previous digest is not the digest of entry #{sequence - 1}"), sequence - 1, head);
            }

            var computed = AuditDigest.Compute(sequence, time, kind, actor, subject, details, previous);
            if (!computed.AsSpan().SequenceEqual(digest))
            {
                return Problem(sequence, AuditProblemKind.DigestMismatch, "its fields do not match its digest (a field or the digest was changed)", sequence - 1, head);
            }

            head = digest;
            expected++;
        }

        var count = expected - 1;
        return new AuditVerification(count, head, CompareWithAnchor(count, head, anchor));
    }

    private static AuditProblem? CompareWithAnchor(long count, byte[] head, AuditAnchor.AnchorState anchor)
    {
        if (anchor.LostAtCount is { } lostAt)
        {
            return new AuditProblem(
                Math.Min(Math.Max(lostAt, 1), Math.Max(count, 1)),
                AuditProblemKind.AnchorLost,
                Text($"the anchor file was recreated when the log already had {lostAt} entries, so a cut-off tail before that cannot be ruled out; compare the head with the exported one, then run 'audit reanchor'"));
        }

        var matchesPrevious = count == anchor.PreviousCount && head.AsSpan().SequenceEqual(anchor.PreviousHead);
        var matchesNext = count == anchor.NextCount && head.AsSpan().SequenceEqual(anchor.NextHead);
        if (matchesPrevious || matchesNext)
        {
            return null;
        }

        if (count < anchor.PreviousCount)
        {
            return new AuditProblem(
                count + 1,
                AuditProblemKind.TailTruncated,
                Text($"missing: the anchor records at least {anchor.PreviousCount} entries but the log ends at #{count} (the tail was cut off)"));
        }

        if (count > anchor.NextCount)
        {
            return new AuditProblem(
                anchor.NextCount + 1,
                AuditProblemKind.UnanchoredEntries,
                Text($"entries #{anchor.NextCount + 1} to #{count} were never recorded in the anchor (appended outside the gateway, or the anchor was replaced)"));
        }

        return new AuditProblem(
            Math.Max(count, 1),
            AuditProblemKind.AnchorMismatch,
            Text($"the log's head is not the head the anchor recorded for {count} entries (the log was rewritten)"));
    }

    private static AuditVerification Problem(long sequence, AuditProblemKind kind, string detail, long intactCount, byte[] head) =>
        new(intactCount, head, new AuditProblem(sequence, kind, detail));

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
