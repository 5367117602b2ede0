using System.IO;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>
/// <c>openssl verify -x509_strict</c> (RFC 5280 checks: key identifiers, critical basic
/// constraints, key usage on CAs) accepts the chains we issue, for the purpose each is for.
/// </summary>
[TestClass]
public sealed class OpenSslVerifyTests
{
    private static TestHierarchy _gateway = null!;
    private static string _files = null!;

    [ClassInitialize]
    public static void Setup(TestContext context)
    {
        _gateway = TestHierarchy.Create();
        _files = Path.Combine(_gateway.Directory, "pem");
        Directory.CreateDirectory(_files);
        File.WriteAllText(Path.Combine(_files, "root.pem"), _gateway.Root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_files, "intermediate.pem"), _gateway.Intermediate.ExportCertificatePem());
    }

    [ClassCleanup]
    public static void Cleanup() => _gateway.Dispose();

    private static (int ExitCode, string Output) Verify(string leafPem, string purpose, bool withIntermediate = true)
    {
        var leaf = Path.Combine(_files, Path.GetRandomFileName() + ".pem");
        File.WriteAllText(leaf, leafPem);
        return withIntermediate
            ? OpenSslTool.Run("verify", "-x509_strict", "-purpose", purpose, "-CAfile", Path.Combine(_files, "root.pem"), "-untrusted", Path.Combine(_files, "intermediate.pem"), leaf)
            : OpenSslTool.Run("verify", "-x509_strict", "-purpose", purpose, "-CAfile", Path.Combine(_files, "root.pem"), leaf);
    }

    [TestMethod]
    public void OpenSslAcceptsADeviceCertificateForClientAuthentication()
    {
        using var device = _gateway.IssueDevice("sensor-0001");
        var (exitCode, output) = Verify(device.ExportCertificatePem(), "sslclient");
        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, ": OK");
    }

    [TestMethod]
    public void OpenSslAcceptsAServerCertificateForServerAuthenticationAndNotForClients()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = _gateway.Issuer.IssueServerCertificate(new System.Security.Cryptography.X509Certificates.PublicKey(key), new ServerCertificateOptions());
        var (exitCode, output) = Verify(server.ExportCertificatePem(), "sslserver");
        Assert.AreEqual(0, exitCode, output);

        var (clientExit, clientOutput) = Verify(server.ExportCertificatePem(), "sslclient");
        Assert.AreNotEqual(0, clientExit, "a server certificate must not pass as a client's: " + clientOutput);
    }

    [TestMethod]
    public void OpenSslNeedsTheIntermediateAndRefusesAnotherFleetsCertificate()
    {
        using var device = _gateway.IssueDevice("sensor-0001");
        var (withoutExit, withoutOutput) = Verify(device.ExportCertificatePem(), "sslclient", withIntermediate: false);
        Assert.AreNotEqual(0, withoutExit, withoutOutput);

        using var other = TestHierarchy.Create(gatewayName: "gw-other");
        using var foreign = other.IssueDevice("sensor-0001");
        var (foreignExit, foreignOutput) = Verify(foreign.ExportCertificatePem(), "sslclient");
        Assert.AreNotEqual(0, foreignExit, foreignOutput);
    }

    [TestMethod]
    public void OpenSslReadsTheGatewaysSigningRequest()
    {
        var csr = Path.Combine(_files, "gateway.csr");
        File.WriteAllText(csr, GatewayIntermediateRequest.CreatePem(_gateway.KeyStore, GatewayIntermediateRequest.DefaultSubject("gw-test")));
        var (exitCode, output) = OpenSslTool.Run("req", "-in", csr, "-noout", "-verify", "-subject");
        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "gw-test Device CA");
    }
}
