using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Tests.Est;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>
/// <c>iotsec-gateway run</c> on its embedded defaults, as a real process in an empty data
/// directory: it makes its keys and development PKI, serves EST on the port given on the
/// command line, answers a development device, and stops cleanly on SIGTERM.
/// </summary>
[TestClass]
public sealed class RunCommandProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunOnEmbeddedDefaultsServesCaCertsAndStopsCleanlyOnSigterm()
    {
        var data = TempDirectory.Create("iotsec-daemon");
        try
        {
            var port = GatewayProcess.FreePort();
            string firstOutput;
            using (var gateway = GatewayProcess.Start("--data-dir", data, "run", $"--IoTSec:Est:Port={port}"))
            {
                await gateway.WaitForOutputAsync("EST listening on https://127.0.0.1:" + port, StartTimeout);

                using var devRoot = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data, "dev-pki", "dev-root.pem"));
                using var devRootKey = ECDsa.Create();
                devRootKey.ImportFromPem(File.ReadAllText(Path.Combine(data, "dev-pki", "dev-root.key.pem")));
                using var device = TestBirthAuthority.IssueUnder(devRoot, devRootKey, "dev-laptop");
                using var client = new HttpClient(new SocketsHttpHandler
                {
                    SslOptions = new System.Net.Security.SslClientAuthenticationOptions
                    {
                        TargetHost = "127.0.0.1",
                        ClientCertificateContext = System.Net.Security.SslStreamCertificateContext.Create(device, null, offline: true),
                        CertificateChainPolicy = LoopbackTls.TrustOnly(devRoot),
                    },
                })
                { BaseAddress = new Uri($"https://127.0.0.1:{port}") };

                using var response = await client.GetAsync(EstProtocol.CaCertsPath, TestContext.CancellationToken);
                Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, gateway.Output);
                var certificates = EstResponses.Certificates(await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
                Assert.IsTrue(certificates.Cast<X509Certificate2>().Any(c => c.Thumbprint == devRoot.Thumbprint), "cacerts carries the development root");

                Assert.AreEqual(0, await gateway.TerminateAsync(StopTimeout), gateway.Output);
                firstOutput = gateway.Output;
            }

            StringAssert.Contains(firstOutput, SoftwareKeyStore.Warning, "the software key store is announced loudly");
            StringAssert.Contains(firstOutput, "DEVELOPMENT PKI IN USE");
            StringAssert.Contains(firstOutput, "created the gateway heartbeat secret");
            StringAssert.Contains(firstOutput, "Application is shutting down");
            AssertNoSecretIn(firstOutput, data);

            // The second start finds everything in place and creates nothing.
            var secondPort = GatewayProcess.FreePort();
            using (var again = GatewayProcess.Start("--data-dir", data, "run", $"--IoTSec:Est:Port={secondPort}"))
            {
                await again.WaitForOutputAsync("EST listening on https://127.0.0.1:" + secondPort, StartTimeout);
                Assert.AreEqual(0, await again.TerminateAsync(StopTimeout), again.Output);
                Assert.DoesNotContain("first start", again.Output);
                StringAssert.Contains(again.Output, SoftwareKeyStore.Warning, "the warning comes at every start");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(data);
        }
    }

    [TestMethod]
    public async Task InvalidSettingStopsTheStartNamingTheKey()
    {
        var data = TempDirectory.Create("iotsec-daemon");
        try
        {
            using var gateway = GatewayProcess.Start("--data-dir", data, "run", "--IoTSec:Est:Port=70000");
            Assert.AreEqual(1, await gateway.WaitForExitAsync(StartTimeout), gateway.Output);
            StringAssert.Contains(gateway.Output, "error: invalid configuration");
            StringAssert.Contains(gateway.Output, "IoTSec:Est:Port");
            Assert.DoesNotContain("   at ", gateway.Output, "no stack trace for a user error");
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }

    // The logs never carry the heartbeat secret or a private key.
    private static void AssertNoSecretIn(string output, string data)
    {
        var secret = new SoftwareSecretSealer(Path.Combine(data, "keys")).Unseal(HeartbeatSecret.SealedName);
        Assert.DoesNotContain(Convert.ToHexString(secret), output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(secret), output);
        Assert.DoesNotContain("PRIVATE KEY", output);
    }
}
