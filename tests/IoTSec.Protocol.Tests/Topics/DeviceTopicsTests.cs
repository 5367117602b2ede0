using System;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Topics;

[TestClass]
public sealed class DeviceTopicsTests
{
    [TestMethod]
    public void Builder_GivesTheDocumentedTopics()
    {
        var topics = new DeviceTopics("esp32-0a1b2c");
        Assert.AreEqual("esp32-0a1b2c", topics.DeviceId);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/up/telemetry", topics.Telemetry);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/up/heartbeat", topics.Heartbeat);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/up/posture", topics.Posture);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/up/alert", topics.Alert);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/up/cmd-ack", topics.CommandAck);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/down/hb-ack", topics.HeartbeatAck);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/down/ota", topics.OtaOffer);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/down/cmd", topics.Command);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/up/#", topics.UplinkFilter);
        Assert.AreEqual("iotsec/v1/d/esp32-0a1b2c/down/#", topics.DownlinkFilter);
        Assert.AreEqual("iotsec/v1/d/+/up/#", DeviceTopics.AllUplinkFilter);
    }

    [TestMethod]
    public void EveryKind_RoundTripsThroughTheParser()
    {
        var topics = new DeviceTopics("Dev_1.x-2");
        foreach (TopicKind kind in Enum.GetValues<TopicKind>())
        {
            string topic = topics.Get(kind);
            ParsedTopic parsed = TopicParser.Parse(topic);
            Assert.AreEqual("Dev_1.x-2", parsed.DeviceId, topic);
            Assert.AreEqual(kind, parsed.Kind, topic);
            Assert.AreEqual((int)kind < 100, parsed.IsUplink, topic);
            Assert.IsTrue(TopicParser.TryParse(topic, out string id, out TopicKind k));
            Assert.AreEqual("Dev_1.x-2", id);
            Assert.AreEqual(kind, k);
            Assert.IsLessThanOrEqualTo(TopicParser.MaxTopicLength, new DeviceTopics("d" + new string('x', 63)).Get(kind).Length);
        }

        Assert.ThrowsExactly<TopicRejectedException>(() => topics.Get((TopicKind)99));
        Assert.AreEqual(89, new DeviceTopics("d" + new string('x', 63)).Telemetry.Length, "the longest topic");
    }

    [TestMethod]
    [DataRow("a")]
    [DataRow("0")]
    [DataRow("esp32-0a1b2c")]
    [DataRow("stm32f769.disco_01")]
    [DataRow("A-")]
    [DataRow("x..")]
    [DataRow("a123456789012345678901234567890123456789012345678901234567890123", DisplayName = "64 characters")]
    public void DeviceId_Accepted(string id)
    {
        Assert.IsTrue(DeviceId.IsValid(id));
        _ = new DeviceTopics(id);
        CollectionAssert.AreEqual(System.Text.Encoding.ASCII.GetBytes(id), DeviceId.ToUtf8(id));
    }

    [TestMethod]
    [DataRow("", DisplayName = "empty")]
    [DataRow("a1234567890123456789012345678901234567890123456789012345678901234", DisplayName = "65 characters")]
    [DataRow("a+b", DisplayName = "single-level wildcard")]
    [DataRow("a#", DisplayName = "multi-level wildcard")]
    [DataRow("+", DisplayName = "only a wildcard")]
    [DataRow("a/b", DisplayName = "level separator")]
    [DataRow("a\0b", DisplayName = "NUL")]
    [DataRow("a b", DisplayName = "space")]
    [DataRow(".", DisplayName = "dot")]
    [DataRow("..", DisplayName = "dot-dot")]
    [DataRow(".hidden", DisplayName = "leading dot")]
    [DataRow("-rf", DisplayName = "leading dash")]
    [DataRow("_a", DisplayName = "leading underscore")]
    [DataRow("caf\u00e9", DisplayName = "non-ASCII")]
    [DataRow("a\u0301", DisplayName = "combining mark")]
    [DataRow("a$b", DisplayName = "dollar")]
    [DataRow("a\nb", DisplayName = "newline")]
    public void DeviceId_Refused(string id)
    {
        Assert.IsFalse(DeviceId.IsValid(id));
        var e = Assert.ThrowsExactly<TopicRejectedException>(() => new DeviceTopics(id));
        Assert.AreEqual(TopicRejection.InvalidDeviceId, e.Reason);
        Assert.ThrowsExactly<TopicRejectedException>(() => DeviceId.ToUtf8(id));
    }

    [TestMethod]
    public void DeviceId_NullIsInvalid()
    {
        Assert.IsFalse(DeviceId.IsValid(null!));
        Assert.AreEqual(TopicRejection.InvalidDeviceId, Assert.ThrowsExactly<TopicRejectedException>(() => new DeviceTopics(null!)).Reason);
    }

    [TestMethod]
    [DataRow("", TopicRejection.Empty, DisplayName = "empty")]
    [DataRow("iotsec/v1/d/dev/up/#", TopicRejection.ForbiddenCharacter, DisplayName = "multi-level wildcard")]
    [DataRow("iotsec/v1/d/+/up/heartbeat", TopicRejection.ForbiddenCharacter, DisplayName = "single-level wildcard as device")]
    [DataRow("iotsec/v1/d/dev/up/heart+beat", TopicRejection.ForbiddenCharacter, DisplayName = "wildcard inside a level")]
    [DataRow("iotsec/v1/d/dev/up/heartbeat\0", TopicRejection.ForbiddenCharacter, DisplayName = "NUL")]
    [DataRow("iotsec/v2/d/dev/up/heartbeat", TopicRejection.WrongPrefix, DisplayName = "another tree version")]
    [DataRow("IoTSec/v1/d/dev/up/heartbeat", TopicRejection.WrongPrefix, DisplayName = "prefix case differs")]
    [DataRow("/iotsec/v1/d/dev/up/heartbeat", TopicRejection.WrongPrefix, DisplayName = "leading slash")]
    [DataRow("iotsec/v1/d/", TopicRejection.WrongPrefix, DisplayName = "prefix only")]
    [DataRow("$SYS/broker/load", TopicRejection.WrongPrefix, DisplayName = "broker topic")]
    [DataRow("iotsec/v1/d//up/heartbeat", TopicRejection.InvalidDeviceId, DisplayName = "empty device id")]
    [DataRow("iotsec/v1/d/.../up/heartbeat", TopicRejection.InvalidDeviceId, DisplayName = "dots")]
    [DataRow("iotsec/v1/d/d\u00e9v/up/heartbeat", TopicRejection.InvalidDeviceId, DisplayName = "non-ASCII device id")]
    [DataRow("iotsec/v1/d/dev", TopicRejection.UnknownKind, DisplayName = "no kind")]
    [DataRow("iotsec/v1/d/dev/", TopicRejection.UnknownKind, DisplayName = "empty kind")]
    [DataRow("iotsec/v1/d/dev/up", TopicRejection.UnknownKind, DisplayName = "direction only")]
    [DataRow("iotsec/v1/d/dev/up/", TopicRejection.UnknownKind, DisplayName = "trailing slash")]
    [DataRow("iotsec/v1/d/dev/up/heartbeat/", TopicRejection.UnknownKind, DisplayName = "trailing slash after kind")]
    [DataRow("iotsec/v1/d/dev/up/heartbeat/x", TopicRejection.UnknownKind, DisplayName = "extra level")]
    [DataRow("iotsec/v1/d/dev/up/Heartbeat", TopicRejection.UnknownKind, DisplayName = "kind case differs")]
    [DataRow("iotsec/v1/d/dev/down/heartbeat", TopicRejection.UnknownKind, DisplayName = "uplink kind under down")]
    [DataRow("iotsec/v1/d/dev/up/cmd", TopicRejection.UnknownKind, DisplayName = "downlink kind under up")]
    [DataRow("iotsec/v1/d/dev/up//heartbeat", TopicRejection.UnknownKind, DisplayName = "empty level")]
    public void Parser_Refuses(string topic, TopicRejection expected)
    {
        var e = Assert.ThrowsExactly<TopicRejectedException>(() => TopicParser.Parse(topic));
        Assert.AreEqual(expected, e.Reason, e.Message);
        Assert.IsFalse(TopicParser.TryParse(topic, out string id, out TopicKind kind));
        Assert.AreEqual(string.Empty, id);
        Assert.AreEqual((TopicKind)0, kind);
    }

    [TestMethod]
    public void Parser_RefusesNullAndTooLong()
    {
        Assert.AreEqual(TopicRejection.Empty, Assert.ThrowsExactly<TopicRejectedException>(() => TopicParser.Parse(null!)).Reason);
        string tooLong = "iotsec/v1/d/" + new string('a', 120) + "/up/heartbeat";
        Assert.AreEqual(TopicRejection.TooLong, Assert.ThrowsExactly<TopicRejectedException>(() => TopicParser.Parse(tooLong)).Reason);
        var huge = Assert.ThrowsExactly<TopicRejectedException>(() => TopicParser.Parse(new string('#', 65535)));
        Assert.AreEqual(TopicRejection.TooLong, huge.Reason);
        Assert.IsLessThan(300, huge.Message.Length, "the message quotes at most a prefix of hostile input");
    }

    [TestMethod]
    public void ParseForDevice_RefusesAnotherDevicesTopic()
    {
        var mine = new DeviceTopics("dev-a");
        var theirs = new DeviceTopics("dev-b");
        Assert.AreEqual(TopicKind.Heartbeat, TopicParser.ParseForDevice(mine.Heartbeat, "dev-a").Kind);
        var e = Assert.ThrowsExactly<TopicRejectedException>(() => TopicParser.ParseForDevice(theirs.Heartbeat, "dev-a"));
        Assert.AreEqual(TopicRejection.OtherDevice, e.Reason);

        // Prefix tricks: one id a prefix of the other.
        Assert.AreEqual(TopicRejection.OtherDevice, Assert.ThrowsExactly<TopicRejectedException>(() => TopicParser.ParseForDevice(new DeviceTopics("dev-ab").Heartbeat, "dev-a")).Reason);
        Assert.AreEqual(TopicRejection.OtherDevice, Assert.ThrowsExactly<TopicRejectedException>(() => TopicParser.ParseForDevice(new DeviceTopics("DEV-A").Heartbeat, "dev-a")).Reason, "ids are case-sensitive");
    }

    // The broker's rules for a device client: publish only under its own up/, subscribe only to its own down/.
    [TestMethod]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/up/heartbeat", true)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/up/telemetry", true)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/up/cmd-ack", true)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/down/cmd", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/down/hb-ack", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-b/up/heartbeat", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-ab/up/heartbeat", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/up/other", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/up/#", false)]
    [DataRow("dev-a", "other/topic", false)]
    [DataRow("dev-a", "", false)]
    [DataRow("a/b", "iotsec/v1/d/a/b/up/heartbeat", false)]
    public void Broker_DevicePublishRule(string client, string topic, bool allowed)
    {
        Assert.AreEqual(allowed, TopicParser.IsDevicePublishAllowed(client, topic));
    }

    [TestMethod]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/down/#", true)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/down/cmd", true)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/down/hb-ack", true)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/down/ota", true)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/up/#", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/up/heartbeat", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/#", false)]
    [DataRow("dev-a", "iotsec/v1/d/+/down/#", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-b/down/#", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-b/down/cmd", false)]
    [DataRow("dev-a", "#", false)]
    [DataRow("dev-a", "iotsec/#", false)]
    [DataRow("dev-a", "iotsec/v1/d/dev-a/down/+", false)]
    [DataRow("+", "iotsec/v1/d/+/down/#", false)]
    public void Broker_DeviceSubscribeRule(string client, string filter, bool allowed)
    {
        Assert.AreEqual(allowed, TopicParser.IsDeviceSubscribeAllowed(client, filter));
    }
}
