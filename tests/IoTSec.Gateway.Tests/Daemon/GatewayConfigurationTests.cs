using System;
using System.IO;
using IoTSec.Gateway.Configuration;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>The daemon's configuration checks at start, in-process: each bad setting is named.</summary>
[TestClass]
public sealed class GatewayConfigurationTests
{
    [TestMethod]
    [DataRow("--IoTSec:KeyStore:Backend=software", "--IoTSec:KeyStore:AllowSoftwareKeys=false", "IoTSec:KeyStore:AllowSoftwareKeys")]
    [DataRow("--IoTSec:KeyStore:Backend=hsm", "--IoTSec:Est:Port=8443", "IoTSec:KeyStore:Backend")]
    [DataRow("--IoTSec:KeyStore:IdentityHandle=banana", "--IoTSec:Est:Port=8443", "IoTSec:KeyStore:IdentityHandle")]
    [DataRow("--IoTSec:Pki:ServerIpAddresses:0=not-an-address", "--IoTSec:Est:Port=8443", "IoTSec:Pki:ServerIpAddresses:0")]
    [DataRow("--IoTSec:Pki:DeviceCertificateValidity=1000.00:00:00", "--IoTSec:Est:Port=8443", "IoTSec:Pki:DeviceCertificateValidity")]
    [DataRow("--IoTSec:Est:Address=localhost", "--IoTSec:Est:Port=8443", "IoTSec:Est:Address")]
    [DataRow("--IoTSec:Est:SigningSlots=0", "--IoTSec:Est:Port=8443", "IoTSec:Est:SigningSlots")]
    [DataRow("--IoTSec:Metrics:Address=0.0.0.0", "--IoTSec:Est:Port=8443", "IoTSec:Metrics:Address")]
    [DataRow("--IoTSec:Metrics:Port=99999", "--IoTSec:Est:Port=8443", "IoTSec:Metrics:Port")]
    [DataRow("--IoTSec:Est:Prot=9443", "--IoTSec:Est:Port=8443", "IoTSec:Est:Prot: unknown setting")]
    [DataRow("--IoTSec:Brokr:Port=8883", "--IoTSec:Est:Port=8443", "IoTSec:Brokr:Port: unknown setting")]
    [DataRow("--IoTSec:Est:Port=many", "--IoTSec:Metrics:Port=0", "IoTSec:Est:Port: 'many' is not a valid whole number")]
    public void BadSettingIsRefusedAtStartWithItsName(string first, string second, string named)
    {
        var data = TempDirectory.Create("iotsec-config");
        try
        {
            var refusal = Assert.ThrowsExactly<GatewayConfigurationException>(() => GatewayHost.Build(new GatewayDataDirectory(data), [first, second]));
            StringAssert.Contains(refusal.Message, named);
            StringAssert.Contains(refusal.Message, "(command line)", "the refusal says where the value was set");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(data);
        }
    }

    [TestMethod]
    public void WithoutTheDevelopmentPkiAnInstalledIntermediateIsRequired()
    {
        var data = TempDirectory.Create("iotsec-config");
        try
        {
            var refusal = Assert.ThrowsExactly<GatewayPkiException>(() =>
                GatewayHost.Build(new GatewayDataDirectory(data), ["--IoTSec:Pki:AllowDevelopmentPki=false"]));
            StringAssert.Contains(refusal.Message, "AllowDevelopmentPki");
            Assert.IsFalse(Directory.Exists(Path.Combine(data, GatewayAuthorityFactory.DevelopmentDirectory)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(data);
        }
    }
}
