using System.Diagnostics;
using System.Threading;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Host.Platform;

/// <summary>A real monotonic clock for a simulated device process: milliseconds since it was created, and real sleeps.</summary>
public sealed class DesktopClock : IDeviceClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public long MillisecondsSinceBoot => (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

    /// <inheritdoc />
    public void Sleep(int milliseconds) => Thread.Sleep(milliseconds);
}
