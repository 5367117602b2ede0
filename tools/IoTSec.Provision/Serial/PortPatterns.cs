using System;
using System.Collections.Generic;
using System.IO;

namespace IoTSec.Provision.Serial;

/// <summary>Expands port patterns such as <c>/dev/ttyUSB*</c> (a directory and a wildcard file name) into existing paths.</summary>
public static class PortPatterns
{
    /// <summary>Where USB serial adapters appear on Linux: the factory line's default.</summary>
    public static readonly string[] LinuxUsbSerial = ["/dev/ttyUSB*", "/dev/ttyACM*"];

    /// <summary>The existing paths matching <paramref name="pattern"/>, sorted.</summary>
    public static IReadOnlyList<string> Expand(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        string directory = Path.GetDirectoryName(pattern) is { Length: > 0 } d ? d : ".";
        string name = Path.GetFileName(pattern);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var found = name.Contains('*', StringComparison.Ordinal) || name.Contains('?', StringComparison.Ordinal)
            ? new List<string>(Directory.EnumerateFileSystemEntries(directory, name))
            : File.Exists(pattern) ? [pattern] : [];
        found.Sort(StringComparer.Ordinal);
        return found;
    }
}
