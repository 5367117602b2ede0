namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// Fault rates of one direction of a <see cref="LossyLink"/>, each a probability per
/// delimited unit (a frame with its trailing 0x00).
/// </summary>
/// <param name="Drop">The unit vanishes.</param>
/// <param name="Corrupt">One random bit of one random byte flips (a flipped delimiter merges two frames).</param>
/// <param name="Truncate">The unit is cut short, losing its delimiter.</param>
/// <param name="Duplicate">The unit arrives twice.</param>
/// <param name="Reorder">The unit is held back and delivered after the next one.</param>
internal sealed record LossProfile(double Drop, double Corrupt, double Truncate, double Duplicate, double Reorder)
{
    public static LossProfile None { get; } = new(0, 0, 0, 0, 0);

    public static LossProfile Moderate { get; } = new(Drop: 0.05, Corrupt: 0.05, Truncate: 0.03, Duplicate: 0.05, Reorder: 0.05);

    public static LossProfile Total { get; } = new(1, 0, 0, 0, 0);
}
