using System;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// The gateway's judgement of one device (docs/posture.md, "Verdict rules"). Ordered by
/// severity, so the worse of two findings is the larger value.
/// </summary>
public enum PostureVerdict
{
    /// <summary>No verified heartbeat judged yet.</summary>
    Unknown = 0,

    /// <summary>Beating on time, in order, running allowed firmware with a hardened configuration.</summary>
    Healthy = 1,

    /// <summary>Something is wrong but not proven hostile: silent, rebooting in a storm, a weakened configuration, a body error.</summary>
    Degraded = 2,

    /// <summary>Evidence of compromise: unknown firmware, a forked chain (a clone), a boot count that went backwards.</summary>
    Compromised = 3,
}

/// <summary>The stored and reported names of <see cref="PostureVerdict"/> (lowercase, as in the inventory).</summary>
public static class PostureVerdictNames
{
    /// <summary>"unknown", "healthy", "degraded" or "compromised".</summary>
    public static string Of(PostureVerdict verdict) => verdict switch
    {
        PostureVerdict.Unknown => "unknown",
        PostureVerdict.Healthy => "healthy",
        PostureVerdict.Degraded => "degraded",
        PostureVerdict.Compromised => "compromised",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown posture verdict"),
    };

    /// <summary>Parses a stored name.</summary>
    /// <exception cref="FormatException">Not one of the four names.</exception>
    public static PostureVerdict Parse(string name) => name switch
    {
        "unknown" => PostureVerdict.Unknown,
        "healthy" => PostureVerdict.Healthy,
        "degraded" => PostureVerdict.Degraded,
        "compromised" => PostureVerdict.Compromised,
        _ => throw new FormatException($"'{name}' is not a posture verdict"),
    };
}
