using System;
using System.Text;
using IoTSec.Protocol.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>The tool's session against a simulated device over a clean line.</summary>
[TestClass]
public sealed class ConsoleClientSessionTests
{
    [TestMethod]
    public void Request_ReturnsTheDevicesResponse()
    {
        var handler = new ProvisioningHandlerStub();
        using var line = new LossyLine(handler, LossProfile.None, LossProfile.None, seed: 1);
        var client = line.NewClient(initialSequence: 10, timeoutMs: 1000, retries: 0);

        CollectionAssert.AreEqual(Array.Empty<byte>(), client.Request((byte)ConsoleCommand.Hello, []));
        CollectionAssert.AreEqual(new byte[] { 3, 0, 1 }, client.Request((byte)ConsoleCommand.Info, [1, 0, 3]));
        Assert.AreEqual((ushort)12, client.NextSequence);
        Assert.AreEqual(0, client.Retransmissions);
    }

    [TestMethod]
    public void Request_CarriesTheMaximumPayloadBothWays()
    {
        using var line = new LossyLine(new ProvisioningHandlerStub(), LossProfile.None, LossProfile.None, seed: 2);
        var client = line.NewClient(1, 2000, 0);
        var payload = new byte[ConsoleFrame.MaxPayloadLength];
        new Random(5).NextBytes(payload);
        CollectionAssert.AreEqual(ProvisioningHandlerStub.Reversed(payload), client.Request((byte)ConsoleCommand.Info, payload));
    }

    [TestMethod]
    public void Request_RefusesAnOversizePayload_BeforeSendingAnything()
    {
        var channel = new MemoryChannel();
        var client = new ConsoleClientSession(channel, 1);
        var e = Assert.ThrowsExactly<ConsoleProtocolException>(
            () => client.Request((byte)ConsoleCommand.WriteTrustAnchors, new byte[ConsoleFrame.MaxPayloadLength + 1]));
        Assert.AreEqual(ConsoleProtocolError.FrameTooLarge, e.Reason);
        Assert.IsEmpty(channel.Written);
    }

    [TestMethod]
    public void ADeviceRefusal_ThrowsRemoteError_WithTheStatus_AndIsNotRetried()
    {
        var handler = new ProvisioningHandlerStub();
        using var line = new LossyLine(handler, LossProfile.None, LossProfile.None, seed: 3);
        var client = line.NewClient(1, 1000, 3);

        var e = Assert.ThrowsExactly<ConsoleProtocolException>(() => client.Request((byte)ConsoleCommand.Lock, []));
        Assert.AreEqual(ConsoleProtocolError.RemoteError, e.Reason);
        Assert.AreEqual((byte)ConsoleStatus.Locked, e.RemoteStatus);
        Assert.AreEqual("the device refused Lock (0x31) with status Locked (0x03)", e.Message);
        CollectionAssert.AreEqual(ProvisioningHandlerStub.LockedDetail, e.GetRemoteDetail());
        Assert.IsFalse(e.IsTransient);
        Assert.AreEqual(1, handler.Calls);
        Assert.AreEqual(0, client.Retransmissions);
    }

    [TestMethod]
    public void AnUnknownCommand_AndAFaultingHandler_AreReportedByStatus()
    {
        using var line = new LossyLine(new ProvisioningHandlerStub(), LossProfile.None, LossProfile.None, seed: 4);
        var client = line.NewClient(1, 1000, 0);

        var unknown = Assert.ThrowsExactly<ConsoleProtocolException>(() => client.Request(0x7E, []));
        Assert.AreEqual((byte)ConsoleStatus.UnknownCommand, unknown.RemoteStatus);
        StringAssert.Contains(unknown.Message, "command (0x7E)");

        var fault = Assert.ThrowsExactly<ConsoleProtocolException>(() => client.Request((byte)ConsoleCommand.FactoryReset, []));
        Assert.AreEqual((byte)ConsoleStatus.InternalError, fault.RemoteStatus);
        Assert.IsTrue(fault.IsTransient);
    }

    [TestMethod]
    public void ARestartedTool_WhoseSequenceLiesBehindTheDevices_ResynchronisesAndRunsOnce()
    {
        var handler = new ProvisioningHandlerStub();
        using var line = new LossyLine(handler, LossProfile.None, LossProfile.None, seed: 5);
        line.NewClient(initialSequence: 1000, timeoutMs: 1000, retries: 0).Request((byte)ConsoleCommand.Commit, []);

        var restarted = line.NewClient(initialSequence: 400, timeoutMs: 1000, retries: 0);
        var value = restarted.Request((byte)ConsoleCommand.Commit, []);

        CollectionAssert.AreEqual(BitConverter.GetBytes(2), value);
        Assert.AreEqual(1, restarted.SequenceResyncs);
        Assert.AreEqual((ushort)1002, restarted.NextSequence, "continues after the device's 1000 with 1001");
        Assert.AreEqual(2, handler.Commits);
    }

    [TestMethod]
    public void SettingsAreValidated()
    {
        var client = new ConsoleClientSession(new MemoryChannel(), 0);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => client.ResponseTimeoutMs = 0);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => client.RetryCount = -1);
        Assert.AreEqual(ConsoleClientSession.DefaultResponseTimeoutMs, client.ResponseTimeoutMs);
        Assert.AreEqual(ConsoleClientSession.DefaultRetryCount, client.RetryCount);
    }

    [TestMethod]
    public void ATerminalEchoOfTheRequest_IsNotTakenForTheAnswer()
    {
        // A device console that echoes input (or a loopback plug) returns our own request first.
        var channel = new MemoryChannel();
        var client = new ConsoleClientSession(channel, 77) { ResponseTimeoutMs = 50, RetryCount = 0 };
        var request = FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Request, 77, (byte)ConsoleCommand.Hello, []));
        var response = FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Response, 77, 0, Encoding.ASCII.GetBytes("hi")));
        channel.Enqueue(request, response);

        CollectionAssert.AreEqual(Encoding.ASCII.GetBytes("hi"), client.Request((byte)ConsoleCommand.Hello, []));
        Assert.AreEqual(1, client.StaleFramesDiscarded);
    }
}
