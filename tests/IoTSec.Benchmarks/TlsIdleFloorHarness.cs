using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Broker;

namespace IoTSec.Benchmarks;

/// <summary>
/// The per-connection floor of .NET's TLS on this machine, without MQTT or the gateway: a bare
/// <see cref="SslStream"/> server in a child process (mutual TLS, P-256, resumption off,
/// workstation non-concurrent GC, as the daemon) holds N idle connections from this process, each
/// after one 20-byte exchange (as CONNECT and CONNACK), with one pending read as MQTTnet keeps.
/// Printed per connection: resident memory, the managed heap after a full GC and, with
/// <c>--openssl-accounting 1</c>, OpenSSL's own live allocations (the runtime's
/// <c>DOTNET_OPENSSL_MEMORY_DEBUG</c> hook, which itself inflates the RSS: read the two apart)
/// and the largest allocation sites.
/// <code>
/// dotnet run -c Release --project tests/IoTSec.Benchmarks -- tls-floor [--connections 1000]
///     [--release 0|1] [--read 2|0|4096] [--openssl-accounting 0|1] [--protocol 12|13]
/// </code>
/// </summary>
internal static class TlsIdleFloorHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        int Int(string name, int fallback) => options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        var connections = Int("connections", 1000);
        var release = Int("release", 0) == 1;
        var read = Int("read", 2);
        var accounting = Int("openssl-accounting", 0) == 1;
        var protocol = Int("protocol", 12) == 13 ? SslProtocols.Tls13 : SslProtocols.Tls12;
        FileDescriptorLimit.EnsureAtLeast(connections + 1_000);

        var work = Directory.CreateTempSubdirectory("iotsec-tls-floor-").FullName;
        try
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=tls floor CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));
            using var server = Issue(ca, "CN=gateway", "1.3.6.1.5.5.7.3.1");
            using var client = Issue(ca, "CN=bench-00000", "1.3.6.1.5.5.7.3.2");
            File.WriteAllBytes(Path.Combine(work, "server.pfx"), server.Export(X509ContentType.Pkcs12));

            using var child = StartServer(work, release, read, accounting);
            var port = int.Parse(child.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the TLS server exited"), CultureInfo.InvariantCulture);
            string Ask(string command)
            {
                child.StandardInput.WriteLine(command);
                child.StandardInput.Flush();
                return child.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the TLS server exited");
            }

            await Task.Delay(500).ConfigureAwait(false);
            if (accounting)
            {
                Ask("track");
            }

            var before = Sample.Parse(Ask("sample"));
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var streams = await ConnectAsync(port, client, protocol, connections).ConfigureAwait(false);
            await Task.Delay(2000).ConfigureAwait(false);
            var after = Sample.Parse(Ask("sample"));
            if (accounting)
            {
                Ask("sites");
            }

            var openssl = accounting
                ? string.Create(CultureInfo.InvariantCulture, $", OpenSSL {(after.OpenSslKilobytes - before.OpenSslKilobytes) / connections:F1} KB live ({(after.OpenSslAllocations - before.OpenSslAllocations) / (double)connections:F0} allocations made, handshake included)")
                : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bare SslStream server, {connections} idle mTLS connections ({protocol}), pending read of {read} B, SSL_MODE_RELEASE_BUFFERS {(release ? "on" : "off")}{(accounting ? ", OpenSSL accounting on" : string.Empty)}: RSS {(after.ResidentKilobytes - before.ResidentKilobytes) / connections:F1} KB, managed heap after GC {(after.ManagedKilobytes - before.ManagedKilobytes) / connections:F1} KB{openssl} per connection; load average {load} → {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            child.StandardInput.Close();
            if (!child.WaitForExit(10_000))
            {
                child.Kill();
            }

            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The child: <c>tls-floor-serve DIR RELEASE READ</c>. Prints its port, then answers "track", "sample" and "sites".</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var release = args[1] == "1";
        var read = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(args[0], "server.pfx"), null);
        var context = SslStreamCertificateContext.Create(certificate, null);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1024);
        Console.WriteLine(((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture));
        Console.Out.Flush();
        var held = new List<SslStream>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync().ConfigureAwait(false);
                _ = Task.Run(async () =>
                {
                    var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = context,
                        ClientCertificateRequired = true,
                        AllowTlsResume = false,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    }).ConfigureAwait(false);
                    if (release && !TlsRecordBuffers.TryRelease(tls))
                    {
                        await Console.Error.WriteLineAsync("SSL_MODE_RELEASE_BUFFERS could not be set on this runtime").ConfigureAwait(false);
                    }

                    lock (held)
                    {
                        held.Add(tls);
                    }

                    var exchange = new byte[20];
                    await tls.ReadExactlyAsync(exchange).ConfigureAwait(false);
                    await tls.WriteAsync(exchange).ConfigureAwait(false);
                    try
                    {
                        await tls.ReadAsync(new byte[read]).ConfigureAwait(false);
                    }
                    catch (IOException)
                    {
                        // The harness closed the connection.
                    }
                });
            }
        });

        var crypto = typeof(RSA).Assembly.GetType("Interop+Crypto");
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } command)
        {
            switch (command)
            {
                case "track":
                    crypto?.GetMethod("EnableMemoryTracking", BindingFlags.NonPublic | BindingFlags.Static, Type.EmptyTypes)?.Invoke(null, null);
                    Console.WriteLine("ok");
                    break;
                case "sites":
                    await Console.Error.WriteLineAsync(AllocationSites(crypto)).ConfigureAwait(false);
                    Console.WriteLine("ok");
                    break;
                default:
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    var openssl = crypto?.GetMethod("GetOpenSslAllocatedMemory", BindingFlags.NonPublic | BindingFlags.Static)?.Invoke(null, null);
                    var count = crypto?.GetMethod("GetOpenSslAllocationCount", BindingFlags.NonPublic | BindingFlags.Static)?.Invoke(null, null);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{ResidentKilobytes()} {GC.GetTotalMemory(false) / 1024.0} {Convert.ToInt64(openssl, CultureInfo.InvariantCulture) / 1024.0} {Convert.ToInt64(count, CultureInfo.InvariantCulture)}"));
                    break;
            }

            Console.Out.Flush();
        }

        return 0;
    }

    // OpenSSL's live allocations since "track", summed by source line, largest first.
    private static string AllocationSites(Type? crypto)
    {
        var forEach = crypto?.GetMethods(BindingFlags.NonPublic | BindingFlags.Static).FirstOrDefault(m => m.Name == "ForEachTrackedAllocation" && m.GetParameters().Length == 1);
        if (forEach is null)
        {
            return "OpenSSL allocation tracking is not available in this runtime";
        }

        var sites = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        forEach.Invoke(null, [new Action<IntPtr, ulong, IntPtr, int>((_, size, file, line) =>
        {
            var key = (Marshal.PtrToStringUTF8(file) ?? "?") + ":" + line.ToString(CultureInfo.InvariantCulture);
            lock (sites)
            {
                var (count, bytes) = sites.GetValueOrDefault(key);
                sites[key] = (count + 1, bytes + (long)size);
            }
        })]);
        return "OpenSSL live allocations by site (largest 15):\n" + string.Join('\n', sites.OrderByDescending(site => site.Value.Bytes).Take(15)
            .Select(site => string.Create(CultureInfo.InvariantCulture, $"  {site.Value.Bytes / 1024.0,9:F1} KB {site.Value.Count,7}x {site.Key}")));
    }

    private static Process StartServer(string work, bool release, int read, bool accounting)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        start.ArgumentList.Add("tls-floor-serve");
        start.ArgumentList.Add(work);
        start.ArgumentList.Add(release ? "1" : "0");
        start.ArgumentList.Add(read.ToString(CultureInfo.InvariantCulture));
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_gcConcurrent"] = "0";
        if (accounting)
        {
            start.Environment["DOTNET_OPENSSL_MEMORY_DEBUG"] = "1";
        }

        return Process.Start(start)!;
    }

    private static async Task<List<SslStream>> ConnectAsync(int port, X509Certificate2 client, SslProtocols protocol, int connections)
    {
        var streams = new List<SslStream>(connections);
        using var gate = new SemaphoreSlim(16);
        var tasks = new List<Task>(connections);
        for (var i = 0; i < connections; i++)
        {
            tasks.Add(Task.Run(async () =>
            {
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    var tcp = new TcpClient();
                    await tcp.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                    var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = "gateway",
                        ClientCertificates = [client],
                        EnabledSslProtocols = protocol,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    }).ConfigureAwait(false);
                    await tls.WriteAsync(new byte[20]).ConfigureAwait(false);
                    await tls.ReadExactlyAsync(new byte[20]).ConfigureAwait(false);
                    lock (streams)
                    {
                        streams.Add(tls);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return streams;
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static long ResidentKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private readonly record struct Sample(double ResidentKilobytes, double ManagedKilobytes, double OpenSslKilobytes, long OpenSslAllocations)
    {
        public static Sample Parse(string line)
        {
            var parts = line.Split(' ');
            return new Sample(
                double.Parse(parts[0], CultureInfo.InvariantCulture),
                double.Parse(parts[1], CultureInfo.InvariantCulture),
                double.Parse(parts[2], CultureInfo.InvariantCulture),
                long.Parse(parts[3], CultureInfo.InvariantCulture));
        }
    }
}
