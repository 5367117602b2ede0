using System;
using System.Globalization;
using System.IO;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Host.Simulation;

/// <summary>A device's log on a text writer, each line stamped with UTC time and the device's name (the fleet shares one output).</summary>
public sealed class TextDeviceLog(TextWriter output, string name) : IDeviceLog
{
    private readonly TextWriter _output = TextWriter.Synchronized(output ?? throw new ArgumentNullException(nameof(output)));

    /// <inheritdoc />
    public void Write(string message) =>
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} [{name}] {message}"));
}

/// <summary>Discards everything (a quiet fleet).</summary>
public sealed class NullDeviceLog : IDeviceLog
{
    /// <summary>The one instance.</summary>
    public static readonly NullDeviceLog Instance = new();

    /// <inheritdoc />
    public void Write(string message)
    {
    }
}
