using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IoTSec.Gateway.Commands;

/// <summary><c>iotsec-gateway audit verify|list|reanchor</c>: the hash-chained audit log.</summary>
internal static class AuditCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("audit", "Audit log: verify the chain, list entries.");
        command.Subcommands.Add(CreateVerify());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateReanchor());
        return command;
    }

    private static Command CreateVerify()
    {
        var command = new Command("verify", "Walk the chain and compare its head with the anchor; exit 1 at the first tampered entry.");
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            using var log = AuditLog.Open(AdministrationVerb.DataDirectory(parse));
            var result = log.Verify();
            if (result.FirstProblem is { } problem)
            {
                return AdministrationVerb.Fail(parse, string.Create(CultureInfo.InvariantCulture, $"entry #{problem.Sequence} tampered: {Describe(problem.Kind)}: {problem.Detail}"));
            }

            AdministrationVerb.Output(parse).WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.EntryCount} entries, chain intact, head {result.HeadHex}"));
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only entries from this time on: an ISO 8601 time (UTC unless an offset is given) or an age such as 30m, 24h, 7d",
            CustomParser = ParseSince,
        };
        var kind = new Option<string?>("--kind")
        {
            Description = "Only entries of this kind (" + string.Join(", ", Enum.GetNames<AuditEventKind>()) + ")",
            CustomParser = result => Enum.TryParse<AuditEventKind>(result.Tokens[0].Value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(result.Tokens[0].Value, out _)
                ? parsed.ToString()
                : Invalid<string?>(result, $"unknown kind '{result.Tokens[0].Value}'"),
        };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries" };
        var json = new Option<bool>("--json") { Description = "Print JSON (for scripts)" };
        var command = new Command("list", "List audit entries, oldest first.") { since, kind, limit, json };
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            using var log = AuditLog.Open(AdministrationVerb.DataDirectory(parse));
            var entries = log.List(parse.GetValue(since), parse.GetValue(kind), parse.GetValue(limit));
            if (parse.GetValue(json))
            {
                var array = new JsonArray();
                foreach (var entry in entries)
                {
                    array.Add(new JsonObject
                    {
                        ["sequence"] = entry.Sequence,
                        ["time"] = entry.Time,
                        ["kind"] = entry.Kind,
                        ["actor"] = entry.Actor,
                        ["subject"] = entry.Subject,
                        ["details"] = ParseDetails(entry.Details),
                        ["previousDigest"] = Convert.ToHexStringLower(entry.PreviousDigest.Span),
                        ["digest"] = entry.DigestHex,
                    });
                }

                AdministrationVerb.Output(parse).WriteLine(array.ToJsonString(Indented));
                return 0;
            }

            var table = new Table()
                .AddColumn(new TableColumn("#").RightAligned())
                .AddColumn(new TableColumn("time (UTC)").NoWrap())
                .AddColumns("kind", "actor", "subject", "details");
            foreach (var entry in entries)
            {
                table.AddRow(
                    new Text(entry.Sequence.ToString(CultureInfo.InvariantCulture)),
                    new Text(entry.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                    new Text(entry.Kind),
                    new Text(entry.Actor),
                    new Text(entry.Subject),
                    new Text(entry.Details));
            }

            var console = AdministrationVerb.Console(parse);
            console.Write(table);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{entries.Count} entries (run 'audit verify' to check them)"));
            return 0;
        }));
        return command;
    }

    private static Command CreateReanchor()
    {
        var command = new Command("reanchor", "After checking the head against an exported copy: reset a lost or mismatched anchor to the current head (audited).");
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            using var log = AuditLog.Open(AdministrationVerb.DataDirectory(parse));
            var entry = log.Reanchor(AdministrationVerb.Actor);
            AdministrationVerb.Output(parse).WriteLine(string.Create(CultureInfo.InvariantCulture, $"anchor reset at entry #{entry.Sequence}, head {entry.DigestHex}"));
            return 0;
        }));
        return command;
    }

    private static string Describe(AuditProblemKind kind) => kind switch
    {
        AuditProblemKind.DigestMismatch => "digest mismatch",
        AuditProblemKind.BrokenLink => "broken link",
        AuditProblemKind.SequenceGap => "gap in sequence",
        AuditProblemKind.MalformedEntry => "malformed entry",
        AuditProblemKind.TailTruncated => "tail truncated",
        AuditProblemKind.UnanchoredEntries => "entries beyond the anchor",
        AuditProblemKind.AnchorMismatch => "head differs from the anchor",
        AuditProblemKind.AnchorLost => "anchor lost",
        _ => kind.ToString(),
    };

    private static DateTimeOffset? ParseSince(ArgumentResult result)
    {
        var text = result.Tokens[0].Value.Trim();
        if (text.Length >= 2 && char.IsAsciiDigit(text[0]) && text[^1] is 'm' or 'h' or 'd'
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            var age = text[^1] switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return DateTimeOffset.UtcNow - age;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        return Invalid<DateTimeOffset?>(result, $"'{text}' is neither an ISO 8601 time nor an age such as 30m, 24h, 7d");
    }

    private static JsonNode? ParseDetails(string details)
    {
        try
        {
            return JsonNode.Parse(details);
        }
        catch (JsonException)
        {
            // A tampered entry may hold anything; show it as text rather than fail the listing.
            return JsonValue.Create(details);
        }
    }

    private static T? Invalid<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }
}
