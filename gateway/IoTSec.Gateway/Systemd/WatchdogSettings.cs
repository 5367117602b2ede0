using System;
using System.Globalization;

namespace IoTSec.Gateway.Systemd;

/// <summary>
/// systemd's watchdog request, as sd_watchdog_enabled(3) reads it: WATCHDOG_USEC (the
/// interval, from WatchdogSec=) applies to this process unless WATCHDOG_PID names another
/// one (a child that inherited the variables).
/// </summary>
internal static class WatchdogSettings
{
    /// <summary>How often to send WATCHDOG=1, half the interval as systemd advises; null when no watchdog is asked for.</summary>
    public static TimeSpan? PingInterval(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds == 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId))
        {
            return null;
        }

        // At most a day: a larger value is a misconfiguration, not a reason to overflow.
        var interval = TimeSpan.FromMicroseconds(Math.Min(microseconds, (ulong)TimeSpan.FromDays(1).TotalMicroseconds));
        return interval / 2;
    }

    /// <summary>From this process's environment.</summary>
    public static TimeSpan? FromEnvironment() => PingInterval(
        Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
}
