using System;

namespace IoTSec.Gateway.Core.Tamper;

/// <summary>The persisted tamper flag: when the enclosure was found open, and how.</summary>
/// <param name="Since">When the gateway recorded the event (its own clock).</param>
/// <param name="Reason">What was seen ("enclosure opened", "enclosure open at start", "tamper flag damaged").</param>
public sealed record TamperFlag(DateTimeOffset Since, string Reason);
