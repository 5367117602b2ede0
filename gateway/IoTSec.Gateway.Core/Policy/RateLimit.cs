using System;
using System.Globalization;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>A message rate and burst: a token bucket that holds <see cref="Burst"/> tokens and refills at <see cref="PerSecond"/>.</summary>
/// <param name="Count">Messages per <paramref name="Period"/>, as written.</param>
/// <param name="Period">The period of the rate (a second, a minute or an hour).</param>
/// <param name="Burst">Messages a device may send at once after a quiet spell.</param>
public sealed record RateLimit(int Count, TimeSpan Period, int Burst)
{
    /// <summary>Most messages per period accepted in a file.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>Refill rate in tokens per second.</summary>
    public double PerSecond => Count / Period.TotalSeconds;

    /// <summary>The rate as written ("10/s").</summary>
    public string Text => Count.ToString(CultureInfo.InvariantCulture) + "/" + PolicyDurations.UnitOf(Period);

    /// <summary>Parses "N/s", "N/min" or "N/h" (N a whole number from 1 to <see cref="MaxCount"/>).</summary>
    public static bool TryParseRate(string text, out int count, out TimeSpan period)
    {
        count = 0;
        period = TimeSpan.Zero;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        var number = text.AsSpan(0, slash).Trim();
        if (number.Length == 0 || number.Length > 7 || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxCount)
        {
            return false;
        }

        return PolicyDurations.TryParseUnit(text.AsSpan(slash + 1).Trim(), out period);
    }
}
