namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// Moves a device into quarantine: its inventory state becomes Quarantined (audited) and its
/// live session, if any, is restricted to the quarantine class at once.
/// </summary>
public interface IQuarantine
{
    /// <summary>Quarantines <paramref name="deviceId"/>; returns false when it already was (or cannot be: revoked, unknown).</summary>
    bool Quarantine(string deviceId, string reason, string actor);
}
