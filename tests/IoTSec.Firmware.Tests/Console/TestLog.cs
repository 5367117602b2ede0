using System.Collections.Generic;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>The device log, kept for assertions (thread-safe: the device runs on its own thread).</summary>
internal sealed class TestLog : IDeviceLog
{
    private readonly List<string> _lines = [];

    public void Write(string message)
    {
        lock (_lines)
        {
            _lines.Add(message);
        }
    }

    public string[] Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Text => string.Join('\n', Lines);
}
