using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.EdgeEndToEnd;

/// <summary>
/// One MQTT 3.1.1 session that both subscribes and publishes binary payloads, carried by
/// Debian's <c>openssl s_client</c> with the device's certificate (the TLS is openssl's; the few
/// MQTT packets are written here, MQTT 3.1.1 §3).
/// </summary>
/// <remarks>
/// Why not mosquitto_sub plus mosquitto_pub: the gateway takes the client id from the
/// certificate, so a second connection of the same device takes the first one's session over
/// (MQTT 3.1.1 §3.1.4) and the subscriber never sees the hb-ack. mosquitto_rr would be one
/// session, but Debian 12's mosquitto_rr 2.0.11 publishes an empty payload for <c>-f</c> and
/// <c>-s</c> (checked against a local mosquitto), and a heartbeat is binary.
/// </remarks>
internal sealed class OpensslMqttSession : IDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly List<(byte Type, byte Flags, byte[] Body)> _received = [];
    private readonly StringBuilder _stderr = new();
    private ushort _nextPacketId = 1;
    private volatile bool _closed;

    private OpensslMqttSession(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _ = Task.Run(ReadPacketsAsync);
    }

    /// <summary>openssl's diagnostics (handshake, verification), for failure messages.</summary>
    public string Diagnostics
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Connects (TLS with the client certificate, then CONNECT as <paramref name="clientId"/>) and subscribes to <paramref name="topicFilter"/> at QoS 1.</summary>
    public static async Task<OpensslMqttSession> ConnectAsync(
        int port, string rootFile, string certificateFile, string keyFile, string clientId, string topicFilter, TimeSpan timeout)
    {
        var openssl = RequiredComponent.Executable("openssl", "openssl");
        var start = new ProcessStartInfo(openssl)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "s_client", "-connect", $"127.0.0.1:{port}", "-CAfile", rootFile, "-verify_return_error", "-verify_ip", "127.0.0.1",
            "-cert", certificateFile, "-key", keyFile, "-quiet",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var session = new OpensslMqttSession(Process.Start(start)!);
        try
        {
            var id = Encoding.UTF8.GetBytes(clientId);
            var connect = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0, 60 };
            AddString(connect, id);
            await session.SendAsync(0x10, connect);
            var connack = await session.ExpectAsync(0x2, timeout);
            Assert.AreEqual(0, connack[1], "CONNACK return code");

            var subscribe = new List<byte>();
            AddPacketId(subscribe, session._nextPacketId++);
            AddString(subscribe, Encoding.UTF8.GetBytes(topicFilter));
            subscribe.Add(1);
            await session.SendAsync(0x82, subscribe);
            var suback = await session.ExpectAsync(0x9, timeout);
            Assert.AreEqual(1, suback[2], "SUBACK granted QoS 1");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Publishes <paramref name="payload"/> at QoS 1 and waits for its PUBACK.</summary>
    public async Task PublishAsync(string topic, byte[] payload, TimeSpan timeout)
    {
        var packet = new List<byte>();
        AddString(packet, Encoding.UTF8.GetBytes(topic));
        AddPacketId(packet, _nextPacketId++);
        packet.AddRange(payload);
        await SendAsync(0x32, packet);
        await ExpectAsync(0x4, timeout);
    }

    /// <summary>The next PUBLISH the gateway sends (acknowledged when QoS 1); null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<(string Topic, byte[] Payload)?> NextMessageAsync(TimeSpan timeout)
    {
        var packet = await TakeAsync(0x3, timeout);
        if (packet is null)
        {
            return null;
        }

        var (flags, body) = packet.Value;
        var topicLength = (body[0] << 8) | body[1];
        var topic = Encoding.UTF8.GetString(body, 2, topicLength);
        var at = 2 + topicLength;
        if (((flags >> 1) & 3) > 0)
        {
            await SendAsync(0x40, [body[at], body[at + 1]]);
            at += 2;
        }

        return (topic, body[at..]);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void AddString(List<byte> packet, byte[] text)
    {
        packet.Add((byte)(text.Length >> 8));
        packet.Add((byte)text.Length);
        packet.AddRange(text);
    }

    private static void AddPacketId(List<byte> packet, ushort id)
    {
        packet.Add((byte)(id >> 8));
        packet.Add((byte)id);
    }

    private async Task SendAsync(byte header, IReadOnlyList<byte> body)
    {
        var packet = new List<byte> { header };
        var length = body.Count;
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            packet.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);
        packet.AddRange(body);
        await _input.WriteAsync(packet.ToArray());
        await _input.FlushAsync();
    }

    /// <summary>Waits for a packet of <paramref name="type"/>; fails the test when none comes in time.</summary>
    private async Task<byte[]> ExpectAsync(byte type, TimeSpan timeout)
    {
        var packet = await TakeAsync(type, timeout);
        Assert.IsNotNull(packet, $"no MQTT packet of type {type} from the gateway within {timeout}; openssl said:\n{Diagnostics}");
        return packet.Value.Body;
    }

    /// <summary>Removes and returns the first received packet of <paramref name="type"/> (packets of other types stay, in order).</summary>
    private async Task<(byte Flags, byte[] Body)?> TakeAsync(byte type, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_received)
            {
                var index = _received.FindIndex(p => p.Type == type);
                if (index >= 0)
                {
                    var packet = _received[index];
                    _received.RemoveAt(index);
                    return (packet.Flags, packet.Body);
                }
            }

            if (DateTime.UtcNow > deadline || _closed)
            {
                return null;
            }

            await Task.Delay(10);
        }
    }

    private async Task ReadPacketsAsync()
    {
        var output = _process.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                var header = await ReadByteAsync(output);
                var length = 0;
                var multiplier = 1;
                byte digit;
                do
                {
                    digit = await ReadByteAsync(output);
                    length += (digit & 0x7F) * multiplier;
                    multiplier *= 128;
                }
                while ((digit & 0x80) != 0);
                var body = new byte[length];
                await output.ReadExactlyAsync(body);
                lock (_received)
                {
                    _received.Add(((byte)(header >> 4), (byte)(header & 0x0F), body));
                }
            }
        }
        catch (EndOfStreamException)
        {
            // The gateway (or openssl) closed the connection.
            _closed = true;
        }
    }

    private static async Task<byte> ReadByteAsync(Stream stream)
    {
        var one = new byte[1];
        await stream.ReadExactlyAsync(one);
        return one[0];
    }
}
