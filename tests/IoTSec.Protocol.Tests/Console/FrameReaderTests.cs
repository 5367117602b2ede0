using System;
using System.Linq;
using IoTSec.Protocol.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

[TestClass]
public sealed class FrameReaderTests
{
    private static byte[] Wire(ushort sequence, byte[] payload) =>
        FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Request, sequence, (byte)ConsoleCommand.Info, payload));

    [TestMethod]
    public void Read_ReassemblesAFrameDeliveredOneByteAtATime()
    {
        var channel = new MemoryChannel { MaxReadLength = 1 };
        channel.Enqueue(Wire(42, [1, 0, 2, 0, 0, 3]));
        var reader = new FrameReader(channel);

        Assert.AreEqual(FrameReadResult.Frame, reader.Read(100));
        Assert.AreEqual((ushort)42, reader.Frame.Sequence);
        CollectionAssert.AreEqual(new byte[] { 1, 0, 2, 0, 0, 3 }, reader.Frame.GetPayload());
        Assert.AreEqual(FrameReadResult.Timeout, reader.Read(0));
    }

    [TestMethod]
    public void Read_ReturnsBackToBackFrames_FromOneChannelRead()
    {
        var channel = new MemoryChannel();
        channel.Enqueue([.. Wire(1, [0xA]), .. Wire(2, [0xB]), .. Wire(3, [0xC])]);
        var reader = new FrameReader(channel);

        for (ushort s = 1; s <= 3; s++)
        {
            Assert.AreEqual(FrameReadResult.Frame, reader.Read(0));
            Assert.AreEqual(s, reader.Frame.Sequence);
        }

        Assert.AreEqual(1, channel.ReadCalls, "later frames came from the reader's buffer");
        Assert.AreEqual(3, reader.FramesRead);
    }

    [TestMethod]
    public void Read_WithZeroTimeout_ReadsTheChannelOnce_AndKeepsAPartialFrameForTheNextCall()
    {
        // The firmware may poll with 0: a frame split across UART reads completes over calls.
        var wire = Wire(8, [4, 5, 6]);
        var channel = new MemoryChannel();
        channel.Enqueue(wire[..6], wire[6..]);
        var reader = new FrameReader(channel);

        Assert.AreEqual(FrameReadResult.Timeout, reader.Read(0));
        Assert.AreEqual(FrameReadResult.Frame, reader.Read(0));
        Assert.AreEqual((ushort)8, reader.Frame.Sequence);
    }

    [TestMethod]
    public void Read_ResynchronisesAfterNoise_ThatPrecedesAFrame()
    {
        // Line noise, then a frame whose leading delimiter ends the noise.
        var channel = new MemoryChannel();
        channel.Enqueue([0x55, 0x13, 0xF0, 0x77], Wire(9, [1, 2, 3]));
        var reader = new FrameReader(channel);

        Assert.AreEqual(FrameReadResult.Rejected, reader.Read(100));
        Assert.AreEqual(FrameReadResult.Frame, reader.Read(100));
        Assert.AreEqual((ushort)9, reader.Frame.Sequence);
        Assert.AreEqual(1, reader.FramesRejected);
    }

    [TestMethod]
    public void Read_DropsATruncatedFrame_AndReadsTheNextOne()
    {
        var first = Wire(1, Enumerable.Range(1, 40).Select(i => (byte)i).ToArray());
        var channel = new MemoryChannel();
        channel.Enqueue(first[..25], Wire(2, [7]));
        var reader = new FrameReader(channel);

        Assert.AreEqual(FrameReadResult.Rejected, reader.Read(100));
        Assert.AreEqual(FrameReadResult.Frame, reader.Read(100));
        Assert.AreEqual((ushort)2, reader.Frame.Sequence);
    }

    [TestMethod]
    public void Read_DiscardsAnOversizeRun_WithoutBufferingIt_ThenRecovers()
    {
        var channel = new MemoryChannel();
        var noise = Enumerable.Repeat((byte)0xAA, 10 * FrameReader.MaxEncodedFrameLength).ToArray();
        channel.Enqueue(noise, Wire(5, [1]));
        var reader = new FrameReader(channel);

        Assert.AreEqual(FrameReadResult.Rejected, reader.Read(100));
        Assert.AreEqual(ConsoleProtocolError.FrameTooLarge, reader.LastRejection);
        Assert.AreEqual(1, reader.OversizeFrames);
        Assert.AreEqual(FrameReadResult.Frame, reader.Read(100));
        Assert.AreEqual((ushort)5, reader.Frame.Sequence);
    }

    [TestMethod]
    public void Read_RejectsACorruptedFrame_WithItsReason()
    {
        var wire = Wire(3, [1, 2, 3, 4]);
        wire[9] ^= 0x40;
        var channel = new MemoryChannel();
        channel.Enqueue(wire);
        var reader = new FrameReader(channel);

        Assert.AreEqual(FrameReadResult.Rejected, reader.Read(0));
        Assert.AreEqual(ConsoleProtocolError.ChecksumMismatch, reader.LastRejection);
        StringAssert.Contains(reader.LastRejectionMessage, "checksum");
    }

    [TestMethod]
    public void Read_TimesOut_OnASilentLine()
    {
        var reader = new FrameReader(new MemoryChannel());
        Assert.AreEqual(FrameReadResult.Timeout, reader.Read(50));
    }

    [TestMethod]
    public void Writer_SurroundsEachFrameWithDelimiters()
    {
        var channel = new MemoryChannel();
        var writer = new FrameWriter(channel);
        writer.Write(new ConsoleFrame(ConsoleFrameKind.Request, 1, 1, []));
        var written = channel.Written;
        Assert.AreEqual((byte)0, written[0]);
        Assert.AreEqual((byte)0, written[^1]);
        Assert.DoesNotContain((byte)0, written[1..^1]);
        Assert.AreEqual(1, writer.FramesWritten);
    }
}
