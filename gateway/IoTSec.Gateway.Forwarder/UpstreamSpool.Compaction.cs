using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// Merging under disk pressure (ADR 0010): each device's pending telemetry records, except those
/// handed to the forwarder, become one composed delta or one snapshot.
/// </summary>
public sealed partial class UpstreamSpool
{
    private int CompactLocked()
    {
        var groups = new Dictionary<string, List<(long Id, long Seq, long FirstSeq, SpoolRecordKind Kind, long At, string Body, long Full)>>(StringComparer.Ordinal);
        using (var select = _connection.CreateCommand())
        {
            select.CommandText = "SELECT id, device, seq, first_seq, kind, at_ms, body, full_bytes FROM record WHERE id > $after AND kind IN (1, 2) ORDER BY id;";
            select.Parameters.AddWithValue("$after", _inFlightThrough);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var device = reader.GetString(1);
                if (!groups.TryGetValue(device, out var list))
                {
                    groups[device] = list = [];
                }

                list.Add((reader.GetInt64(0), reader.GetInt64(2), reader.GetInt64(3), (SpoolRecordKind)reader.GetInt32(4), reader.GetInt64(5), reader.GetString(6), reader.GetInt64(7)));
            }
        }

        var removed = 0;
        using var transaction = _connection.BeginTransaction();
        foreach (var (device, list) in groups)
        {
            if (list.Count < 2)
            {
                continue;
            }

            // Snapshot then deltas: a snapshot; deltas alone: one composed delta, or the
            // device's current state as a snapshot where the deltas do not compose (MergePatch.TryCompose).
            var merged = (JsonObject)JsonNode.Parse(list[0].Body)!;
            var kind = list[0].Kind;
            long full = list[0].Full;
            for (var i = 1; i < list.Count; i++)
            {
                var next = (JsonObject)JsonNode.Parse(list[i].Body)!;
                if (list[i].Kind == SpoolRecordKind.Snapshot)
                {
                    merged = next;
                    kind = SpoolRecordKind.Snapshot;
                }
                else if (kind == SpoolRecordKind.Snapshot)
                {
                    merged = (JsonObject)MergePatch.Apply(merged, next)!;
                }
                else if (MergePatch.TryCompose(merged, next, out var composed))
                {
                    merged = composed;
                }
                else
                {
                    // The last record of the group is the device's newest telemetry: its state now.
                    merged = (JsonObject)_devices[device].State!.DeepClone();
                    kind = SpoolRecordKind.Snapshot;
                    for (var j = i + 1; j < list.Count; j++)
                    {
                        full += list[j].Full;
                    }

                    full += list[i].Full;
                    break;
                }

                full += list[i].Full;
            }

            var last = list[^1];
            using (var update = _connection.CreateCommand())
            {
                update.Transaction = transaction;
                update.CommandText = "UPDATE record SET body = $body, kind = $kind, first_seq = $first, full_bytes = $full, queued_ms = min(queued_ms, (SELECT min(queued_ms) FROM record WHERE id >= $firstId AND id <= $id AND device = $device)) WHERE id = $id;";
                update.Parameters.AddWithValue("$body", merged.ToJsonString());
                update.Parameters.AddWithValue("$kind", (int)kind);
                update.Parameters.AddWithValue("$first", list[0].FirstSeq);
                update.Parameters.AddWithValue("$full", full);
                update.Parameters.AddWithValue("$firstId", list[0].Id);
                update.Parameters.AddWithValue("$device", device);
                update.Parameters.AddWithValue("$id", last.Id);
                update.ExecuteNonQuery();
            }

            using (var delete = _connection.CreateCommand())
            {
                delete.Transaction = transaction;
                var ids = new StringBuilder();
                for (var i = 0; i < list.Count - 1; i++)
                {
                    ids.Append(i == 0 ? string.Empty : ",").Append(list[i].Id.ToString(CultureInfo.InvariantCulture));
                }

                delete.CommandText = "DELETE FROM record WHERE id IN (" + ids + ");";
                removed += delete.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        if (removed > 0)
        {
            UpstreamMetrics.Merged.Add(removed);
            Recount();
            LogCompacted(_logger, removed, _bytes);
        }

        return removed;
    }
}
