using System.Linq;
using System.Text;
using IoTSec.Gateway.Forwarder;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Forwarder;

[TestClass]
public sealed class SnapshotRequestTests
{
    [TestMethod]
    public void AStarAsksForEveryDeviceAndAListForThoseNamed()
    {
        Assert.IsNull(SnapshotRequest.Parse("""{"snapshot":"*"}"""u8).Devices);
        CollectionAssert.AreEqual(new[] { "dev-1", "dev.2" }, SnapshotRequest.Parse("""{"snapshot":["dev-1","dev.2"]}"""u8).Devices!.ToArray());
    }

    [TestMethod]
    [DataRow("not json", SnapshotRequestRejection.Malformed)]
    [DataRow("[1]", SnapshotRequestRejection.Malformed)]
    [DataRow("""{"resync":true}""", SnapshotRequestRejection.MissingSnapshot)]
    [DataRow("""{"snapshot":"dev-1"}""", SnapshotRequestRejection.MissingSnapshot)]
    [DataRow("""{"snapshot":["ok","bad/slash"]}""", SnapshotRequestRejection.InvalidDeviceId)]
    [DataRow("""{"snapshot":[1]}""", SnapshotRequestRejection.InvalidDeviceId)]
    [DataRow("""{"snapshot":{"a":{"b":{"c":{"d":1}}}}}""", SnapshotRequestRejection.Malformed)]
    public void BadRequestsAreRefusedWithTheirReason(string json, SnapshotRequestRejection reason)
    {
        var refused = Assert.ThrowsExactly<SnapshotRequestRejectedException>(() => SnapshotRequest.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.AreEqual(reason, refused.Reason, refused.Message);
    }

    [TestMethod]
    public void InvalidUtf8InADeviceIdIsARefusalNotACrash()
    {
        // Found by afl++ (corpus/snapshot-request/crash-invalid-utf8.bin).
        byte[] input = [.. "{\"snapshot\":[\"ba"u8, 0xff, 0xff, 0xff, 0xff, .. "\"]}"u8];
        Assert.AreEqual(SnapshotRequestRejection.InvalidDeviceId, Assert.ThrowsExactly<SnapshotRequestRejectedException>(() => SnapshotRequest.Parse(input)).Reason);
    }

    [TestMethod]
    public void OversizedAndOverlongRequestsAreRefusedBeforeAnyWork()
    {
        Assert.AreEqual(SnapshotRequestRejection.TooLarge, Assert.ThrowsExactly<SnapshotRequestRejectedException>(() => SnapshotRequest.Parse(new byte[SnapshotRequest.MaxBytes + 1])).Reason);
        var many = "{\"snapshot\":[" + string.Join(',', Enumerable.Repeat("\"d\"", SnapshotRequest.MaxDevices + 1)) + "]}";
        Assert.AreEqual(SnapshotRequestRejection.TooManyDevices, Assert.ThrowsExactly<SnapshotRequestRejectedException>(() => SnapshotRequest.Parse(Encoding.UTF8.GetBytes(many))).Reason);
    }
}
