using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>
/// Debian's mosquitto_pub and mosquitto_sub as foreign devices: MQTT over TLS with a client
/// certificate, trusting only the offline root and checking the server's name (127.0.0.1 is in
/// the gateway certificate's IP addresses).
/// </summary>
internal static class MosquittoClient
{
    public static string PublishTool => RequiredComponent.Executable("mosquitto_pub", "mosquitto-clients");

    public static string SubscribeTool => RequiredComponent.Executable("mosquitto_sub", "mosquitto-clients");

    /// <summary>Connection arguments for <paramref name="device"/> (none: no client certificate) with client id <paramref name="clientId"/>.</summary>
    public static List<string> ConnectionArguments(BrokerTestGateway gateway, DeviceCredentials? device, string clientId) =>
        ConnectionArguments(gateway.Port, gateway.RootFile, device, clientId);

    /// <summary>Connection arguments for a broker on <paramref name="port"/> whose chain ends at <paramref name="rootFile"/> (a real daemon).</summary>
    public static List<string> ConnectionArguments(int port, string rootFile, DeviceCredentials? device, string clientId)
    {
        var arguments = new List<string>
        {
            "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
            "--cafile", rootFile, "-i", clientId,
        };
        if (device is not null)
        {
            arguments.AddRange(["--cert", device.CertificateFile, "--key", device.KeyFile]);
        }

        return arguments;
    }

    /// <summary>Publishes one QoS 1 message of <paramref name="text"/>; returns the exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> PublishAsync(
        BrokerTestGateway gateway, DeviceCredentials? device, string clientId, string topic, string text, params string[] extra)
    {
        var arguments = ConnectionArguments(gateway, device, clientId);
        arguments.AddRange(["-t", topic, "-m", text, "-q", "1", "-V", "mqttv311"]);
        arguments.AddRange(extra);
        using var process = Start(PublishTool, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>
    /// mosquitto_rr (MQTT 5): subscribes to <paramref name="responseTopic"/>, publishes
    /// <paramref name="text"/> on <paramref name="topic"/> and waits up to <paramref name="timeout"/>
    /// for one message, printed as "&lt;topic&gt; &lt;hex payload&gt;". One client, one session.
    /// </summary>
    public static Task<(int ExitCode, string Output)> RequestAsync(
        BrokerTestGateway gateway, DeviceCredentials device, string topic, string text, string responseTopic, TimeSpan timeout) =>
        RequestAsync(ConnectionArguments(gateway, device, device.DeviceId), ["-m", text], topic, responseTopic, timeout);

    /// <summary>
    /// mosquitto_rr as <see cref="RequestAsync(BrokerTestGateway, DeviceCredentials, string, string, string, TimeSpan)"/>,
    /// with the connection arguments and the payload arguments (<c>-m TEXT</c> or <c>-f FILE</c>) given.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RequestAsync(
        List<string> connection, string[] payload, string topic, string responseTopic, TimeSpan timeout)
    {
        var tool = RequiredComponent.Executable("mosquitto_rr", "mosquitto-clients");
        var arguments = new List<string>(connection);
        arguments.AddRange(payload);
        arguments.AddRange([
            "-t", topic, "-e", responseTopic, "-q", "1",
            "-W", ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture), "-F", "%t %x"]);
        using var process = Start(tool, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts mosquitto_sub on <paramref name="topicFilter"/> and waits for its SUBACK.</summary>
    public static Task<Subscriber> SubscribeAsync(BrokerTestGateway gateway, DeviceCredentials device, string topicFilter) =>
        SubscribeAsync(ConnectionArguments(gateway, device, device.DeviceId), topicFilter);

    /// <summary>Starts mosquitto_sub with <paramref name="connection"/> arguments on <paramref name="topicFilter"/> and waits for its SUBACK.</summary>
    public static async Task<Subscriber> SubscribeAsync(List<string> connection, string topicFilter)
    {
        var arguments = new List<string>(connection);

        // -d prints the protocol exchange (SUBACK tells when the subscription stands);
        // messages are printed as "MSG <topic> <hex payload>" ("@" is a format escape) to tell them apart.
        arguments.AddRange(["-t", topicFilter, "-q", "1", "-d", "-F", "MSG %t %x", "-V", "mqttv311"]);
        // stdbuf: mosquitto_sub writes through stdio, which buffers a pipe in blocks; line
        // buffering lets the test see each line as it is printed.
        arguments.InsertRange(0, ["-oL", SubscribeTool]);
        var subscriber = new Subscriber(Start(RequiredComponent.Executable("stdbuf", "coreutils"), arguments));
        await subscriber.WaitForLineAsync(line => line.Contains("received SUBACK", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        return subscriber;
    }

    /// <summary>Starts <paramref name="tool"/> with <paramref name="arguments"/>, standard streams redirected.</summary>
    public static Process Start(string tool, List<string> arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>A running mosquitto_sub and the lines it printed.</summary>
    internal sealed class Subscriber : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<string> _lines = [];
        private readonly List<string> _seen = [];

        public Subscriber(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public bool HasExited => _process.HasExited;

        /// <summary>Everything printed so far (for failure messages).</summary>
        public string Transcript
        {
            get
            {
                lock (_seen)
                {
                    return string.Join("\n", _seen);
                }
            }
        }

        /// <summary>Waits for a line matching <paramref name="match"/>; fails the test after <paramref name="timeout"/>.</summary>
        public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    Assert.Fail("mosquitto_sub printed no matching line in time; transcript:\n" + Transcript);
                }

                var line = await Task.Run(() => _lines.TryTake(out var next, left) ? next : null);
                if (line is not null && match(line))
                {
                    return line;
                }
            }
        }

        /// <summary>The next message line ("MSG topic hex") within <paramref name="timeout"/>.</summary>
        public Task<string> NextMessageAsync(TimeSpan timeout) => WaitForLineAsync(line => line.StartsWith("MSG ", StringComparison.Ordinal), timeout);

        /// <summary>Waits until the process exits; false when it is still running after <paramref name="timeout"/>.</summary>
        public async Task<bool> WaitForExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }

            _process.Dispose();
            _lines.Dispose();
        }

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_seen)
            {
                _seen.Add(line);
            }

            if (!_lines.IsAddingCompleted)
            {
                _lines.Add(line);
            }
        }
    }
}
