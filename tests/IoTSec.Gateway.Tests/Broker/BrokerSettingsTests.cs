using IoTSec.Gateway.Broker;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>
/// The per-connection memory settings of ADR 0009: their defaults, and a bad value stopping the
/// daemon at start with the key named (the validator the host runs with ValidateOnStart).
/// </summary>
[TestClass]
public sealed class BrokerSettingsTests
{
    [TestMethod]
    public void TheDefaultsReleaseIdleTlsBuffersAndStartTheWriterSmall()
    {
        var settings = new BrokerSettings();
        Assert.IsTrue(settings.ReleaseIdleTlsBuffers);
        Assert.AreEqual(256, settings.WriterBufferSize);
        Assert.AreEqual(4_096, settings.WriterBufferSizeMax);
        Assert.IsTrue(new BrokerSettingsValidator().Validate(null, settings).Succeeded);
    }

    [TestMethod]
    [DataRow(8_192, 4_096, "WriterBufferSizeMax")]
    [DataRow(16, 4_096, "WriterBufferSize")]
    [DataRow(256, 10_000_000, "WriterBufferSizeMax")]
    public void ABadWriterBufferSettingIsRefusedNamingTheKey(int size, int max, string key)
    {
        var result = new BrokerSettingsValidator().Validate(null, new BrokerSettings { WriterBufferSize = size, WriterBufferSizeMax = max });
        Assert.IsTrue(result.Failed);
        StringAssert.Contains(result.FailureMessage, key);
    }
}
