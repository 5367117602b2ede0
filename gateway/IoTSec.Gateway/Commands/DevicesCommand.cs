using System;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway devices list|show|import|revoke|decommission</c>: the device inventory.
/// Every mutating verb writes an audit entry; a revocation made here reaches the running
/// daemon's sessions through its revocation poller.
/// </summary>
internal static class DevicesCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("devices", "Device inventory: list, show, import, release, revoke, decommission.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateImport());
        command.Subcommands.Add(CreateRelease());
        command.Subcommands.Add(CreateRevoke());
        command.Subcommands.Add(CreateDecommission());
        return command;
    }

    private static Command CreateList()
    {
        var state = new Option<DeviceState?>("--state")
        {
            Description = "Only devices in this state (registered, enrolled, operating, quarantined, revoked, decommissioned)",
            CustomParser = result => ParseState(result.Tokens[0].Value, out var parsed) ? parsed : Invalid<DeviceState?>(result, $"unknown state '{result.Tokens[0].Value}'"),
        };
        var deviceClass = new Option<string?>("--class") { Description = "Only devices of this class" };
        var json = new Option<bool>("--json") { Description = "Print JSON (for scripts)" };
        var command = new Command("list", "List devices.") { state, deviceClass, json };
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            using var inventory = OpenInventory(parse, audit: null);
            var devices = inventory.List(parse.GetValue(state), parse.GetValue(deviceClass));
            if (parse.GetValue(json))
            {
                var array = new JsonArray();
                foreach (var device in devices)
                {
                    array.Add(ToJson(device));
                }

                AdministrationVerb.Output(parse).WriteLine(array.ToJsonString(Indented));
                return 0;
            }

            var table = new Table().AddColumns("device", "class", "state", "posture", "updated (UTC)");
            foreach (var device in devices)
            {
                table.AddRow(Cells(device.DeviceId, device.DeviceClass, Name(device.State), device.LastPostureVerdict ?? "-", Time(device.UpdatedAt)));
            }

            var console = AdministrationVerb.Console(parse);
            console.Write(table);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{devices.Count} device(s)"));
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("ID") { Description = "Device id" };
        var json = new Option<bool>("--json") { Description = "Print JSON (for scripts)" };
        var command = new Command("show", "Show one device and its certificates.") { id, json };
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            using var inventory = OpenInventory(parse, audit: null);
            var device = inventory.Get(parse.GetValue(id)!);
            var certificates = inventory.ListCertificates(device.DeviceId);
            if (parse.GetValue(json))
            {
                var node = ToJson(device);
                var array = new JsonArray();
                foreach (var certificate in certificates)
                {
                    array.Add(ToJson(certificate));
                }

                node["certificates"] = array;
                AdministrationVerb.Output(parse).WriteLine(node.ToJsonString(Indented));
                return 0;
            }

            var console = AdministrationVerb.Console(parse);
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow(Cells("device", device.DeviceId));
            grid.AddRow(Cells("class", device.DeviceClass));
            grid.AddRow(Cells("state", Name(device.State)));
            grid.AddRow(Cells("birth certificate SHA-256", device.BirthCertificateSha256));
            grid.AddRow(Cells("created (UTC)", Time(device.CreatedAt)));
            grid.AddRow(Cells("updated (UTC)", Time(device.UpdatedAt)));
            grid.AddRow(Cells("last posture", device.LastPostureVerdict is null ? "-" : $"{device.LastPostureVerdict} at {Time(device.LastPostureAt)}"));
            if (device.ClosedAt is not null)
            {
                grid.AddRow(Cells("closed (UTC)", Time(device.ClosedAt)));
            }

            console.Write(grid);
            var table = new Table().AddColumns("kind", "status", "serial", "issuer", "not after (UTC)", "revoked");
            foreach (var certificate in certificates)
            {
                table.AddRow(Cells(
                    Name(certificate.Kind),
                    Name(certificate.Status),
                    certificate.SerialHex,
                    certificate.Issuer,
                    Time(certificate.NotAfter),
                    certificate.RevokedAt is null ? "-" : $"{Time(certificate.RevokedAt)}: {certificate.RevocationReason}"));
            }

            console.WriteLine();
            console.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command CreateImport()
    {
        var file = new Argument<string>("FILE") { Description = "CSV (deviceId,deviceClass,birthCertificateSha256) or JSON array of the same" };
        var command = new Command("import", "Register devices from a manufacturing file (all or none).") { file };
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            var path = parse.GetValue(file)!;
            var data = AdministrationVerb.DataDirectory(parse, create: true);
            using var audit = AuditLog.Open(data);
            using var inventory = DeviceInventory.Open(data.InventoryDatabase, audit: audit);
            var count = inventory.Import(path, AdministrationVerb.Actor);
            AdministrationVerb.Output(parse).WriteLine(string.Create(CultureInfo.InvariantCulture, $"imported {count} device(s) from {path}"));
            return 0;
        }));
        return command;
    }

    // The broker judges a live session by the quarantine state it read at CONNECT: a released
    // device gets its class's allowlist back at its next connection (docs/policy.md).
    private static Command CreateRelease()
    {
        var id = new Argument<string>("ID") { Description = "Device id" };
        var reason = new Option<string>("--reason") { Description = "Why the device may leave quarantine (recorded in the audit log)", Required = true };
        var command = new Command("release", "Release a quarantined device after inspection; its class's allowlist applies again from its next connection.") { id, reason };
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            using var audit = AuditLog.Open(AdministrationVerb.DataDirectory(parse));
            using var inventory = OpenInventory(parse, audit);
            var device = inventory.ApplyLifecycleEvent(parse.GetValue(id)!, DeviceLifecycleEvent.Release, AdministrationVerb.Actor, parse.GetValue(reason)!);
            AdministrationVerb.Output(parse).WriteLine($"released {device.DeviceId}: {device.State.ToString().ToLowerInvariant()} (its class's allowlist applies from its next connection)");
            return 0;
        }));
        return command;
    }

    private static Command CreateRevoke()
    {
        var id = new Argument<string>("ID") { Description = "Device id" };
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the inventory and the audit log)", Required = true };
        var command = new Command("revoke", "Revoke every certificate of a device; live sessions drop it within a second.") { id, reason };
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            using var audit = AuditLog.Open(AdministrationVerb.DataDirectory(parse));
            using var inventory = OpenInventory(parse, audit);
            var revocation = inventory.Revoke(parse.GetValue(id)!, parse.GetValue(reason)!, AdministrationVerb.Actor);
            Report(parse, "revoked", revocation);
            return 0;
        }));
        return command;
    }

    private static Command CreateDecommission()
    {
        var id = new Argument<string>("ID") { Description = "Device id" };
        var reason = new Option<string>("--reason") { Description = "Why (default: decommissioned)", DefaultValueFactory = _ => "decommissioned" };
        var command = new Command("decommission", "Retire a device: revoke what is left and close its entry.") { id, reason };
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            using var audit = AuditLog.Open(AdministrationVerb.DataDirectory(parse));
            using var inventory = OpenInventory(parse, audit);
            var revocation = inventory.Decommission(parse.GetValue(id)!, AdministrationVerb.Actor, parse.GetValue(reason)!);
            Report(parse, "decommissioned", revocation);
            return 0;
        }));
        return command;
    }

    private static DeviceInventory OpenInventory(ParseResult parse, AuditLog? audit) =>
        DeviceInventory.Open(AdministrationVerb.DataDirectory(parse).InventoryDatabase, audit: audit);

    private static void Report(ParseResult parse, string what, DeviceRevoked revocation)
    {
        var output = AdministrationVerb.Output(parse);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} {revocation.DeviceId}: {revocation.Certificates.Count} certificate(s) revoked"));
        foreach (var certificate in revocation.Certificates)
        {
            output.WriteLine($"  {Name(certificate.Kind)} serial {certificate.SerialHex} ({certificate.Issuer})");
        }
    }

    private static JsonObject ToJson(DeviceRecord device) => new()
    {
        ["deviceId"] = device.DeviceId,
        ["deviceClass"] = device.DeviceClass,
        ["state"] = Name(device.State),
        ["birthCertificateSha256"] = device.BirthCertificateSha256,
        ["createdAt"] = device.CreatedAt,
        ["updatedAt"] = device.UpdatedAt,
        ["lastPostureVerdict"] = device.LastPostureVerdict,
        ["lastPostureAt"] = device.LastPostureAt,
        ["closedAt"] = device.ClosedAt,
    };

    private static JsonObject ToJson(IssuedCertificateRecord certificate) => new()
    {
        ["issuer"] = certificate.Issuer,
        ["serial"] = certificate.SerialHex,
        ["sha256"] = certificate.Sha256,
        ["kind"] = Name(certificate.Kind),
        ["status"] = Name(certificate.Status),
        ["notBefore"] = certificate.NotBefore,
        ["notAfter"] = certificate.NotAfter,
        ["recordedAt"] = certificate.RecordedAt,
        ["revokedAt"] = certificate.RevokedAt,
        ["revocationReason"] = certificate.RevocationReason,
    };

    private static bool ParseState(string text, out DeviceState? state)
    {
        foreach (var candidate in Enum.GetValues<DeviceState>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = null;
        return false;
    }

    private static T? Invalid<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }

    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    // Text cells, not markup: reasons and issuers are user data and may contain '['.
    private static IRenderable[] Cells(params string[] values)
    {
        var cells = new IRenderable[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            cells[i] = new Text(values[i]);
        }

        return cells;
    }
}
