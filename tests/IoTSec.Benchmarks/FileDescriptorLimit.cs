using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace IoTSec.Benchmarks;

/// <summary>
/// Raises this process's open-file limit (inherited by the brokers it starts) when the idle
/// connections need more descriptors than the soft limit allows: each connection is one socket
/// here and one in the broker. Uses util-linux <c>prlimit</c> on our own process id; raising
/// the hard limit needs root (or CAP_SYS_RESOURCE), which the harness reports, not hides.
/// </summary>
internal static class FileDescriptorLimit
{
    public static void EnsureAtLeast(int descriptors)
    {
        var current = SoftLimit();
        if (current >= descriptors)
        {
            return;
        }

        var wanted = descriptors.ToString(CultureInfo.InvariantCulture);
        using var prlimit = Process.Start(new ProcessStartInfo("prlimit", ["--pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), $"--nofile={wanted}:{wanted}"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var error = prlimit.StandardError.ReadToEnd();
        prlimit.WaitForExit();
        Console.WriteLine(prlimit.ExitCode == 0
            ? $"open-file limit raised from {current} to {SoftLimit()}"
            : $"open-file limit {current} could not be raised to {wanted} ({error.Trim()}): connections beyond it will fail");
    }

    private static long SoftLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields[0] == "unlimited" ? long.MaxValue : long.Parse(fields[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
