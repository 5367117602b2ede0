using System;
using System.Collections.Generic;
using System.Linq;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Posture;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Posture;

[TestClass]
public sealed class PostureServicesTests
{
    [TestMethod]
    public void AddPosture_composes_the_service_from_configuration()
    {
        using var directory = new TemporaryDataDirectory();
        using var provider = Compose(directory, new() { ["IoTSec:Posture:Action"] = "alert-only", ["IoTSec:Posture:SilenceGrace"] = "00:00:45" });

        var settings = provider.GetRequiredService<IOptions<PostureSettings>>().Value;
        Assert.AreEqual(RemediationAction.AlertOnly, settings.Remediation);
        Assert.AreEqual(TimeSpan.FromSeconds(45), settings.SilenceGrace);
        Assert.IsInstanceOfType<HeartbeatProcessor>(provider.GetRequiredService<IHeartbeatProcessor>());
        Assert.IsInstanceOfType<AlertPublisher>(provider.GetRequiredService<IAlertSink>());
        Assert.IsNotNull(provider.GetRequiredService<SilenceDetector>());
        Assert.IsTrue(provider.GetServices<IHostedService>().Any(s => s is PostureSweep));
        Assert.IsTrue(System.IO.File.Exists(directory.Data.PostureDatabase));
    }

    [TestMethod]
    [DataRow("IoTSec:Posture:Action", "explode")]
    [DataRow("IoTSec:Posture:SilenceGrace", "02:00:00")]
    [DataRow("IoTSec:Posture:RebootStormBoots", "1")]
    [DataRow("IoTSec:Posture:SweepInterval", "00:00:00")]
    public void A_bad_setting_is_refused_with_its_key_named(string key, string value)
    {
        using var directory = new TemporaryDataDirectory();
        using var provider = Compose(directory, new() { [key] = value });

        var error = Assert.ThrowsExactly<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostureSettings>>().Value);
        StringAssert.Contains(error.Message, key);
    }

    private static ServiceProvider Compose(TemporaryDataDirectory directory, Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(directory.Data);
        services.AddSingleton(_ => AuditLog.Open(directory.Data));
        services.AddSingleton(provider => DeviceInventory.Open(directory.Data.InventoryDatabase, audit: provider.GetRequiredService<AuditLog>()));
        services.AddSingleton(_ => HeartbeatSecret.FromBytes(new byte[32]));
        services.AddSingleton<IPostureRules>(new ClassRules());
        services.AddSingleton<IUpstreamQueue>(new RecordingUpstream());
        services.AddPosture(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<PostureStore>();
        return provider;
    }
}
