using System;
using System.Threading;

namespace IoTSec.Firmware.Host.Platform;

/// <summary>
/// Decides when a simulated device loses power: at the Nth flash write call, after a given
/// number of that write's bytes reached the medium. Tests walk N over every write an update
/// makes and the byte over positions inside the write (MCUboot's simulator does the same).
/// </summary>
public sealed class PowerCut
{
    private long _writesSeen;
    private long _cutAtWrite = -1;
    private int _bytesBeforeCut;

    /// <summary>How many write calls the flash has seen since the counter was reset.</summary>
    public long WritesSeen => Interlocked.Read(ref _writesSeen);

    /// <summary>Whether the armed cut has happened.</summary>
    public bool HasFired { get; private set; }

    /// <summary>Arms a cut at write number <paramref name="writeIndex"/> (0-based, counted from now).</summary>
    /// <param name="writeIndex">Which write call loses power.</param>
    /// <param name="bytesBeforeCut">How many of its bytes reach the medium first (clamped to the write's length - 1, so the write is always incomplete).</param>
    public void Arm(long writeIndex, int bytesBeforeCut)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(writeIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesBeforeCut);
        Interlocked.Exchange(ref _writesSeen, 0);
        _cutAtWrite = writeIndex;
        _bytesBeforeCut = bytesBeforeCut;
        HasFired = false;
    }

    /// <summary>Disarms and resets the write counter (power stays on).</summary>
    public void Disarm()
    {
        Interlocked.Exchange(ref _writesSeen, 0);
        _cutAtWrite = -1;
        HasFired = false;
    }

    /// <summary>
    /// Called by the flash before a write of <paramref name="count"/> bytes: returns how many
    /// bytes to write before power goes, or -1 for the whole write.
    /// </summary>
    internal int BytesAllowed(int count)
    {
        long index = Interlocked.Increment(ref _writesSeen) - 1;
        if (_cutAtWrite < 0 || index != _cutAtWrite || count == 0)
        {
            return -1;
        }

        HasFired = true;
        _cutAtWrite = -1;
        return Math.Min(_bytesBeforeCut, count - 1);
    }
}
