using System;
using System.Globalization;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>Durations in policy files: a whole number and a unit, "30s", "5min", "1h".</summary>
internal static class PolicyDurations
{
    /// <summary>Parses "N" + "s" | "min" | "h" (N from 1 to 1,000,000).</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        var digits = 0;
        while (digits < span.Length && span[digits] is >= '0' and <= '9')
        {
            digits++;
        }

        if (digits == 0 || digits > 7 || !int.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > 1_000_000)
        {
            return false;
        }

        if (!TryParseUnit(span[digits..].Trim(), out var unit))
        {
            return false;
        }

        duration = unit * count;
        return true;
    }

    /// <summary>"s", "min" or "h".</summary>
    public static bool TryParseUnit(ReadOnlySpan<char> unit, out TimeSpan period)
    {
        period = unit switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "min" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            _ => TimeSpan.Zero,
        };
        return period != TimeSpan.Zero;
    }

    /// <summary>The unit of a rate period.</summary>
    public static string UnitOf(TimeSpan period) => period == TimeSpan.FromHours(1) ? "h" : period == TimeSpan.FromMinutes(1) ? "min" : "s";

    /// <summary>A duration in the file's notation.</summary>
    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds % 3600 == 0 ? ((long)duration.TotalHours).ToString(CultureInfo.InvariantCulture) + "h"
        : duration.TotalSeconds % 60 == 0 ? ((long)duration.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "min"
        : ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
}
