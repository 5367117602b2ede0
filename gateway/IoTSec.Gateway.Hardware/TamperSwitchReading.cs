using System;

namespace IoTSec.Gateway.Hardware;

/// <summary>What the running daemon last read from the switch, published for the CLI (the daemon holds the GPIO line).</summary>
/// <param name="LidClosed">True when the enclosure was closed at the last (debounced) read; null when the switch is disabled.</param>
/// <param name="Phase">The gateway's tamper phase then ("starting", "armed", "tampered").</param>
/// <param name="ReadAt">When the daemon read it.</param>
public sealed record TamperSwitchReading(bool? LidClosed, string Phase, DateTimeOffset ReadAt);
