using System.Diagnostics;
using IoTSec.Firmware.Host.Platform;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using IoTSec.SerialConsole;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>The desktop console port over a real pseudo-terminal pair: what IByteChannel promises.</summary>
[TestClass]
public sealed class SerialPortChannelTests
{
    [TestMethod]
    public void BytesCrossThePairUnchangedIncludingZerosAndHighBytes()
    {
        using var pty = new SocatPtyPair();
        using var a = new SerialPortChannel(pty.EndA);
        using var b = new SerialPortChannel(pty.EndB);
        byte[] sent = new byte[3000];
        for (int i = 0; i < sent.Length; i++)
        {
            sent[i] = (byte)(i * 7);
        }

        a.Write(sent, 0, sent.Length);
        byte[] received = new byte[sent.Length];
        int total = 0;
        var clock = Stopwatch.StartNew();
        while (total < received.Length && clock.ElapsedMilliseconds < 5000)
        {
            total += b.Read(received, total, received.Length - total, 500);
        }

        // Raw mode: no byte translated (CR/LF), swallowed (XON/XOFF, 0x00) or echoed.
        CollectionAssert.AreEqual(sent, received);
        Assert.AreEqual(0, a.Read(new byte[16], 0, 16, 0), "nothing echoed back");
    }

    [TestMethod]
    public void AReadWithNothingToReadReturnsZeroAfterItsTimeout()
    {
        using var pty = new SocatPtyPair();
        using var a = new SerialPortChannel(pty.EndA);
        var buffer = new byte[16];

        Assert.AreEqual(0, a.Read(buffer, 0, buffer.Length, 0), "a zero timeout takes only what is buffered");
        var clock = Stopwatch.StartNew();
        Assert.AreEqual(0, a.Read(buffer, 0, buffer.Length, 150));
        Assert.IsTrue(clock.ElapsedMilliseconds >= 100, $"returned after {clock.ElapsedMilliseconds} ms, before its timeout");
    }
}
