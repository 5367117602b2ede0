using System.IO;
using IoTSec.Gateway.Configuration;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Metrics;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>
/// The daemon built on a YAML file, in-process: the file's settings take effect, later layers
/// override them, and an unknown or invalid key stops the start naming the key and FILE:LINE.
/// </summary>
[TestClass]
public sealed class ConfigurationFileTests
{
    private string _data = null!;

    [TestInitialize]
    public void CreateDataDirectory() => _data = TempDirectory.Create("iotsec-yaml");

    [TestCleanup]
    public void DeleteDataDirectory()
    {
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_data);
    }

    private YamlConfigurationFile Write(string yaml)
    {
        var path = Path.Combine(_data, "gateway.yaml");
        File.WriteAllText(path, yaml);
        return YamlConfigurationFile.Load(path);
    }

    private GatewayConfigurationException Refused(string yaml, params string[] arguments) =>
        Assert.ThrowsExactly<GatewayConfigurationException>(() => GatewayHost.Build(new GatewayDataDirectory(_data), arguments, Write(yaml)));

    [TestMethod]
    public void FileSettingsTakeEffectAndTheCommandLineOverridesThem()
    {
        var file = Write("""
            est:
              port: 0
              signingSlots: 3
              enrolmentInterval: "00:00:42"
            metrics:
              port: 0
            """);
        using var app = GatewayHost.Build(new GatewayDataDirectory(_data), ["--IoTSec:Est:SigningSlots=7"], file);
        var est = app.Services.GetRequiredService<IOptions<EstOptions>>().Value;
        Assert.AreEqual(System.TimeSpan.FromSeconds(42), est.EnrolmentInterval, "from the file");
        Assert.AreEqual(7, est.SigningSlots, "the command line wins over the file");
        Assert.AreEqual(0, app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Port);
    }

    [TestMethod]
    public void TypoInTheFileIsRefusedWithFileAndLine()
    {
        var refusal = Refused("""
            est:
              port: 0
              enrollmentInterval: "00:00:42"
            """);
        StringAssert.Contains(refusal.Message, "IoTSec:est:enrollmentInterval: unknown setting", "named as written");
        StringAssert.Contains(refusal.Message, Path.Combine(_data, "gateway.yaml") + ":3");
        Assert.IsFalse(File.Exists(Path.Combine(_data, "inventory.db")), "refused before anything is created");
    }

    [TestMethod]
    public void UnknownSectionIsRefused()
    {
        var refusal = Refused("brokker:\n  port: 8883\n");
        StringAssert.Contains(refusal.Message, "IoTSec:brokker:port: unknown setting");
        StringAssert.Contains(refusal.Message, "gateway.yaml:2");
    }

    [TestMethod]
    public void ComputedPropertiesAreNotSettings()
    {
        // EstOptions.ListenAddress is derived from Address: the binder would ignore it.
        StringAssert.Contains(Refused("est:\n  listenAddress: 0.0.0.0\n").Message, "IoTSec:est:listenAddress: unknown setting");
    }

    [TestMethod]
    public void InvalidValueInTheFileNamesKeyAndLine()
    {
        var refusal = Refused("est:\n  port: 0\nmetrics:\n  port: 0\n  address: 0.0.0.0\n");
        StringAssert.Contains(refusal.Message, "IoTSec:Metrics:Address '0.0.0.0' is not a loopback address");
        StringAssert.Contains(refusal.Message, "gateway.yaml:5");
    }

    [TestMethod]
    public void NonLoopbackMetricsNeedExplicitPermission()
    {
        var file = Write("est:\n  port: 0\nmetrics:\n  port: 0\n  address: 0.0.0.0\n  allowNonLoopback: true\n");
        using var app = GatewayHost.Build(new GatewayDataDirectory(_data), [], file);
        Assert.AreEqual("0.0.0.0", app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Address);
    }

    [TestMethod]
    public void UnconvertibleValueInTheFileNamesKeyAndLine()
    {
        var refusal = Refused("est:\n  port: eight\n");
        StringAssert.Contains(refusal.Message, "IoTSec:Est:Port: 'eight' is not a valid whole number");
        StringAssert.Contains(refusal.Message, "gateway.yaml:2");
    }

    [TestMethod]
    public void AnOverrideOfABadFileValueIsBlamedOnTheOverride()
    {
        var refusal = Refused("est:\n  port: 8443\n", "--IoTSec:Est:Port=70000");
        StringAssert.Contains(refusal.Message, "IoTSec:Est:Port");
        StringAssert.Contains(refusal.Message, "(command line)");
        Assert.DoesNotContain("gateway.yaml:2", refusal.Message);
    }

    [TestMethod]
    public void NamedFileThatDoesNotExistIsAnError()
    {
        var missing = Path.Combine(_data, "nope.yaml");
        var refusal = Assert.ThrowsExactly<GatewayConfigurationException>(() => GatewayConfigurationFile.Load(missing));
        StringAssert.Contains(refusal.Message, $"configuration file '{missing}' does not exist");
    }

    [TestMethod]
    public void ConfigBeforeTheVerbStartsTheDefaultRunWithThatFile()
    {
        var missing = Path.Combine(_data, "typo.yaml");
        var result = Inventory.GatewayCli.Run(_data, "--config", missing);
        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, $"error: invalid configuration: configuration file '{missing}' does not exist");
    }

    [TestMethod]
    public void DefaultFileIsUsedOnlyWhenItExists()
    {
        Assert.IsNull(GatewayConfigurationFile.Load(null, Path.Combine(_data, "absent.yaml")), "no default file: the embedded defaults");
        var present = Path.Combine(_data, "present.yaml");
        File.WriteAllText(present, "est:\n  port: 1234\n");
        Assert.AreEqual("1234", GatewayConfigurationFile.Load(null, present)!.Values["IoTSec:Est:Port"]);
    }

    [TestMethod]
    public void SyntaxErrorIsAConfigurationErrorWithTheLine()
    {
        var path = Path.Combine(_data, "broken.yaml");
        File.WriteAllText(path, "est:\n  port: [1, 2\n");
        var refusal = Assert.ThrowsExactly<GatewayConfigurationException>(() => GatewayConfigurationFile.Load(path));
        StringAssert.Contains(refusal.Message, path + ":");
    }
}
