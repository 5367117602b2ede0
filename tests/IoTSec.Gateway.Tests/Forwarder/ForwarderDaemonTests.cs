using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using IoTSec.Gateway.Forwarder;
using IoTSec.Gateway.Tests.Broker;
using IoTSec.Gateway.Tests.Daemon;
using IoTSec.Gateway.Tests.EdgeEndToEnd;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Forwarder;

/// <summary>
/// The real daemon (<c>iotsec-gateway run</c>) forwarding to a real Mosquitto: a device
/// (Debian's mosquitto_pub with a <c>dev issue-cert</c> identity) streams telemetry into the
/// gateway's broker, the gateway is killed with SIGKILL in the middle and started again, and
/// upstream must end up with every message the gateway acknowledged to the device.
/// </summary>
[TestClass]
public sealed partial class ForwarderDaemonTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private string _data = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void Create() => _data = TempDirectory.Create("iotsec-fwd");

    [TestCleanup]
    public void Remove()
    {
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_data);
    }

    [TestMethod]
    [DataRow("--IoTSec:Upstream:Host=upstream.example.net", "IoTSec:Upstream:CaFile: required when Host is set")]
    [DataRow("--IoTSec:Upstream:Host=upstream.example.net|--IoTSec:Upstream:CaFile=/nonexistent/ca.pem", "IoTSec:Upstream:CaFile: '/nonexistent/ca.pem' does not exist")]
    [DataRow("--IoTSec:Upstream:Host=mqtts://upstream.example.net:8883|--IoTSec:Upstream:CaFile=/etc/hostname", "IoTSec:Upstream:Host: 'mqtts://upstream.example.net:8883' is not a host name")]
    [DataRow("--IoTSec:Upstream:Port=70000", "IoTSec:Upstream:Port")]
    [DataRow("--IoTSec:Upstream:TopicPrefix=site/#", "IoTSec:Upstream:TopicPrefix: 'site/#' holds a wildcard")]
    [DataRow("--IoTSec:Upstream:Fsync=sometimes", "IoTSec:Upstream:Fsync: must be \"full\" or \"normal\"")]
    [DataRow("--IoTSec:Upstream:Hots=upstream.example.net", "IoTSec:Upstream:Hots: unknown setting")]
    public async Task AMalformedUpstreamConfigurationIsRefusedAtStartNamingTheKey(string settings, string expected)
    {
        var arguments = new List<string> { "--data-dir", _data, "run" };
        arguments.AddRange(settings.Split('|'));
        using var gateway = GatewayProcess.Start([.. arguments]);

        var exitCode = await gateway.WaitForExitAsync(Wait);

        Assert.AreNotEqual(0, exitCode, gateway.Output);

        // Configuration keys are case-insensitive; the message may spell the root IOTSEC.
        Assert.IsTrue(gateway.Output.Contains(expected, StringComparison.OrdinalIgnoreCase), gateway.Output);
    }

    [TestMethod]
    public async Task KilledWithSigkillMidStreamAndRestartedNothingAcknowledgedIsLostAndDuplicatesAreRecognisable()
    {
        var publish = MosquittoClient.PublishTool;
        RequiredComponent.Executable("kill", "procps");
        File.WriteAllText(Path.Combine(_data, "policy.yaml"), Policy);
        var issued = EdgeGateway.RunCli(_data, "dev", "issue-cert", "--device", "fwd-dev", "--class", "sensor", "--out", Path.Combine(_data, "devices", "fwd-dev"));
        Assert.AreEqual(0, issued.ExitCode, issued.Output + issued.Error);
        var pki = Path.Combine(_data, "dev-pki");
        await using var upstream = await UpstreamBroker.StartAsync(_data, Directory.GetFiles(pki, "*.pem").Where(f => !f.EndsWith(".key.pem", StringComparison.Ordinal)).ToArray());

        var brokerPort = GatewayProcess.FreePort();
        var arguments = new[]
        {
            "--data-dir", _data, "run",
            Setting("Est:Port", GatewayProcess.FreePort()), Setting("Broker:Port", brokerPort), Setting("Metrics:Port", GatewayProcess.FreePort()),
            "--IoTSec:Upstream:Host=127.0.0.1", Setting("Upstream:Port", upstream.LinkPort), "--IoTSec:Upstream:CaFile=" + upstream.CaFile,
            "--IoTSec:Upstream:ClientId=gw-fwd",
            // Small batches: the stream is still being forwarded when the gateway dies.
            "--IoTSec:Upstream:BatchMaxRecords=3",
            "--IoTSec:Upstream:ReconnectMinDelay=00:00:00.1", "--IoTSec:Upstream:ReconnectMaxDelay=00:00:01",
        };
        var first = GatewayProcess.Start(arguments);
        FieldPublisher? device = null;
        int forwardedAtKill;
        try
        {
            await first.WaitForOutputAsync($"device broker listening on 127.0.0.1:{brokerPort}", Wait);
            await first.WaitForOutputAsync("upstream connected to 127.0.0.1", Wait);

            device = FieldPublisher.Start(publish, brokerPort, Path.Combine(_data, "devices", "fwd-dev"), "fwd-dev");
            for (var n = 0; n < 1000 && upstream.Records.Count < 60; n++)
            {
                await device.SendAsync(Sample(n));
                await Task.Delay(2, TestContext.CancellationToken);
            }

            forwardedAtKill = upstream.Records.Count;
            using (var kill = Process.Start("kill", ["-KILL", first.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.CancellationToken);
            }

            await first.WaitForExitAsync(Wait);
        }
        finally
        {
            first.Dispose();
        }

        var acknowledged = await device.StopAsync();
        TestContext.WriteLine($"upstream had {forwardedAtKill} records at the kill; the gateway had acknowledged {acknowledged.Count} messages to the device");
        Assert.IsGreaterThan(forwardedAtKill, acknowledged.Count, "the kill came while the stream was still being forwarded");

        using var second = GatewayProcess.Start(arguments);
        await second.WaitForOutputAsync("upstream connected to 127.0.0.1", Wait);
        await using (var after = FieldPublisher.Start(publish, brokerPort, Path.Combine(_data, "devices", "fwd-dev"), "fwd-dev"))
        {
            await after.SendAsync(Sample(5000));
            Assert.AreEqual(1, (await after.StopAsync()).Count);
        }

        await upstream.WaitForAsync(
            records => Rebuilt(records).Contains(5000),
            Wait, () => second.Output);
        await second.TerminateAsync(TimeSpan.FromSeconds(20));

        var received = upstream.Records.Where(r => r.Device == "fwd-dev").ToList();
        var counters = Rebuilt(upstream.Records);
        foreach (var mid in acknowledged)
        {
            // mosquitto_pub numbers messages from 1 in the order it read the lines (counter mid - 1).
            Assert.Contains(mid - 1, counters, $"message {mid} was acknowledged to the device but never reached upstream");
        }

        var sequences = received.Select(r => r.Sequence).Distinct().Order().ToList();
        CollectionAssert.AreEqual(Enumerable.Range(1, sequences.Count).Select(i => (long)i).ToList(), sequences, "no sequence number is missing");
        foreach (var duplicate in received.GroupBy(r => r.Sequence).Where(g => g.Count() > 1))
        {
            Assert.IsTrue(duplicate.All(r => JsonNode.DeepEquals(r.Body, duplicate.First().Body)), $"sequence {duplicate.Key} came twice with different content");
        }

        TestContext.WriteLine($"{received.Count} records, {received.Count - sequences.Count} duplicates, {sequences.Count} sequences");
    }

    // Replays the device's records in (first-arrival) sequence order and lists every counter value the states had.
    private static HashSet<long> Rebuilt(IReadOnlyList<UpstreamRecord> records)
    {
        var values = new HashSet<long>();
        JsonNode? state = null;
        foreach (var record in records.Where(r => r.Device == "fwd-dev").DistinctBy(r => r.Sequence).OrderBy(r => r.Sequence))
        {
            state = record.Kind == "s" ? record.Body : MergePatch.Apply(state, record.Body);
            if (state?["counter"] is JsonNode counter)
            {
                values.Add((long)counter);
            }
        }

        return values;
    }

    private static string Sample(int n) => $$"""{"counter":{{n}},"serial":"SN-FWD","temp":{{20 + (n % 5)}}}""";

    private static string Setting(string key, int value) => string.Create(CultureInfo.InvariantCulture, $"--IoTSec:{key}={value}");

    private const string Policy = """
        version: 1

        quarantine:
          class: quarantine
          threshold: 1000
          window: 1s

        classes:
          sensor:
            heartbeat-interval: 60s
            firmware:
              - 0000000000000000000000000000000000000000000000000000000000000000
            publish:
              - topic: iotsec/v1/d/{device}/up/telemetry
                payload: json
                max-size: 512
                qos: [0, 1]
                rate: 5000/s
                burst: 5000
            subscribe:
              - topic: iotsec/v1/d/{device}/down/#
                qos: [0, 1]

          quarantine:
            heartbeat-interval: 60s
            firmware:
              - 0000000000000000000000000000000000000000000000000000000000000000
            publish: []
            subscribe: []
        """;

    /// <summary>
    /// mosquitto_pub -l -q 1 -d: each line written is one QoS 1 telemetry message; the debug
    /// output names every PUBACK the gateway sent ("received PUBACK (Mid: N").
    /// </summary>
    private sealed partial class FieldPublisher : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _output;
        private readonly Task<string> _error;

        private FieldPublisher(Process process)
        {
            _process = process;
            _output = process.StandardOutput.ReadToEndAsync();
            _error = process.StandardError.ReadToEndAsync();
        }

        public static FieldPublisher Start(string tool, int port, string directory, string deviceId)
        {
            var start = new ProcessStartInfo(tool)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in MosquittoClient.ConnectionArguments(port, Path.Combine(directory, "ca.pem"),
                new DeviceCredentials(deviceId, null!, Path.Combine(directory, deviceId + ".pem"), Path.Combine(directory, deviceId + ".key.pem")), deviceId))
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var argument in new[] { "-t", $"iotsec/v1/d/{deviceId}/up/telemetry", "-q", "1", "-l", "-d", "-V", "mqttv311" })
            {
                start.ArgumentList.Add(argument);
            }

            return new FieldPublisher(Process.Start(start)!);
        }

        public async Task SendAsync(string line)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync(line);
                await _process.StandardInput.FlushAsync();
            }
            catch (IOException)
            {
                // The gateway went away and mosquitto_pub with it: later lines are not sent.
            }
        }

        /// <summary>Closes its input, waits for it to finish, returns the acknowledged message ids.</summary>
        public async Task<List<long>> StopAsync()
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }

            // After the gateway died, mosquitto_pub may keep retrying its unacknowledged messages:
            // what it printed so far (every PUBACK received) is the answer either way.
            using (var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                    await _process.WaitForExitAsync();
                }
            }

            var text = await _output + await _error;
            return [.. PubAck().Matches(text).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        [GeneratedRegex(@"received PUBACK \(Mid: (\d+)")]
        private static partial Regex PubAck();
    }
}
