using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Tests.Daemon;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.EdgeEndToEnd;

/// <summary>
/// One real <c>iotsec-gateway run</c> process with its own data directory, explicit free ports for
/// EST, the device broker and metrics, and a test policy written before the start; plus the
/// real CLI (<c>dotnet iotsec-gateway.dll</c>, a separate process) for administration and
/// reading the gateway's own records (audit log, inventory, /metrics).
/// </summary>
internal sealed partial class EdgeGateway : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _metrics;

    private EdgeGateway(string data, int estPort, int brokerPort, int metricsPort, GatewayProcess process)
    {
        DataDirectory = data;
        EstPort = estPort;
        BrokerPort = brokerPort;
        MetricsPort = metricsPort;
        Process = process;
        _metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string DataDirectory { get; }

    public string PolicyFile => Path.Combine(DataDirectory, "policy.yaml");

    public int EstPort { get; }

    public int BrokerPort { get; }

    public int MetricsPort { get; }

    public GatewayProcess Process { get; }

    /// <summary>
    /// Writes <paramref name="policy"/>, issues an identity for each of <paramref name="devices"/>
    /// (id, class) with <c>dev issue-cert</c>, then starts the daemon and waits until EST, the
    /// broker and metrics listen.
    /// </summary>
    public static async Task<EdgeGateway> StartAsync(string data, string policy, IReadOnlyList<(string Id, string Class)> devices)
    {
        File.WriteAllText(Path.Combine(data, "policy.yaml"), policy);
        foreach (var (id, deviceClass) in devices)
        {
            var issued = RunCli(data, "dev", "issue-cert", "--device", id, "--class", deviceClass, "--out", Path.Combine(data, "devices", id));
            Assert.AreEqual(0, issued.ExitCode, $"dev issue-cert {id}: {issued.Output}{issued.Error}");
        }

        var estPort = GatewayProcess.FreePort();
        var brokerPort = GatewayProcess.FreePort();
        var metricsPort = GatewayProcess.FreePort();
        var process = GatewayProcess.Start(
            "--data-dir", data, "run",
            Setting("Est:Port", estPort),
            Setting("Broker:Port", brokerPort),
            Setting("Metrics:Port", metricsPort),
            // Violations reach the audit log within a second instead of a minute.
            "--IoTSec:Policy:ViolationAuditInterval=00:00:01",
            // A policy file written over the running one is read 50 ms after the last write.
            "--IoTSec:Policy:ReloadDebounce=00:00:00.05");
        var gateway = new EdgeGateway(data, estPort, brokerPort, metricsPort, process);
        try
        {
            await process.WaitForOutputAsync($"device broker listening on 127.0.0.1:{brokerPort}", StartTimeout);
            await process.WaitForOutputAsync($"Prometheus metrics on http://127.0.0.1:{metricsPort}/metrics", StartTimeout);
            await process.WaitForOutputAsync($"EST listening on https://127.0.0.1:{estPort}", StartTimeout);
            return gateway;
        }
        catch
        {
            gateway.Dispose();
            throw;
        }
    }

    /// <summary>The identity files <c>dev issue-cert</c> wrote for <paramref name="deviceId"/>.</summary>
    public string DeviceDirectory(string deviceId) => Path.Combine(DataDirectory, "devices", deviceId);

    /// <summary>Runs <c>iotsec-gateway --data-dir DATA ARGS</c> as its own process (an operator at the console).</summary>
    public (int ExitCode, string Output, string Error) Cli(params string[] arguments) => RunCli(DataDirectory, arguments);

    /// <summary>The audit entries of <paramref name="kind"/> about <paramref name="subject"/> (null: any), from <c>audit list --json</c>.</summary>
    public List<JsonObject> AuditEntries(string kind, string? subject)
    {
        var result = Cli("audit", "list", "--json", "--kind", kind);
        Assert.AreEqual(0, result.ExitCode, result.Output + result.Error);
        return JsonNode.Parse(result.Output)!.AsArray()
            .Select(entry => entry!.AsObject())
            .Where(entry => subject is null || (string?)entry["subject"] == subject)
            .ToList();
    }

    /// <summary>Polls the audit log until an entry of <paramref name="kind"/> about <paramref name="subject"/> matches.</summary>
    public async Task<JsonObject> WaitForAuditAsync(string kind, string subject, Func<JsonObject, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var entries = AuditEntries(kind, subject);
            var found = entries.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no matching {kind} audit entry for {subject} within {timeout}; entries:\n{string.Join("\n", entries.Select(e => e.ToJsonString()))}\ngateway log:\n{Process.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary><c>devices show ID --json</c>.</summary>
    public JsonObject ShowDevice(string deviceId)
    {
        var result = Cli("devices", "show", deviceId, "--json");
        Assert.AreEqual(0, result.ExitCode, result.Output + result.Error);
        return JsonNode.Parse(result.Output)!.AsObject();
    }

    /// <summary>Polls <c>devices show</c> until <paramref name="match"/> holds.</summary>
    public async Task<JsonObject> WaitForDeviceAsync(string deviceId, Func<JsonObject, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var device = ShowDevice(deviceId);
            if (match(device))
            {
                return device;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"devices show {deviceId} did not reach the expected state within {timeout}:\n{device.ToJsonString()}\ngateway log:\n{Process.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The scraped value of <paramref name="name"/> whose labels contain <paramref name="label"/> (0 when absent).</summary>
    public async Task<double> MetricAsync(string name, string label)
    {
        var text = await _metrics.GetStringAsync("/metrics");
        return Sample(text, name, label);
    }

    /// <summary>Polls /metrics until <paramref name="name"/>{<paramref name="label"/>} reaches <paramref name="atLeast"/>.</summary>
    public async Task<double> WaitForMetricAsync(string name, string label, double atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await MetricAsync(name, label);
            if (value >= atLeast)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{name}{{{label}}} is {value}, not ≥ {atLeast}, after {timeout}");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _metrics.Dispose();
        Process.Dispose();
    }

    private static string Setting(string key, int value) =>
        string.Create(CultureInfo.InvariantCulture, $"--IoTSec:{key}={value}");

    internal static (int ExitCode, string Output, string Error) RunCli(string data, params string[] arguments)
    {
        var dotnet = RequiredComponent.Executable("dotnet", "the .NET SDK (https://dot.net)");
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iotsec-gateway.dll"));
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(data);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("IOTSEC", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            Assert.Fail($"iotsec-gateway {string.Join(' ', arguments)} did not finish within 30 s");
        }

        return (process.ExitCode, output.Result, error);
    }

    private static double Sample(string text, string name, string label)
    {
        var total = 0.0;
        foreach (Match line in SampleLine().Matches(text))
        {
            if (line.Groups["name"].Value == name && line.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            {
                total += double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
