using System;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>When a device goes to quarantine and which class then judges it.</summary>
/// <param name="ClassName">The class whose allowlist applies to a quarantined device (heartbeats, enrolment and OTA only).</param>
/// <param name="Threshold">Violations within <paramref name="Window"/> that quarantine a device.</param>
/// <param name="Window">The sliding window the violations are counted in.</param>
public sealed record QuarantineRules(string ClassName, int Threshold, TimeSpan Window)
{
    /// <summary>Largest threshold accepted (each device keeps that many timestamps).</summary>
    public const int MaxThreshold = 1000;
}
