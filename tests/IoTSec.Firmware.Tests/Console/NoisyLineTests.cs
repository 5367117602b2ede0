using System.IO;
using System.Linq;
using IoTSec.Firmware.Provisioning;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>
/// Provisioning through a relay that damages frames in flight, between two real socat
/// pseudo-terminal pairs: device (pair 1, end A) — relay (pair 1 end B, pair 2 end A) — tool
/// (pair 2, end B).
/// </summary>
[TestClass]
public sealed class NoisyLineTests
{
    private string _flash = null!;

    [TestInitialize]
    public void CreateFlash() => _flash = Directory.CreateTempSubdirectory("iotsec-noisy-").FullName;

    [TestCleanup]
    public void DeleteFlash() => Directory.Delete(_flash, recursive: true);

    [TestMethod]
    public void CorruptedFramesAreRetriedAndTheCommitRunsOnce()
    {
        using var devicePair = new SocatPtyPair();
        using var toolPair = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(devicePair.EndA, _flash);
        using var relay = new CorruptingRelay(devicePair.EndB, toolPair.EndA, framesToDamage: 24);

        // A short timeout keeps the test fast; more retries than the default because every
        // other frame of both directions is damaged at first.
        using var tool = new ConsoleTool(toolPair.EndB, responseTimeoutMs: 300, retryCount: 6);
        var set = ProvisioningSet.Create("dev-0001", "gw01.plant.example");
        tool.Client.ChunkLength = 256;

        Assert.AreEqual(TestPlatform.HardwareIdText, tool.Client.Hello().HardwareId);
        tool.Stage(set);
        tool.Client.Commit();
        Assert.AreEqual(LifecycleState.Provisioned, tool.Client.GetInfo().Lifecycle);
        ProvisioningAssert.IdentityIs(set, device.LoadIdentity());

        ConsoleService service = device.Service!;
        Assert.AreEqual(12, relay.RequestsDamaged, "every other one of the first 24 request frames damaged");
        Assert.IsTrue(relay.AnswersDamaged >= 5, $"answers damaged: {relay.AnswersDamaged}");
        Assert.IsTrue(service.Session.FramesRejected > 0, "the device saw damaged requests");
        Assert.IsTrue(tool.Session.FramesRejected > 0, "the tool saw damaged answers");
        Assert.IsTrue(tool.Session.Retransmissions > 0, "the tool retransmitted");
        Assert.IsTrue(service.Session.RequestsReplayed > 0, "retransmissions of executed requests were answered from the replay cache");
        Assert.AreEqual(1, device.Log.Lines.Count(l => l.StartsWith("provisioning: committed", System.StringComparison.Ordinal)), "the commit ran exactly once");
        Assert.AreEqual(1, device.Boots);
        Assert.IsNull(device.Fault);
        Assert.IsNull(relay.Fault);
    }
}
