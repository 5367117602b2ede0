using System.IO;
using System.Runtime.Versioning;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Tests.Est;
using IoTSec.Gateway.Tests.Inventory;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary><c>iotsec-gateway dev issue-cert</c>: files a foreign client uses, checked by openssl; refused on a production PKI.</summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class DevIssueCertTests
{
    private string _data = null!;
    private string _out = null!;

    [TestInitialize]
    public void CreateDirectories()
    {
        _data = TempDirectory.Create("iotsec-dev-data");
        _out = TempDirectory.Create("iotsec-dev-out");
    }

    [TestCleanup]
    public void DeleteDirectories()
    {
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_data);
        TempDirectory.Delete(_out);
    }

    [TestMethod]
    public void IssuesAKeyACertificateChainAndTheRootThatOpensslAccepts()
    {
        var openssl = RequiredComponent.Executable("openssl", "openssl");
        var result = GatewayCli.Run(_data, "dev", "issue-cert", "--device", "dev-7", "--class", "sensor", "--out", _out);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "registered device 'dev-7' (class sensor)");

        var key = Path.Combine(_out, "dev-7.key.pem");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key), "the key is 0600");
        var verify = ProcessTool.Run(openssl, _out, "verify", "-CAfile", "ca.pem", "-untrusted", "dev-7.pem", "-purpose", "sslclient", "dev-7.pem");
        Assert.AreEqual(0, verify.ExitCode, verify.Output + verify.Error);
        var keyPublic = ProcessTool.Run(openssl, _out, "pkey", "-in", "dev-7.key.pem", "-pubout");
        var certificatePublic = ProcessTool.Run(openssl, _out, "x509", "-in", "dev-7.pem", "-noout", "-pubkey");
        Assert.AreEqual(keyPublic.Output, certificatePublic.Output, "the key belongs to the certificate");
        StringAssert.Contains(ProcessTool.Run(openssl, _out, "x509", "-in", "dev-7.pem", "-noout", "-subject").Output, "CN = dev-7");

        using (var inventory = DeviceInventory.Open(Path.Combine(_data, "inventory.db")))
        {
            Assert.AreEqual("sensor", inventory.Get("dev-7").DeviceClass);
            Assert.IsNotNull(inventory.GetActiveOperationalCertificate("dev-7"), "the certificate is recorded, so revocation covers it");
        }

        // Again: the registration is kept, the new certificate supersedes the old one.
        var again = GatewayCli.Run(_data, "dev", "issue-cert", "--device", "dev-7", "--out", _out);
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        StringAssert.Contains(again.Output, "already registered");
    }

    [TestMethod]
    public void RefusedOnAnInstalledHierarchy()
    {
        Directory.CreateDirectory(Path.Combine(_data, "pki"));
        File.WriteAllText(Path.Combine(_data, "pki", "root.pem"), "installed by the ceremony");
        var result = GatewayCli.Run(_data, "dev", "issue-cert", "--device", "dev-7", "--out", _out);
        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "production PKI");
        Assert.IsFalse(File.Exists(Path.Combine(_out, "dev-7.key.pem")));
    }

    [TestMethod]
    public void RefusedWhenTheConfigurationForbidsTheDevelopmentPki()
    {
        var config = Path.Combine(_data, "gateway.yaml");
        File.WriteAllText(config, "pki:\n  allowDevelopmentPki: false\n");
        var result = GatewayCli.Run(_data, "--config", config, "dev", "issue-cert", "--device", "dev-7", "--out", _out);
        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "AllowDevelopmentPki=false");
    }

    [TestMethod]
    public void InvalidDeviceIdIsRefused()
    {
        var result = GatewayCli.Run(_data, "dev", "issue-cert", "--device", "bad id/..", "--out", _out);
        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "invalid device id");
    }
}
