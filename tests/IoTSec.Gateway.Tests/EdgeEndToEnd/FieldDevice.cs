using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Tests.Broker;
using IoTSec.Gateway.Tests.Est;
using IoTSec.Gateway.Tests.Posture;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Topics;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.EdgeEndToEnd;

/// <summary>
/// A device as the gateway sees it from outside: the identity <c>dev issue-cert</c> wrote, its
/// heartbeat key fetched by curl from the EST heartbeat-key endpoint over mutual TLS, heartbeats
/// built with the shared protocol code and published by Debian's mosquitto clients.
/// </summary>
internal sealed class FieldDevice
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    private readonly EdgeGateway _gateway;
    private SimulatedDevice? _heartbeats;

    public FieldDevice(EdgeGateway gateway, string deviceId)
    {
        _gateway = gateway;
        DeviceId = deviceId;
        Directory = gateway.DeviceDirectory(deviceId);
        var certificateFile = Path.Combine(Directory, deviceId + ".pem");
        Credentials = new DeviceCredentials(
            deviceId, X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile)), certificateFile, Path.Combine(Directory, deviceId + ".key.pem"));
        Topics = new DeviceTopics(deviceId);
    }

    public string DeviceId { get; }

    public string Directory { get; }

    public DeviceCredentials Credentials { get; }

    public DeviceTopics Topics { get; }

    public string RootFile => Path.Combine(Directory, "ca.pem");

    /// <summary>The heartbeat chain (key, sequence, previous link); null until <see cref="FetchHeartbeatKey"/>.</summary>
    public SimulatedDevice Heartbeats => _heartbeats ?? throw new InvalidOperationException("fetch the heartbeat key first");

    /// <summary>mosquitto connection arguments with this device's certificate and its own id as client id.</summary>
    public List<string> Connection => MosquittoClient.ConnectionArguments(_gateway.BrokerPort, RootFile, Credentials, DeviceId);

    /// <summary>
    /// POST /.well-known/iotsec/v1/heartbeat-key with curl and the operational certificate,
    /// decoded by the shared code against the certificate's own serial (as firmware does).
    /// </summary>
    public void FetchHeartbeatKey(byte[] firmwareDigest)
    {
        var curl = RequiredComponent.Executable("curl", "curl");
        var body = Path.Combine(Directory, "heartbeat-key.cbor");
        var result = ProcessTool.Run(curl, Directory,
            "-sS", "--cacert", "ca.pem", "--cert", DeviceId + ".pem", "--key", DeviceId + ".key.pem",
            "-X", HeartbeatKeyExchange.Method, "-H", "Accept: " + HeartbeatKeyExchange.ContentType,
            "-o", body, "-w", "%{http_code}",
            $"https://127.0.0.1:{_gateway.EstPort}{HeartbeatKeyExchange.Path}");
        Assert.AreEqual("200", result.Output, $"heartbeat-key for {DeviceId}: curl exit {result.ExitCode} {result.Error}");
        var response = HeartbeatKeyResponse.Decode(File.ReadAllBytes(body), Credentials.Certificate.SerialNumberBytes.ToArray());
        _heartbeats = new SimulatedDevice(DeviceId, response.GetKey(), firmwareDigest);
    }

    /// <summary>
    /// Publishes <paramref name="heartbeat"/> on the device's heartbeat topic from a session
    /// subscribed to its down/hb-ack (openssl s_client with the device certificate, see
    /// <see cref="OpensslMqttSession"/>) and returns the acknowledgement received there, verified
    /// under the device's key; null when none came within <paramref name="wait"/>. With
    /// <paramref name="before"/>, those payloads go first on the same session: the gateway handles
    /// one session's messages in order, so the first acknowledgement then shows which of them got one.
    /// </summary>
    public async Task<HeartbeatAck?> PublishHeartbeatAsync(byte[] heartbeat, TimeSpan wait, params byte[][] before)
    {
        using var session = await OpensslMqttSession.ConnectAsync(
            _gateway.BrokerPort, RootFile, Credentials.CertificateFile, Credentials.KeyFile, DeviceId, Topics.HeartbeatAck, ClientTimeout);
        foreach (var payload in before)
        {
            await session.PublishAsync(Topics.Heartbeat, payload, ClientTimeout);
        }

        await session.PublishAsync(Topics.Heartbeat, heartbeat, ClientTimeout);
        var message = await session.NextMessageAsync(wait);
        if (message is null)
        {
            return null;
        }

        Assert.AreEqual(Topics.HeartbeatAck, message.Value.Topic);
        return HeartbeatAck.Decode(message.Value.Payload, Heartbeats.Key);
    }

    /// <summary>
    /// One MQTT 5 QoS 1 publish of <paramref name="payload"/> on <paramref name="topic"/> with
    /// mosquitto_pub -d; returns the PUBACK reason code the gateway answered (0 accepted, 135 not
    /// authorized) and the transcript.
    /// </summary>
    public async Task<(int ReasonCode, string Output)> PublishAsync(string topic, byte[] payload)
    {
        var file = WritePayload("payload", payload);
        var (exitCode, output) = await PublishWithArgumentsAsync(["-t", topic, "-f", file]);
        var codes = PubAckCodes(output);
        Assert.HasCount(1, codes, $"exit {exitCode}: one PUBACK expected:\n{output}");
        return (codes[0], output);
    }

    /// <summary>mosquitto_pub -l (MQTT 5, QoS 1, -d): each line of <paramref name="lines"/> one message on one connection.</summary>
    public Task<(int ExitCode, string Output)> PublishLinesAsync(string topic, IEnumerable<string> lines) =>
        PublishWithArgumentsAsync(["-t", topic, "-l"], string.Join("\n", lines) + "\n");

    /// <summary>The reason codes of the PUBACKs in a mosquitto_pub -d transcript, in order.</summary>
    public static List<int> PubAckCodes(string transcript)
    {
        var codes = new List<int>();
        foreach (var line in transcript.Split('\n'))
        {
            var at = line.IndexOf("received PUBACK", StringComparison.Ordinal);
            var rc = line.IndexOf("RC:", StringComparison.Ordinal);
            if (at >= 0 && rc > at)
            {
                codes.Add(int.Parse(line[(rc + 3)..].TrimEnd(')', '\r', ' '), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return codes;
    }

    /// <summary>mosquitto_pub (MQTT 5, QoS 1, -d) with <paramref name="message"/> arguments, optionally fed <paramref name="input"/>; exit code and transcript.</summary>
    public async Task<(int ExitCode, string Output)> PublishWithArgumentsAsync(string[] message, string? input = null)
    {
        var arguments = Connection;
        arguments.AddRange(message);
        arguments.AddRange(["-q", "1", "-V", "mqttv5", "-d"]);
        var start = new System.Diagnostics.ProcessStartInfo(MosquittoClient.PublishTool)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(ClientTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private string WritePayload(string name, byte[] payload)
    {
        var file = Path.Combine(Directory, $"{name}-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(file, payload);
        return file;
    }
}
