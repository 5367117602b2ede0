using System;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// What the posture service needs to know about a device class from the policy: which firmware
/// it may run (until the OTA issue's release store feeds this list) and how often it beats.
/// Implemented by the policy store, so a policy reload changes it atomically.
/// </summary>
public interface IPostureRules
{
    /// <summary>True when <paramref name="firmwareDigest"/> (SHA-256) is among the allowed firmware of <paramref name="deviceClass"/>.</summary>
    bool IsFirmwareAllowed(string deviceClass, ReadOnlySpan<byte> firmwareDigest);

    /// <summary>The heartbeat interval devices of <paramref name="deviceClass"/> are provisioned with; null when the class is unknown.</summary>
    TimeSpan? HeartbeatInterval(string deviceClass);
}
