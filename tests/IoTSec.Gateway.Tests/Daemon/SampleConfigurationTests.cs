using System.IO;
using IoTSec.Gateway.Configuration;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>gateway/packaging/gateway.yaml, the sample installed as /etc/iotsec/gateway.yaml, cannot drift from the code.</summary>
[TestClass]
public sealed class SampleConfigurationTests
{
    private static readonly string SamplePath = RepositoryPaths.Combine("gateway", "packaging", "gateway.yaml");

    [TestMethod]
    public void SampleIsAProductionConfiguration()
    {
        var sample = YamlConfigurationFile.Load(SamplePath);
        Assert.AreEqual("tpm", sample.Values["IoTSec:KeyStore:Backend"]);
        Assert.AreEqual("false", sample.Values["IoTSec:KeyStore:AllowSoftwareKeys"]);
        Assert.AreEqual("false", sample.Values["IoTSec:Pki:AllowDevelopmentPki"]);
        Assert.AreEqual("127.0.0.1", sample.Values["IoTSec:Metrics:Address"]);
    }

    [TestMethod]
    public void EveryKeyOfTheSampleIsKnownAndValid()
    {
        // The daemon on the sample file; only what needs a TPM and a ceremony is overridden,
        // so every other key of the sample is checked, bound and validated as at a real start.
        var data = TempDirectory.Create("iotsec-sample");
        try
        {
            using var app = GatewayHost.Build(new GatewayDataDirectory(data),
            [
                "--IoTSec:KeyStore:Backend=software", "--IoTSec:KeyStore:AllowSoftwareKeys=true",
                "--IoTSec:Pki:AllowDevelopmentPki=true", "--IoTSec:Est:Port=0", "--IoTSec:Metrics:Port=0",
            ], YamlConfigurationFile.Load(SamplePath));
            var est = app.Services.GetRequiredService<IOptions<EstOptions>>().Value;
            Assert.AreEqual("0.0.0.0", est.Address, "the sample's EST address is in force");
            var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            CollectionAssert.AreEqual(new[] { "gateway.local" }, gateway.Pki.ServerDnsNames);
            Assert.IsEmpty(gateway.Pki.ServerIpAddresses);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(data);
        }
    }
}
