using System;

namespace IoTSec.Gateway.Tests.Policy;

/// <summary>A clock the test moves by hand: wall time and the monotonic timestamp advance together.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks;

    public DateTimeOffset Now { get; private set; } = start;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => Now;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by)
    {
        _ticks += by.Ticks;
        Now += by;
    }
}
