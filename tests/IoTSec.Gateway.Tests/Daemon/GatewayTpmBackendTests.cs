using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tests.Est;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Gateway.Tests.Tpm;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>
/// The daemon's composition with the TPM backend, in-process against the software TPM: the
/// CA key in the TPM issues the device certificates, the heartbeat secret is sealed by the
/// TPM, and no key file is written.
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class GatewayTpmBackendTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task TpmBackendEnrolsWithTheTpmCaKeyAndSealsTheSecretInTheTpm()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        store.Create(GatewayKeyRole.Identity);
        store.Create(GatewayKeyRole.DeviceCa);
        var data = TempDirectory.Create("iotsec-daemon-tpm");
        try
        {
            string[] arguments =
            [
                "--IoTSec:KeyStore:Backend=tpm",
                "--IoTSec:KeyStore:AllowSoftwareKeys=false",
                "--IoTSec:KeyStore:Tcti=" + SoftwareTpm.Shared.Tcti,
                $"--IoTSec:KeyStore:IdentityHandle=0x{store.HandleOf(GatewayKeyRole.Identity):x8}",
                $"--IoTSec:KeyStore:DeviceCaHandle=0x{store.HandleOf(GatewayKeyRole.DeviceCa):x8}",
                "--IoTSec:Est:Port=0",
            ];
            await using (var app = GatewayHost.Build(new GatewayDataDirectory(data), arguments))
            {
                await app.StartAsync(TestContext.CancellationToken);
                var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;

                Assert.IsFalse(Directory.Exists(Path.Combine(data, "keys")), "no software key files with the TPM backend");
                Assert.IsTrue(File.Exists(Path.Combine(data, "sealed", HeartbeatSecret.SealedName + ".tpm2-sealed")), "the secret is sealed by the TPM");
                using var intermediate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data, GatewayAuthorityFactory.DevelopmentDirectory, "intermediate.pem"));
                CollectionAssert.AreEqual(store.ExportSubjectPublicKeyInfo(GatewayKeyRole.DeviceCa), intermediate.PublicKey.ExportSubjectPublicKeyInfo(), "the intermediate certifies the TPM key");

                // A development device, registered and enrolled over mutual TLS.
                using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data, GatewayAuthorityFactory.DevelopmentDirectory, "dev-root.pem"));
                using var rootKey = ECDsa.Create();
                rootKey.ImportFromPem(File.ReadAllText(Path.Combine(data, GatewayAuthorityFactory.DevelopmentDirectory, "dev-root.key.pem")));
                using var birth = TestBirthAuthority.IssueUnder(root, rootKey, "dev-tpm");
                app.Services.GetRequiredService<DeviceInventory>().Register([new DeviceImportEntry("dev-tpm", "sensor", ClientIdentity.Fingerprint(birth))], "test");
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                using var birthClient = Client(port, root, birth);
                using var enrolment = await birthClient.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-tpm", key)), TestContext.CancellationToken);
                Assert.AreEqual(HttpStatusCode.OK, enrolment.StatusCode, await enrolment.Content.ReadAsStringAsync(TestContext.CancellationToken));
                using var issued = EstResponses.SingleCertificate(await enrolment.Content.ReadAsStringAsync(TestContext.CancellationToken));
                using (var toolsKey = TpmTestSupport.ReadPublicWithTools(SoftwareTpm.Shared, store.HandleOf(GatewayKeyRole.DeviceCa)))
                {
                    Assert.IsTrue(TpmTestSupport.SignatureVerifies(issued, toolsKey), "signed by the key tpm2_readpublic shows");
                }

                using var operational = issued.CopyWithPrivateKey(key);
                using var operationalClient = Client(port, root, operational);
                using var heartbeatKey = await operationalClient.PostAsync(HeartbeatKeyExchange.Path, null, TestContext.CancellationToken);
                Assert.AreEqual(HttpStatusCode.OK, heartbeatKey.StatusCode, await heartbeatKey.Content.ReadAsStringAsync(TestContext.CancellationToken));
                HeartbeatKeyResponse.Decode(await heartbeatKey.Content.ReadAsByteArrayAsync(TestContext.CancellationToken), operational.SerialNumberBytes.ToArray());

                await app.StopAsync(TestContext.CancellationToken);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(data);
        }
    }

    private static HttpClient Client(int port, X509Certificate2 root, X509Certificate2 clientCertificate) => new(new SocketsHttpHandler
    {
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificateContext = System.Net.Security.SslStreamCertificateContext.Create(clientCertificate, null, offline: true),
            CertificateChainPolicy = LoopbackTls.TrustOnly(root),
        },
    })
    { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
}
