using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Segmentation;
using IoTSec.Testing;

namespace IoTSec.Gateway.Tests.Segmentation;

/// <summary>
/// Four real network namespaces linked by veth pairs, as the segmentation test policy
/// describes them:
/// <code>
///  device-a 10.20.1.2 ──(iot-a 10.20.1.1)─┐
///                                        gateway ──(up0 10.30.0.1)── upstream 10.30.0.10, .11, .20
///  device-b 10.20.2.2 ──(iot-b 10.20.2.1)─┘
/// </code>
/// The gateway routes between them (ip_forward). socat listeners answer with their own name:
/// on the gateway at 8443/8444/8883/2222, upstream at 443/8080/8883 (all its addresses) and
/// udp 123 (at 10.30.0.20), and on each device at 9000; over IPv6 (device-a 2001:db8:1::2,
/// upstream 2001:db8:30::10 and ::11) the gateway at 8883/2222 and upstream at 443 ("gw6-", "up6-"). Names carry this process's id; a lab left behind by
/// a killed run is removed by the next one. Dispose kills the listeners and deletes the
/// namespaces (which deletes the veths), whatever the tests did.
/// </summary>
internal sealed class NetworkNamespaceLab : IDisposable
{
    private const string Prefix = "iotsec-seg-";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);
    private readonly List<Process> _listeners = [];
    private readonly List<string> _namespaces = [];

    private NetworkNamespaceLab()
    {
        var id = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        DeviceA = Prefix + id + "-da";
        DeviceB = Prefix + id + "-db";
        Gateway = Prefix + id + "-gw";
        Upstream = Prefix + id + "-up";
        Nft = new NftablesCommand(["ip", "netns", "exec", Gateway, "nft"]);
    }

    public string DeviceA { get; }

    public string DeviceB { get; }

    public string Gateway { get; }

    public string Upstream { get; }

    /// <summary>nft inside the gateway namespace only.</summary>
    public NftablesCommand Nft { get; }

    public static NetworkNamespaceLab Create()
    {
        RequiredComponent.Root();
        RequiredComponent.Executable("ip", "iproute2");
        RequiredComponent.Executable("nft", "nftables");
        RequiredComponent.Executable("socat", "socat");
        SweepAbandoned();
        var lab = new NetworkNamespaceLab();
        try
        {
            lab.Build();
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a TCP connection from <paramref name="ns"/> and returns what the listener said,
    /// or null when no connection was made within a second (dropped).
    /// </summary>
    public async Task<string?> TcpAsync(string ns, string address, int port)
    {
        var target = address.Contains(':', StringComparison.Ordinal) ? $"TCP6:[{address}]:{port}" : $"TCP:{address}:{port}";
        var (code, output, _) = await RunAsync(["ip", "netns", "exec", ns, "socat", "-u", target + ",connect-timeout=1", "STDOUT"]).ConfigureAwait(false);
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>Sends one UDP datagram from <paramref name="ns"/> and returns the answer, or null when none came to three tries of two seconds each.</summary>
    public async Task<string?> UdpAsync(string ns, string address, int port)
    {
        // UDP has no handshake to retry for us: a datagram or its answer can be lost on a
        // loaded machine, so an allowed flow gets three tries before it counts as dropped.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (code, output, _) = await RunAsync(["ip", "netns", "exec", ns, "sh", "-c", $"echo ping | socat -t2 -T2 - UDP:{address}:{port}"]).ConfigureAwait(false);
            if (code == 0 && output.Trim().Length > 0)
            {
                return output.Trim();
            }
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var listener in _listeners)
        {
            try
            {
                listener.Kill(entireProcessTree: true);
                listener.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            listener.Dispose();
        }

        foreach (var ns in _namespaces)
        {
            Run(["ip", "netns", "delete", ns], check: false);
        }
    }

    private static void SweepAbandoned()
    {
        var (_, list, _) = Run(["ip", "netns", "list"], check: false);
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = line.Split(' ')[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var pid = name[Prefix.Length..].Split('-')[0];
            if (!Directory.Exists("/proc/" + pid))
            {
                Run(["ip", "netns", "delete", name], check: false);
            }
        }
    }

    private void Build()
    {
        foreach (var ns in new[] { DeviceA, DeviceB, Gateway, Upstream })
        {
            Run(["ip", "netns", "add", ns]);
            _namespaces.Add(ns);
            In(ns, "ip", "link", "set", "lo", "up");
        }

        Link(DeviceA, "iot-a", "10.20.1.1/24", "10.20.1.2/24");
        Link(DeviceB, "iot-b", "10.20.2.1/24", "10.20.2.2/24");
        Link(Upstream, "up0", "10.30.0.1/24", "10.30.0.10/24");
        In(Upstream, "ip", "addr", "add", "10.30.0.11/24", "dev", "eth0");
        In(Upstream, "ip", "addr", "add", "10.30.0.20/24", "dev", "eth0");
        In(DeviceA, "ip", "route", "add", "default", "via", "10.20.1.1");
        In(DeviceB, "ip", "route", "add", "default", "via", "10.20.2.1");
        In(Upstream, "ip", "route", "add", "10.20.0.0/16", "via", "10.30.0.1");
        In(Gateway, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");

        // IPv6 on device-a's segment and upstream; nodad: usable at once, not after duplicate detection.
        In(Gateway, "ip", "-6", "addr", "add", "2001:db8:1::1/64", "dev", "iot-a", "nodad");
        In(DeviceA, "ip", "-6", "addr", "add", "2001:db8:1::2/64", "dev", "eth0", "nodad");
        In(Gateway, "ip", "-6", "addr", "add", "2001:db8:30::1/64", "dev", "up0", "nodad");
        In(Upstream, "ip", "-6", "addr", "add", "2001:db8:30::10/64", "dev", "eth0", "nodad");
        In(Upstream, "ip", "-6", "addr", "add", "2001:db8:30::11/64", "dev", "eth0", "nodad");
        In(DeviceA, "ip", "-6", "route", "add", "default", "via", "2001:db8:1::1");
        In(Upstream, "ip", "-6", "route", "add", "2001:db8:1::/64", "via", "2001:db8:30::1");
        In(Gateway, "sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");

        foreach (var port in new[] { 8443, 8444, 8883, 2222 })
        {
            TcpListener(Gateway, port);
        }

        foreach (var port in new[] { 443, 8080, 8883 })
        {
            TcpListener(Upstream, port);
        }

        // Bound to the time endpoint's own address: a wildcard UDP socket would answer from the
        // interface's primary address (10.30.0.10), which the client's connected socket ignores.
        UdpListener(Upstream, "10.30.0.20", 123);
        foreach (var port in new[] { 8883, 2222 })
        {
            Listen(Gateway, $"TCP6-LISTEN:{port},fork,reuseaddr,ipv6only=1", $"SYSTEM:echo gw6-{port}");
        }

        Listen(Upstream, "TCP6-LISTEN:443,fork,reuseaddr,ipv6only=1", "SYSTEM:echo up6-443");
        TcpListener(DeviceA, 9000);
        TcpListener(DeviceB, 9000);
    }

    private void Link(string device, string gatewaySide, string gatewayAddress, string deviceAddress)
    {
        In(Gateway, "ip", "link", "add", gatewaySide, "type", "veth", "peer", "name", "eth0", "netns", device);
        In(Gateway, "ip", "addr", "add", gatewayAddress, "dev", gatewaySide);
        In(Gateway, "ip", "link", "set", gatewaySide, "up");
        In(device, "ip", "addr", "add", deviceAddress, "dev", "eth0");
        In(device, "ip", "link", "set", "eth0", "up");
    }

    private void TcpListener(string ns, int port) =>
        Listen(ns, $"TCP-LISTEN:{port},fork,reuseaddr", $"SYSTEM:echo {Role(ns)}-{port}");

    private void UdpListener(string ns, string address, int port) =>
        Listen(ns, $"UDP-RECVFROM:{port},bind={address},fork", $"SYSTEM:echo {Role(ns)}-udp-{port}");

    private void Listen(string ns, string address, string answer)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", ns, "socat", address, answer })
        {
            start.ArgumentList.Add(argument);
        }

        _listeners.Add(Process.Start(start) ?? throw new InvalidOperationException("socat did not start"));
    }

    private string Role(string ns) => ns[(ns.LastIndexOf('-') + 1)..];

    private static void In(string ns, params string[] command) => Run(["ip", "netns", "exec", ns, .. command]);

    private static (int Code, string Output, string Error) Run(string[] command, bool check = true)
    {
        var task = RunAsync(command);
        if (!task.Wait(CommandTimeout))
        {
            throw new TimeoutException(string.Join(' ', command) + " did not finish");
        }

        var result = task.Result;
        if (check && result.Code != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({result.Code}): {result.Error}");
        }

        return result;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        for (var i = 1; i < command.Length; i++)
        {
            start.ArgumentList.Add(command[i]);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(command[0] + " did not start");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(string.Join(' ', command) + " did not finish");
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
