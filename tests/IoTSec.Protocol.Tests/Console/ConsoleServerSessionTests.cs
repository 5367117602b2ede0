using System;
using IoTSec.Protocol.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>The device's session driven frame by frame, without threads or timing.</summary>
[TestClass]
public sealed class ConsoleServerSessionTests
{
    private readonly MemoryChannel _channel = new();
    private readonly ProvisioningHandlerStub _handler = new();
    private readonly ConsoleServerSession _server;
    private readonly FrameReader _toolSide;

    public ConsoleServerSessionTests()
    {
        _server = new ConsoleServerSession(_channel, _handler);
        _toolSide = new FrameReader(new ReplayOf(_channel));
    }

    [TestMethod]
    public void ARetransmittedCommit_IsAnsweredFromTheCache_NotRunAgain()
    {
        var commit = Request(100, ConsoleCommand.Commit, []);
        _channel.Enqueue(commit, commit);

        Assert.IsTrue(_server.Poll(0));
        Assert.IsTrue(_server.Poll(0));

        Assert.AreEqual(1, _handler.Commits);
        Assert.AreEqual(1, _server.RequestsExecuted);
        Assert.AreEqual(1, _server.RequestsReplayed);
        var first = NextAnswer();
        var second = NextAnswer();
        Assert.AreEqual((ushort)100, second.Sequence);
        CollectionAssert.AreEqual(first.GetPayload(), second.GetPayload());
        CollectionAssert.AreEqual(BitConverter.GetBytes(1), second.GetPayload());
    }

    [TestMethod]
    public void ALateDuplicate_OfAnOlderRequest_IsRefusedAsStale_NotRun()
    {
        _channel.Enqueue(Request(5, ConsoleCommand.Commit, []), Request(6, ConsoleCommand.Commit, []), Request(5, ConsoleCommand.Commit, []));

        Assert.IsTrue(_server.Poll(0));
        Assert.IsTrue(_server.Poll(0));
        Assert.IsTrue(_server.Poll(0));

        Assert.AreEqual(2, _handler.Commits);
        Assert.AreEqual(1, _server.StaleRequestsRefused);
        NextAnswer();
        NextAnswer();
        var stale = NextAnswer();
        Assert.AreEqual(ConsoleFrameKind.Error, stale.Kind);
        Assert.AreEqual((byte)ConsoleStatus.StaleSequence, stale.Code);
        Assert.AreEqual((ushort)5, stale.Sequence);
        CollectionAssert.AreEqual(new byte[] { 0x00, 0x06 }, stale.GetPayload(), "the device's last sequence number");
    }

    [TestMethod]
    public void TheSameSequenceWithOtherContent_IsANewRequest()
    {
        // A restarted tool that happens to reuse the last sequence number for another command.
        _channel.Enqueue(Request(9, ConsoleCommand.Commit, []), Request(9, ConsoleCommand.Info, [1, 2]));
        _server.Poll(0);
        _server.Poll(0);
        Assert.AreEqual(2, _server.RequestsExecuted);
        NextAnswer();
        CollectionAssert.AreEqual(new byte[] { 2, 1 }, NextAnswer().GetPayload());
    }

    [TestMethod]
    public void SequenceNumbers_WrapAround()
    {
        _channel.Enqueue(Request(0xFFFF, ConsoleCommand.Commit, []), Request(0x0000, ConsoleCommand.Commit, []), Request(0xFFFF, ConsoleCommand.Commit, []));
        _server.Poll(0);
        _server.Poll(0);
        _server.Poll(0);
        Assert.AreEqual(2, _handler.Commits, "0x0000 follows 0xFFFF; 0xFFFF after it is stale");
        Assert.AreEqual(1, _server.StaleRequestsRefused);
    }

    [TestMethod]
    public void AHandlerThatThrows_IsAnsweredWithInternalError_AndTheConsoleKeepsServing()
    {
        _channel.Enqueue(Request(1, ConsoleCommand.FactoryReset, []), Request(2, ConsoleCommand.Hello, []));
        Assert.IsTrue(_server.Poll(0));
        Assert.IsTrue(_server.Poll(0));

        var fault = NextAnswer();
        Assert.AreEqual(ConsoleFrameKind.Error, fault.Kind);
        Assert.AreEqual((byte)ConsoleStatus.InternalError, fault.Code);
        Assert.AreEqual(ConsoleFrameKind.Response, NextAnswer().Kind);
        Assert.AreEqual(1, _server.HandlerFaults);
        StringAssert.Contains(_server.LastHandlerFault, "flash erase failed");
        StringAssert.Contains(_server.LastHandlerFault, "FactoryReset (0x3F)");
    }

    [TestMethod]
    public void CorruptedRequests_AndNonRequests_GetNoAnswer()
    {
        var corrupted = Request(1, ConsoleCommand.Commit, [1, 2, 3]);
        corrupted[6] ^= 0x08;
        var response = FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Response, 1, 0, []));
        _channel.Enqueue(corrupted, response);

        Assert.IsFalse(_server.Poll(0));
        Assert.IsFalse(_server.Poll(0));
        Assert.IsFalse(_server.Poll(0));
        Assert.AreEqual(0, _handler.Calls);
        Assert.AreEqual(1, _server.FramesRejected);
        Assert.AreEqual(1, _server.NonRequestFramesIgnored);
        Assert.IsEmpty(_channel.Written);
    }

    private static byte[] Request(ushort sequence, ConsoleCommand command, byte[] payload) =>
        FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Request, sequence, (byte)command, payload));

    private ConsoleFrame NextAnswer()
    {
        Assert.AreEqual(FrameReadResult.Frame, _toolSide.Read(0));
        return _toolSide.Frame;
    }

    /// <summary>Reads back what the server wrote to a <see cref="MemoryChannel"/>.</summary>
    private sealed class ReplayOf(MemoryChannel channel) : IByteChannel
    {
        private int _position;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            var written = channel.Written;
            int n = Math.Min(count, written.Length - _position);
            Array.Copy(written, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
