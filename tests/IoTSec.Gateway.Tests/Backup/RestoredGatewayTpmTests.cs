using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tests.Daemon;
using IoTSec.Gateway.Tests.Est;
using IoTSec.Gateway.Tests.Inventory;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Gateway.Tests.Tpm;
using IoTSec.Gateway.Tpm;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Backup;

/// <summary>
/// The issue's replacement story with real TPMs: gateway A (in this process, on the shared
/// software TPM, intermediate A) enrols a device and hands it its heartbeat key; A is backed
/// up; gateway B — the real <c>iotsec-gateway</c> in child processes on a NEW software TPM
/// with its own keys and a NEW intermediate B from the same offline root — restores the
/// backup and serves the device without reprovisioning: the device (trusting only the root)
/// accepts B, B accepts the device's old operational certificate, and B derives the same
/// heartbeat key, so the device's next heartbeat verifies and continues its chain.
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class RestoredGatewayTpmTests
{
    private const string DeviceId = "sensor-restore-1";
    private const string Passphrase = "correct horse battery staple";
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task AGatewayRestoredOntoAFreshTpmWithANewIntermediateServesTheOldGatewaysDevice()
    {
        SoftwareTpm.RequireOpenSslProvider();
        RequiredComponent.Executable("dotnet", "the .NET SDK (https://dot.net)");
        using var fleet = BackupFleet.Create("Restore Fleet Root");
        var work = TempDirectory.Create("iotsec-restore-tpm");
        var dataA = Path.Combine(work, "gateway-a");
        var dataB = Path.Combine(work, "gateway-b");
        Directory.CreateDirectory(dataA);
        var rootPem = Write(work, "root.pem", fleet.Root.Certificate.ExportCertificatePem());
        var recoveryPem = Write(work, "recovery.pem", fleet.RecoveryCertificate.ExportCertificatePem());
        var recoveryKey = Write(work, "recovery-key.pem", fleet.RecoveryKey.ExportEncryptedPkcs8PrivateKeyPem(
            Passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
        var backupFile = Path.Combine(work, "gateway-a.backup");
        try
        {
            // --- Gateway A on the shared software TPM, its intermediate from the root. ---
            using var storeA = TpmTestSupport.NewStoreOnSharedTpm(Path.Combine(dataA, "sealed"));
            storeA.Create(GatewayKeyRole.Identity);
            storeA.Create(GatewayKeyRole.DeviceCa);
            string[] keyArgsA =
            [
                "--tcti", SoftwareTpm.Shared.Tcti,
                "--identity-handle", $"0x{storeA.HandleOf(GatewayKeyRole.Identity):x8}",
                "--device-ca-handle", $"0x{storeA.HandleOf(GatewayKeyRole.DeviceCa):x8}",
            ];
            var csrA = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(storeA, GatewayIntermediateRequest.DefaultSubject("gw-a")));
            using var intermediateA = OfflineRootAuthority.SignGatewayIntermediate(fleet.Root.Certificate, fleet.Root.Key, csrA);
            var intermediateAPem = Write(work, "intermediate-a.pem", intermediateA.ExportCertificatePem());
            var installA = GatewayCli.Run(dataA, ["keys", "install", "--root", rootPem, "--intermediate", intermediateAPem, "--recovery-cert", recoveryPem, .. keyArgsA]);
            Assert.AreEqual(0, installA.ExitCode, installA.ToString());

            X509Certificate2 operational;
            byte[] keyFromA;
            byte[] chainStateAtA;
            HeartbeatFields device;
            await using (var gatewayA = GatewayHost.Build(new GatewayDataDirectory(dataA), DaemonArguments(SoftwareTpm.Shared.Tcti, storeA, port: 0)))
            {
                await gatewayA.StartAsync(TestContext.CancellationToken);
                var portA = new Uri(gatewayA.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
                using var birth = TestBirthAuthority.IssueUnder(fleet.Root.Certificate, fleet.Root.Key, DeviceId);
                gatewayA.Services.GetRequiredService<DeviceInventory>().Register([new DeviceImportEntry(DeviceId, "sensor", ClientIdentity.Fingerprint(birth))], "test");
                operational = await EnrolAsync(portA, fleet.Root.Certificate, birth);
                Assert.AreEqual(intermediateA.Subject, operational.Issuer, "enrolled under A");
                keyFromA = await HeartbeatKeyAsync(portA, fleet.Root.Certificate, operational);

                // The device's first heartbeat, verified by A: the chain A keeps (the posture
                // store's job; here the Protocol verifier's state stands for it).
                device = NewHeartbeat();
                var first = HeartbeatEncoder.Encode(device, keyFromA);
                var chainAtA = new HeartbeatChainVerifier();
                Assert.AreEqual(ChainVerdict.InOrder, chainAtA.Observe(HeartbeatDecoder.Decode(first, keyFromA, DeviceId)));
                chainStateAtA = chainAtA.Serialize();
                device.Sequence = 1;
                device.UptimeSeconds += 60;
                device.PreviousDigest = HeartbeatLink.Compute(first);
                await gatewayA.StopAsync(TestContext.CancellationToken);
            }

            using (operational)
            {
                var backup = GatewayCli.Run(dataA, ["backup", "--out", backupFile, .. keyArgsA]);
                Assert.AreEqual(0, backup.ExitCode, backup.ToString());
                StringAssert.Contains(backup.Output, "encrypted to");

                // --- Gateway B: a new software TPM, new keys, a new intermediate, same root. ---
                using var tpmB = SoftwareTpm.Start();
                var environmentB = new Dictionary<string, string>(tpmB.Environment) { [Commands.RestoreCommand.PassphraseVariable] = Passphrase };
                string[] keyArgsB = ["--tcti", tpmB.Tcti];
                await RunB(environmentB, ["--data-dir", dataB, "keys", "init", .. keyArgsB]);
                var csrB = Path.Combine(work, "gateway-b.csr");
                await RunB(environmentB, ["--data-dir", dataB, "keys", "csr", "--gateway-name", "gw-b", "--out", csrB, .. keyArgsB]);
                using var intermediateB = OfflineRootAuthority.SignGatewayIntermediate(
                    fleet.Root.Certificate, fleet.Root.Key, SigningRequestReader.ReadPem(File.ReadAllText(csrB)));
                Assert.AreNotEqual(intermediateA.GetPublicKeyString(), intermediateB.GetPublicKeyString(), "a new TPM, a new CA key");
                var intermediateBPem = Write(work, "intermediate-b.pem", intermediateB.ExportCertificatePem());
                await RunB(environmentB, ["--data-dir", dataB, "keys", "install", "--root", rootPem, "--intermediate", intermediateBPem, "--recovery-cert", recoveryPem, .. keyArgsB]);
                var restored = await RunB(environmentB, ["--data-dir", dataB, "restore", "--in", backupFile, "--recovery-key", recoveryKey, .. keyArgsB]);
                StringAssert.Contains(restored, "sealed by this gateway's tpm key store");
                Assert.IsFalse(Directory.Exists(Path.Combine(dataB, "keys")), "no software keys on B");

                using (var audit = AuditLog.Open(new GatewayDataDirectory(dataB)))
                {
                    var verification = audit.Verify();
                    Assert.IsTrue(verification.IsIntact, verification.FirstProblem?.Detail);
                    var kinds = audit.List().Select(entry => entry.Kind).ToList();
                    CollectionAssert.Contains(kinds, nameof(AuditEventKind.Enrolment), "A's history came along");
                    Assert.AreEqual(nameof(AuditEventKind.Restore), kinds[^1]);
                }

                SqliteConnection.ClearAllPools();
                var portB = GatewayProcess.FreePort();
                using var gatewayB = GatewayProcess.Start(environmentB, ["--data-dir", dataB, "run", .. DaemonArguments(tpmB.Tcti, null, portB)]);
                await gatewayB.WaitForOutputAsync("EST listening", ProcessTimeout);

                // The device's view: only the root is trusted; B's short-lived server
                // certificate chains root <- intermediate B.
                var served = await ServerChainAsync(portB, fleet.Root.Certificate, operational);
                Assert.AreEqual(intermediateB.Subject, served.Issuer, "B serves under its new intermediate");

                // B accepts the certificate A issued, and derives A's heartbeat key from the restored secret.
                var keyFromB = await HeartbeatKeyAsync(portB, fleet.Root.Certificate, operational);
                CollectionAssert.AreEqual(keyFromA, keyFromB, "the same heartbeat key after the restore");

                // The device's next heartbeat, made with the key it already holds, verifies at B and continues the chain.
                var next = HeartbeatEncoder.Encode(device, keyFromA);
                var chainAtB = HeartbeatChainVerifier.Deserialize(chainStateAtA);
                Assert.AreEqual(ChainVerdict.InOrder, chainAtB.Observe(HeartbeatDecoder.Decode(next, keyFromB, DeviceId)));

                // And renewal onto the new intermediate works with the old certificate.
                using var renewed = await EnrolAsync(portB, fleet.Root.Certificate, operational, EstProtocol.SimpleReenrollPath);
                Assert.AreEqual(intermediateB.Subject, renewed.Issuer);
                Assert.AreEqual(0, await gatewayB.TerminateAsync(ProcessTimeout), gatewayB.Output);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(work);
        }
    }

    private static string[] DaemonArguments(string tcti, TpmKeyStore? store, int port)
    {
        var arguments = new List<string>
        {
            "--IoTSec:KeyStore:Backend=tpm",
            "--IoTSec:KeyStore:AllowSoftwareKeys=false",
            "--IoTSec:KeyStore:Tcti=" + tcti,
            "--IoTSec:Pki:AllowDevelopmentPki=false",
            "--IoTSec:Est:Port=" + port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (store is not null)
        {
            arguments.Add($"--IoTSec:KeyStore:IdentityHandle=0x{store.HandleOf(GatewayKeyRole.Identity):x8}");
            arguments.Add($"--IoTSec:KeyStore:DeviceCaHandle=0x{store.HandleOf(GatewayKeyRole.DeviceCa):x8}");
        }

        return [.. arguments];
    }

    private static async Task<string> RunB(IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        using var process = GatewayProcess.Start(environment, arguments);
        var exit = await process.WaitForExitAsync(ProcessTimeout);
        Assert.AreEqual(0, exit, $"iotsec-gateway {string.Join(' ', arguments)}:\n{process.Output}");
        return process.Output;
    }

    private static HeartbeatFields NewHeartbeat() => new()
    {
        DeviceId = DeviceId,
        Sequence = 0,
        BootCount = 3,
        UptimeSeconds = 120,
        FirmwareVersion = "1.4.2",
        FirmwareDigest = SHA256.HashData("firmware"u8),
        ActiveSlot = FirmwareSlot.A,
        ConfigurationDigest = SHA256.HashData("configuration"u8),
        PreviousDigest = HeartbeatLink.Genesis(),
    };

    private static HttpClient Client(int port, X509Certificate2 root, X509Certificate2 clientCertificate) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, null, offline: true),
            CertificateChainPolicy = LoopbackTls.TrustOnly(root),
        },
    })
    { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

    private async Task<X509Certificate2> EnrolAsync(int port, X509Certificate2 root, X509Certificate2 clientCertificate, string path = EstProtocol.SimpleEnrollPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = Client(port, root, clientCertificate);
        using var response = await client.PostAsync(path, EstTestGateway.CsrContent(EstTestGateway.Csr(DeviceId, key)), TestContext.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        using var issued = EstResponses.SingleCertificate(body);
        return issued.CopyWithPrivateKey(key);
    }

    private async Task<byte[]> HeartbeatKeyAsync(int port, X509Certificate2 root, X509Certificate2 operational)
    {
        using var client = Client(port, root, operational);
        using var response = await client.PostAsync(HeartbeatKeyExchange.Path, null, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        return HeartbeatKeyResponse.Decode(await response.Content.ReadAsByteArrayAsync(TestContext.CancellationToken), operational.SerialNumberBytes.ToArray()).GetKey();
    }

    // A bare SslStream handshake with a custom trust store, as the device's TLS stack makes it.
    private async Task<X509Certificate2> ServerChainAsync(int port, X509Certificate2 root, X509Certificate2 clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.CancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        var errors = SslPolicyErrors.None;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, null, offline: true),
            CertificateChainPolicy = LoopbackTls.TrustOnly(root),
            RemoteCertificateValidationCallback = (_, _, _, seen) =>
            {
                errors = seen;
                return seen == SslPolicyErrors.None;
            },
        }, TestContext.CancellationToken);
        Assert.AreEqual(SslPolicyErrors.None, errors);
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
    }

    private static string Write(string directory, string name, string contents)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, contents);
        return path;
    }
}
