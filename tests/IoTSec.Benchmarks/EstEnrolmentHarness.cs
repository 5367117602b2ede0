using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Tpm;
using IoTSec.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IoTSec.Benchmarks;

/// <summary>
/// A Stopwatch harness (not BenchmarkDotNet: one run is thousands of TLS connections against a
/// live server, not a microbenchmark) for the EST service: bare mutual-TLS handshakes per second
/// against the service's Kestrel listener, then enrolments per second over mutual TLS (each
/// device on its own connection with its birth certificate), with the DeviceCa key in software
/// or in the software TPM.
/// <code>
/// dotnet run -c Release --project tests/IoTSec.Benchmarks -- est [--devices 1000] [--parallelism 32]
///     [--handshakes 2000] [--key-store software|tpm] [--data-dir DIR] [--signing-slots 4] [--queue-limit 10000]
///     [--handshake-certificates one|each] [--steps 200]
/// </code>
/// Both phases use TLS 1.2, what the devices speak. --data-dir puts the inventory and audit log
/// elsewhere (e.g. /dev/shm, to see what the durable commits cost). --steps N times each step of
/// the service's work on its own afterwards (<see cref="EstEnrolmentSteps"/>; 0 skips it).
/// </summary>
internal static class EstEnrolmentHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = Settings.Parse(args);
        var work = Path.Combine(settings.DataDirectory ?? Path.GetTempPath(), "iotsec-est-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        SoftwareTpm? tpm = null;
        try
        {
            using var keyStore = OpenKeyStore(settings.KeyStore, work, out tpm);
            keyStore.Create(GatewayKeyRole.DeviceCa);
            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            using var root = OfflineRootAuthority.CreateRootCertificate(rootKey, OfflineRootAuthority.DefaultSubject("Bench Root"));
            var csr = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(keyStore, GatewayIntermediateRequest.DefaultSubject("bench")));
            using var intermediate = OfflineRootAuthority.SignGatewayIntermediate(root, rootKey, csr);
            using var authority = GatewayCertificateAuthority.Create(root, intermediate, keyStore.Open(GatewayKeyRole.DeviceCa));
            var issuer = new DeviceCertificateIssuer(authority);
            using var birthKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var birthCa = BirthCa(birthKey);
            using var audit = AuditLog.Open(Path.Combine(work, "audit.db"), Path.Combine(work, "audit-anchor.db"));
            using var inventory = DeviceInventory.Open(Path.Combine(work, "inventory.db"), audit: audit);

            var builder = EstWebApplication.CreateBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Error);
            builder.Services.AddSingleton(audit);
            builder.Services.AddSingleton(inventory);
            builder.Services.AddSingleton(issuer);
            builder.Services.AddSingleton(_ => new ServerCertificateRotator(issuer));
            builder.Services.AddSingleton(_ => HeartbeatSecret.FromBytes(RandomNumberGenerator.GetBytes(32)));
            builder.Services.AddSingleton(new BirthCertificateValidator([birthCa]));
            builder.Services.Configure<EstOptions>(options =>
            {
                options.Port = 0;
                options.EnrolmentInterval = TimeSpan.Zero;
                options.SigningSlots = settings.SigningSlots;
                options.QueueLimit = settings.QueueLimit;
                options.MaxConnections = Math.Max(4096, settings.Parallelism * 2);
            });
            builder.Services.AddEstService();
            await using var app = builder.Build();
            app.MapEst();
            await app.StartAsync();
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;

            Console.WriteLine($"EST harness: key store {keyStore.Backend}, data in {work}, {Environment.ProcessorCount} cores, TLS 1.2");
            var ids = Enumerable.Range(0, settings.Devices).Select(i => "bench-" + i.ToString("D6", CultureInfo.InvariantCulture)).ToArray();
            var births = ids.ToDictionary(id => id, id => Birth(birthCa, birthKey, id));
            // In batches: one registration's audit entry lists its devices, and an entry is at most 64 KiB.
            foreach (var batch in births.Chunk(1000))
            {
                inventory.Register(batch.Select(pair => new DeviceImportEntry(pair.Key, "bench", Fingerprint(pair.Value))).ToList(), "bench");
            }

            // Warm-up: JIT, the first server certificate, connection setup paths.
            using (var warm = Birth(birthCa, birthKey, "warm-up"))
            {
                for (var i = 0; i < 20; i++)
                {
                    await HandshakeAsync(port, root, warm);
                }
            }

            var handshakes = await MeasureAsync(settings.Handshakes, settings.Parallelism, i => HandshakeAsync(port, root, settings.EachDeviceHandshakes ? births[ids[i % ids.Length]] : births[ids[0]]));
            Report("bare mTLS handshakes", settings.Handshakes, handshakes);

            // The same connections carrying one HTTP request that costs the server nothing (cacerts):
            // what HTTP adds to the handshake, apart from what an enrolment itself does.
            var requests = await MeasureAsync(settings.Devices, settings.Parallelism, i => CaCertsAsync(port, root, births[ids[i]]));
            Report("cacerts requests", settings.Devices, requests);

            var failures = 0;
            var enrolments = await MeasureAsync(settings.Devices, settings.Parallelism, async i =>
            {
                if (!await EnrolAsync(port, root, ids[i], births[ids[i]]))
                {
                    Interlocked.Increment(ref failures);
                }
            });
            Report("enrolments", settings.Devices, enrolments);
            var queue = app.Services.GetRequiredService<EnrolmentQueue>();
            Console.WriteLine($"  failures {failures}, signing queue high-water {queue.HighWater} (slots {settings.SigningSlots}, limit {settings.QueueLimit})");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  enrolments/s ÷ handshakes/s = {(settings.Devices / enrolments.TotalSeconds) / (settings.Handshakes / handshakes.TotalSeconds):F2}; CPU per handshake ÷ CPU per enrolment = {(handshakes.Cpu.TotalMilliseconds / settings.Handshakes) / (enrolments.Cpu.TotalMilliseconds / settings.Devices):F2}"));
            await app.StopAsync();
            if (settings.Steps > 0)
            {
                Console.WriteLine("Steps of an enrolment on their own (in process, no TLS, no HTTP):");
                await EstEnrolmentSteps.RunAsync(issuer, inventory, id => Birth(birthCa, birthKey, id), settings.Steps);
            }

            return failures == 0 ? 0 : 1;
        }
        finally
        {
            tpm?.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static IGatewayKeyStore OpenKeyStore(string kind, string work, out SoftwareTpm? tpm)
    {
        tpm = null;
        if (kind == "software")
        {
            return new SoftwareKeyStore(Path.Combine(work, "keys"), allowSoftwareKeys: true);
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the software TPM runs on Linux only");
        }

        tpm = SoftwareTpm.Shared;
        return new TpmKeyStore(new TpmKeyStoreOptions
        {
            Tcti = tpm.Tcti,
            IdentityHandle = tpm.NewPersistentHandle(),
            DeviceCaHandle = tpm.NewPersistentHandle(),
        });
    }

    private static async Task<Measurement> MeasureAsync(int count, int parallelism, Func<int, Task> operation)
    {
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) => await operation(i));
        var elapsed = clock.Elapsed;
        self.Refresh();
        return new Measurement(elapsed, self.TotalProcessorTime - cpuBefore);
    }

    // CPU time per operation (client and server, this process; the software TPM's processes
    // are apart) is the figure the machine's other load disturbs least.
    private static void Report(string what, int count, Measurement measured) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-22} {count,7} in {measured.Elapsed.TotalSeconds,7:F2} s = {count / measured.Elapsed.TotalSeconds,8:F0}/s, CPU {measured.Cpu.TotalMilliseconds / count,5:F2} ms each"));

    private sealed record Measurement(TimeSpan Elapsed, TimeSpan Cpu)
    {
        public double TotalSeconds => Elapsed.TotalSeconds;
    }

    // Connect, complete the handshake (the server has judged the client certificate once a
    // TLS 1.2 handshake returns), close.
    private static async Task HandshakeAsync(int port, X509Certificate2 root, X509Certificate2 client)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(socket.GetStream());
        await tls.AuthenticateAsClientAsync(ClientTls(root, client));
    }

    private static async Task CaCertsAsync(int port, X509Certificate2 root, X509Certificate2 device)
    {
        using var client = new HttpClient(new SocketsHttpHandler { SslOptions = ClientTls(root, device) })
        {
            BaseAddress = new Uri($"https://127.0.0.1:{port}"),
        };
        using var response = await client.GetAsync(EstProtocol.CaCertsPath);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<bool> EnrolAsync(int port, X509Certificate2 root, string deviceId, X509Certificate2 birth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=" + deviceId, key, HashAlgorithmName.SHA256).CreateSigningRequest();
        using var client = new HttpClient(new SocketsHttpHandler { SslOptions = ClientTls(root, birth) })
        {
            BaseAddress = new Uri($"https://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromMinutes(5),
        };
        using var content = new StringContent(Convert.ToBase64String(csr));
        content.Headers.ContentType = new MediaTypeHeaderValue(EstProtocol.Pkcs10MediaType);
        using var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, content);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }

        Console.Error.WriteLine($"{deviceId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return false;
    }

    private static SslClientAuthenticationOptions ClientTls(X509Certificate2 root, X509Certificate2 client)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(root);
        return new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificateContext = SslStreamCertificateContext.Create(client, null, offline: true),
            CertificateChainPolicy = policy,
            EnabledSslProtocols = SslProtocols.Tls12,
        };
    }

    private static X509Certificate2 BirthCa(ECDsa key)
    {
        var request = new CertificateRequest("CN=Bench Birth CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    private static X509Certificate2 Birth(X509Certificate2 ca, ECDsa caKey, string deviceId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + deviceId, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    private sealed record Settings(int Devices, int Parallelism, int Handshakes, string KeyStore, string? DataDirectory, int SigningSlots, int QueueLimit, bool EachDeviceHandshakes, int Steps)
    {
        public static Settings Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }

            int Int(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
            var keyStore = values.GetValueOrDefault("key-store", "software");
            if (keyStore is not ("software" or "tpm"))
            {
                throw new ArgumentException("--key-store is software or tpm");
            }

            // "one": every bare handshake with the first device's certificate (the figures in
            // docs/protocols/est.md); "each": each device's own, as the enrolments do, so that the
            // client side's per-certificate TLS setup is in both phases.
            var handshakeCertificates = values.GetValueOrDefault("handshake-certificates", "one");
            if (handshakeCertificates is not ("one" or "each"))
            {
                throw new ArgumentException("--handshake-certificates is one or each");
            }

            return new Settings(
                Int("devices", 1000), Int("parallelism", 32), Int("handshakes", 2000), keyStore,
                values.GetValueOrDefault("data-dir"), Int("signing-slots", 4), Int("queue-limit", 10_000), handshakeCertificates == "each", Int("steps", 200));
        }
    }
}
