using System.Collections.Generic;
using IoTSec.Gateway.Hardware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>IoTSec:Tamper as the daemon binds it: the pin map's defaults, and bad values named at start.</summary>
[TestClass]
public sealed class TamperSettingsTests
{
    [TestMethod]
    public void TheDefaultsAreThePinMapOfHardwareGatewayPins()
    {
        var settings = Bind([]);

        Assert.IsTrue(settings.Enabled);
        Assert.AreEqual(0, settings.GpioChip);
        Assert.AreEqual(17, settings.TamperPin);
        Assert.AreEqual(27, settings.LedPin);
        Assert.IsTrue(settings.ActiveLow);
        Assert.AreEqual(50, settings.Debounce.TotalMilliseconds);
    }

    [TestMethod]
    [DataRow("Debounce", "00:00:05", "IoTSec:Tamper:Debounce")]
    [DataRow("TamperPin", "-3", "IoTSec:Tamper:TamperPin")]
    [DataRow("LedPin", "9999", "IoTSec:Tamper:LedPin")]
    [DataRow("PollInterval", "00:00:00", "IoTSec:Tamper:PollInterval")]
    public void ABadValueStopsTheStartNamingTheKey(string key, string value, string named)
    {
        var error = Assert.ThrowsExactly<OptionsValidationException>(() => Bind(new() { [key] = value }));

        StringAssert.Contains(error.Message, named);
    }

    private static TamperSettings Bind(Dictionary<string, string?> values)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTamperMonitor(section);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<TamperSettings>>().Value;
    }
}
