using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Tamper;
using IoTSec.Gateway.Hardware;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tpm;
using Microsoft.Extensions.Configuration;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway tamper status|rearm</c>: the enclosure, the persisted tamper flag and the
/// latch (PCR 23, or the software latch file); re-arming after an inspection. The switch is read
/// directly when no daemon runs, else taken from the daemon's published reading (the daemon
/// holds the GPIO line). Settings come from the same layers as <c>run</c> (embedded defaults,
/// IOTSEC__… environment variables, then <c>--IoTSec:…=…</c> overrides after the verb).
/// </summary>
internal static class TamperCommand
{
    /// <summary>The GPIO the command reads the switch through when no daemon runs (tests replace it).</summary>
    internal static TamperGpio Gpio { get; set; } = TamperGpio.LinuxCharacterDevice;

    public static Command Create()
    {
        var command = new Command("tamper", "Tamper switch and latch: status, and re-arm after inspecting the enclosure.");

        var json = new Option<bool>("--json") { Description = "Print JSON (for scripts)" };
        var status = new Command("status", "Show the enclosure, the tamper flag, the latch and whether issuance is stopped.") { json };
        status.TreatUnmatchedTokensAsErrors = false;
        status.SetAction(parse => Guarded(parse, () => Status(parse, parse.GetValue(json))));
        command.Subcommands.Add(status);

        var rearm = new Command("rearm", "Re-arm after inspecting the enclosure: needs the enclosure closed now; resets the latch, clears the flag, audits Rearm.");
        rearm.TreatUnmatchedTokensAsErrors = false;
        rearm.SetAction(parse => Guarded(parse, () => Rearm(parse)));
        command.Subcommands.Add(rearm);
        return command;
    }

    private static int Status(ParseResult parse, bool asJson)
    {
        var data = AdministrationVerb.DataDirectory(parse);
        var (keyStore, tamper) = Settings(parse);
        var link = new TamperDaemonLink(data);
        using var held = link.TryLock();
        var lid = ReadLid(held is null, link, tamper);
        var flag = new TamperFlagFile(data).ReadFailClosed(DateTimeOffset.UtcNow);
        string latch;
        try
        {
            latch = LatchIsSet(keyStore, data) ? "set" : "clear";
        }
        catch (Exception e) when (e is SecretSealedException or GatewayKeyStoreException or IOException)
        {
            latch = "unknown (" + e.Message + ")";
        }

        var issuance = held is null ? (lid.Phase == "armed" ? "running" : "stopped") : "daemon not running";
        var output = AdministrationVerb.Output(parse);
        if (asJson)
        {
            output.WriteLine(new JsonObject
            {
                ["enclosure"] = lid.Closed is null ? "unknown" : lid.Closed.Value ? "closed" : "open",
                ["enclosureSource"] = lid.Source,
                ["tampered"] = flag is not null,
                ["tamperedSince"] = flag?.Since.ToString("O", CultureInfo.InvariantCulture),
                ["tamperReason"] = flag?.Reason,
                ["latch"] = latch,
                ["backend"] = keyStore.Backend,
                ["daemonRunning"] = held is null,
                ["issuance"] = issuance,
            }.ToJsonString());
            return 0;
        }

        output.WriteLine($"enclosure:  {(lid.Closed is null ? "unknown" : lid.Closed.Value ? "closed" : "OPEN")} ({lid.Source})");
        output.WriteLine(flag is null
            ? "tamper flag: clear"
            : string.Create(CultureInfo.InvariantCulture, $"tamper flag: TAMPERED since {flag.Since:u}: {flag.Reason}"));
        output.WriteLine($"latch:      {latch} ({(keyStore.IsSoftware ? "software latch file" : $"TPM PCR {TpmTamperLatch.Pcr}")})");
        output.WriteLine($"issuance:   {issuance}");
        if (flag is not null)
        {
            output.WriteLine("inspect the enclosure, close it, then run `iotsec-gateway tamper rearm`");
        }

        return 0;
    }

    private static int Rearm(ParseResult parse)
    {
        var data = AdministrationVerb.DataDirectory(parse);
        var (keyStore, tamper) = Settings(parse);
        var link = new TamperDaemonLink(data);

        // Without a daemon, hold its lock throughout: a daemon starting now waits for the re-arm.
        using var held = link.TryLock();
        var lid = ReadLid(held is null, link, tamper);
        if (tamper.Enabled && lid.Closed != true)
        {
            return AdministrationVerb.Fail(parse, lid.Closed is null
                ? $"refusing to re-arm: the enclosure's state is unknown ({lid.Source})"
                : $"refusing to re-arm: the enclosure is open now ({lid.Source}); close it first");
        }

        using var audit = AuditLog.Open(data);
        var cleared = TamperRearm.Run(lidClosed: true, Sealer(keyStore, data), new TamperFlagFile(data), audit, AdministrationVerb.Actor);
        var output = AdministrationVerb.Output(parse);
        output.WriteLine(cleared is null
            ? "re-armed (no tamper event was outstanding); latch reset"
            : string.Create(CultureInfo.InvariantCulture, $"re-armed: cleared the tamper event of {cleared.Since:u} ({cleared.Reason}); latch reset"));
        if (!tamper.Enabled)
        {
            output.WriteLine("note: the tamper switch is disabled (IoTSec:Tamper:Enabled=false); the enclosure was not checked");
        }

        output.WriteLine(held is null
            ? string.Create(CultureInfo.InvariantCulture, $"the running gateway resumes issuance within {tamper.PollInterval.TotalSeconds:0.#} s")
            : "no gateway daemon is running; it starts armed");
        return 0;
    }

    private static (bool? Closed, string Source, string Phase) ReadLid(bool daemonRunning, TamperDaemonLink link, TamperSettings tamper)
    {
        if (daemonRunning)
        {
            var reading = link.ReadPublished();
            return reading switch
            {
                null => (null, "the running daemon has published no reading", "unknown"),
                { LidClosed: null } => (null, "the running daemon does not watch a tamper switch", reading.Phase),
                _ => (reading.LidClosed, string.Create(CultureInfo.InvariantCulture, $"read by the running daemon at {reading.ReadAt:u}"), reading.Phase),
            };
        }

        if (!tamper.Enabled)
        {
            return (null, "the tamper switch is disabled", "unknown");
        }

        using var controller = Gpio.Open(tamper);
        using var sensor = new TamperSwitch(controller, tamper.TamperPin, tamper.ActiveLow);
        return (sensor.ReadLidClosed(), $"read now from gpiochip{tamper.GpioChip} line {tamper.TamperPin}", "unknown");
    }

    private static bool LatchIsSet(KeyStoreSettings keyStore, GatewayDataDirectory data)
    {
        if (keyStore.IsSoftware)
        {
            return new SoftwareSecretSealer(Path.Combine(data.Root, "keys")).IsTampered;
        }

        return OperatingSystem.IsLinux()
            ? new TpmTamperLatch(keyStore.Tcti).IsSet
            : throw new GatewayKeyStoreException("the TPM backend needs Linux");
    }

    private static ISecretSealer Sealer(KeyStoreSettings keyStore, GatewayDataDirectory data)
    {
        if (keyStore.IsSoftware)
        {
            return new SoftwareSecretSealer(Path.Combine(data.Root, "keys"));
        }

        return OperatingSystem.IsLinux()
            ? new TpmSecretSealer(keyStore.Tcti, Path.Combine(data.Root, "sealed"))
            : throw new GatewayKeyStoreException("the TPM backend needs Linux");
    }

    // The daemon's configuration layers, so that the command and `run` agree on the backend and pins.
    private static (KeyStoreSettings KeyStore, TamperSettings Tamper) Settings(ParseResult parse)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(GatewayDefaults.Values)
            .AddEnvironmentVariables()
            .AddCommandLine(parse.UnmatchedTokens.ToArray())
            .Build();
        var keyStore = new KeyStoreSettings();
        configuration.GetSection(GatewayOptions.SectionName + ":KeyStore").Bind(keyStore);
        var tamper = new TamperSettings();
        configuration.GetSection(TamperSettings.SectionName).Bind(tamper);
        return (keyStore, tamper);
    }

    private static int Guarded(ParseResult parse, Func<int> body) => AdministrationVerb.Run(parse, () =>
    {
        try
        {
            return body();
        }
        catch (TamperRearmRefusedException e)
        {
            return AdministrationVerb.Fail(parse, e.Message);
        }
        catch (Exception e) when (e is SecretSealedException or GatewayKeyStoreException)
        {
            return AdministrationVerb.Fail(parse, e.Message);
        }
        catch (Exception e) when (e is PlatformNotSupportedException or InvalidOperationException)
        {
            // No GPIO chip, or a line another process holds.
            return AdministrationVerb.Fail(parse, "cannot read the tamper switch: " + e.Message);
        }
    });
}
