using System;
using System.Threading;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Host.Platform;

/// <summary>
/// A device's monotonic clock under the test's or the fleet runner's control: it moves only
/// when told (<see cref="Advance"/>, or <see cref="Sleep"/> by the device itself), so a
/// minute-long heartbeat interval takes no wall time. A new instance is a new boot (the
/// counter restarts at 0, as on hardware).
/// </summary>
public sealed class SimulatedClock : IDeviceClock
{
    private long _milliseconds;

    /// <summary>Creates a clock at <paramref name="startMilliseconds"/> since boot.</summary>
    /// <param name="startMilliseconds">Where the counter starts.</param>
    public SimulatedClock(long startMilliseconds = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startMilliseconds);
        _milliseconds = startMilliseconds;
    }

    /// <inheritdoc />
    public long MillisecondsSinceBoot => Interlocked.Read(ref _milliseconds);

    /// <inheritdoc />
    /// <remarks>Advances the clock instead of blocking.</remarks>
    public void Sleep(int milliseconds) => Advance(milliseconds);

    /// <summary>Moves the clock forward.</summary>
    /// <param name="milliseconds">How far (not negative: a monotonic clock never goes back).</param>
    public void Advance(long milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        Interlocked.Add(ref _milliseconds, milliseconds);
    }
}
