using System;
using System.Linq;
using System.Threading.Tasks;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Posture;

[TestClass]
public sealed class RemediationCommandTests
{
    private static readonly byte[] Serial = [0x31, 0x32, 0x33];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Commands_are_MACd_under_the_device_key_with_increasing_ids_that_survive_a_restart()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", Serial);
        bed.Beat(edge, device.Next());

        Assert.AreEqual(1UL, await bed.Remediation.RequestPostureReportAsync("sensor-1", TestContext.CancellationToken));
        Assert.AreEqual(2UL, await bed.Remediation.RebootAsync("sensor-1", TestContext.CancellationToken));
        bed.Restart();
        Assert.AreEqual(3UL, await bed.Remediation.ReEnrolAsync("sensor-1", TestContext.CancellationToken));

        var sent = bed.Downlink.Sent.ToArray();
        Assert.HasCount(3, sent);
        Assert.IsTrue(sent.All(s => s.DeviceId == "sensor-1" && s.Kind == TopicKind.Command));
        var commands = sent.Select(s => DeviceCommand.Decode(s.Payload, device.Key)).ToArray();
        CollectionAssert.AreEqual(new[] { CommandCode.ReportPosture, CommandCode.Reboot, CommandCode.ReEnrol }, commands.Select(c => c.Code).ToArray());
        CollectionAssert.AreEqual(new ulong[] { 1, 2, 3 }, commands.Select(c => c.CommandId).ToArray());
        Assert.AreEqual((ulong)bed.Clock.Now.ToUnixTimeMilliseconds(), commands[0].IssuedAtUnixMilliseconds);
    }

    [TestMethod]
    public async Task A_device_without_a_key_epoch_gets_no_command()
    {
        using var bed = new PostureTestBed();
        bed.Enrol("sensor-1", Serial);

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => bed.Remediation.RebootAsync("sensor-1", TestContext.CancellationToken));
        Assert.IsEmpty(bed.Downlink.Sent);
    }
}
