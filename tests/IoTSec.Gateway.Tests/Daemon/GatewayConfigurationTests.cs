using System;
using System.IO;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
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
    public void BadSettingIsRefusedAtStartWithItsName(string first, string second, string named)
    {
        var data = TempDirectory.Create("iotsec-config");
        try
        {
            var refusal = Assert.ThrowsExactly<OptionsValidationException>(() => GatewayHost.Build(new GatewayDataDirectory(data), [first, second]));
            StringAssert.Contains(ConfigurationErrors.Describe(refusal), named);
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
