using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Policy;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Policy;

/// <summary><c>AddTrafficPolicy</c> as the composition root will call it.</summary>
[TestClass]
public sealed class PolicyCompositionTests
{
    [TestMethod]
    public void AddTrafficPolicy_WithTheEmbeddedDefaults_WritesAndServesTheDevelopmentPolicy()
    {
        using var directory = new TemporaryDataDirectory();
        using var provider = Compose(directory, GatewayDefaults.Values);

        var policy = provider.GetRequiredService<ITrafficPolicy>();

        Assert.AreSame<object>(policy, provider.GetRequiredService<IPostureRules>(), "one policy for the broker and the posture service");
        Assert.IsTrue(File.Exists(directory.Data.DefaultPolicyFile));
        Assert.IsNotNull(provider.GetRequiredService<PolicyStore>().Current.Find("sensor"));
        Assert.AreEqual(2, provider.GetServices<IHostedService>().Count(service => service is PolicyReload or PolicyViolationFlushing));
        var change = provider.GetRequiredService<AuditLog>().List(kind: nameof(AuditEventKind.PolicyChange)).Single();
        StringAssert.Contains(change.Details, provider.GetRequiredService<PolicyStore>().Current.Sha256);
    }

    [TestMethod]
    public void AddTrafficPolicy_WithoutAFile_InProduction_RefusesToStart()
    {
        using var directory = new TemporaryDataDirectory();
        using var provider = Compose(directory, new Dictionary<string, string?>());

        var error = Assert.ThrowsExactly<PolicyRejectedException>(() => provider.GetRequiredService<ITrafficPolicy>());

        StringAssert.Contains(error.Message, "does not exist");
    }

    [TestMethod]
    public void AddTrafficPolicy_ValidatesItsSettings_NamingTheKey()
    {
        using var directory = new TemporaryDataDirectory();
        using var provider = Compose(directory, new Dictionary<string, string?> { ["IoTSec:Policy:ReloadDebounce"] = "00:00:00" });

        var error = Assert.ThrowsExactly<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PolicySettings>>().Value);

        StringAssert.Contains(error.Message, "ReloadDebounce");
        StringAssert.Contains(error.Message, "00:00:00.0500000");
    }

    [TestMethod]
    public void PolicyFile_RelativeToTheDataDirectory()
    {
        using var directory = new TemporaryDataDirectory();

        Assert.AreEqual(Path.Combine(directory.Path, "conf", "p.yaml"), new PolicySettings { File = "conf/p.yaml" }.PathIn(directory.Data));
        Assert.AreEqual("/etc/iotsec/policy.yaml", new PolicySettings { File = "/etc/iotsec/policy.yaml" }.PathIn(directory.Data));
        Assert.AreEqual(directory.Data.DefaultPolicyFile, new PolicySettings().PathIn(directory.Data));
    }

    private static ServiceProvider Compose(TemporaryDataDirectory directory, IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(directory.Data);
        services.AddSingleton(_ => AuditLog.Open(directory.Data));
        services.AddSingleton(provider => DeviceInventory.Open(directory.Data.InventoryDatabase, audit: provider.GetRequiredService<AuditLog>()));
        services.AddSingleton<ConnectedDevices>();
        services.AddSingleton<IQuarantine>(provider => new DeviceQuarantine(provider.GetRequiredService<DeviceInventory>(), provider.GetRequiredService<ConnectedDevices>()));
        services.AddSingleton<IAlertSink, RecordingAlertSink>();
        services.AddTrafficPolicy(configuration);
        return services.BuildServiceProvider();
    }
}
